"""The browser form derived from a definition: what a person types becomes the JSON the API
would store, and the schema's errors come back next to the right input."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from forms_templates.answers import answers
from forms_templates.definitions import Field
from forms_templates.forms import DocumentDataForm, to_json_value
from forms_templates.registry import get_type
from forms_templates.validation import validate_data

NUMBER = Field("quantity", "number", None)  # labels are not needed to convert
MONEY = Field("amount", "money", None)
TEXT = Field("note", "long_text", None)


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (NUMBER, "3", 3),
        (NUMBER, "3.0", 3),
        (NUMBER, "2.5", 2.5),
        (NUMBER, "-4", -4),
        (NUMBER, " 1 200 ", 1200),
        (MONEY, "1,500,000", 1500000),
        (MONEY, "12.5", 12.5),  # the schema then says "a whole number"
        (NUMBER, "abc", "abc"),  # the schema then says "a number"
        (NUMBER, "NaN", "NaN"),
        (NUMBER, "", None),
        (TEXT, "  ", None),
        (TEXT, "a\r\nb\rc", "a\nb\nc"),
        (TEXT, " maandishi ", "maandishi"),
    ],
)
def test_typed_input_becomes_the_json_the_api_stores(field, typed, stored):
    value = to_json_value(field, typed)
    assert value == stored and type(value) is type(stored)


def test_an_enormous_number_is_cheap_and_out_of_range():
    value = to_json_value(MONEY, "9e999999999")
    assert isinstance(value, int) and value > 10**15
    errors = validate_data(get_type("concept_note"), {"total_budget": value})
    assert list(errors) == ["total_budget"]


def body(**values: str) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query[key] = value
    return query


def test_service_errors_land_on_the_cell_the_person_typed_in():
    definition = get_type("concept_note")
    form = DocumentDataForm(
        definition,
        lang="en",
        data=body(
            **{
                "title": "Dhana",
                "milestones-rows": "4",
                "milestones-1-milestone": "Kwanza",
                "milestones-3-milestone": "Tatu",
                "milestones-3-due_date": "kesho",
            }
        ),
    )
    title, data = form.to_data()
    assert title == "Dhana"
    assert data["milestones"] == [
        {"milestone": "Kwanza"},
        {"milestone": "Tatu", "due_date": "kesho"},
    ]
    errors = validate_data(definition, data)
    assert list(errors) == ["milestones[2].due_date"]
    form.add_service_errors({"data": errors})
    assert form.errors["milestones-3-due_date"]
    assert "milestones-1-due_date" not in form.errors


def test_the_read_only_answers_use_labels_and_group_money():
    definition = get_type("concept_note")
    sections = answers(
        definition,
        {
            "funding_source": "own_source",
            "total_budget": 2500000,
            "milestones": [{"milestone": "A"}],
        },
        "sw",
        field_comments={"milestones[1].due_date": "Weka tarehe", "total_budget": "Ni kubwa"},
    )
    shown = {answer.key: answer for section in sections for answer in section.answers}
    assert shown["funding_source"].value == "Mapato ya ndani"
    assert shown["total_budget"].value == "2,500,000"
    assert shown["total_budget"].comments == [("", "Ni kubwa")]
    assert shown["milestones"].rows == [[("Hatua", "A"), ("Tarehe", ""), ("Mhusika", "")]]
    assert shown["milestones"].comments == [("mstari 1 · Tarehe", "Weka tarehe")]
    assert not shown["objectives"].answered
