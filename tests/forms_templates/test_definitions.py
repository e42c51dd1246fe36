"""The document-type definitions: they load, their schemas are sound, and form data is checked
against them with errors that name the field (and the row, for a table cell)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from jsonschema import Draft202012Validator

from forms_templates.definitions import (
    AUTHOR,
    LONG_TEXT_MAX,
    DocumentType,
    Field,
    Table,
)
from forms_templates.registry import ORDER, all_types, get_type
from forms_templates.validation import missing_required, validate_data

TYPE_KEYS = list(ORDER)

EXPECTED = {
    "concept_note": (
        "CN",
        (),
        (AUTHOR, "system_owner", "head_of_ict", "accounting_officer"),
        True,
    ),
    "implementation_report": (
        "IR",
        ("concept_note",),
        (AUTHOR, "head_of_ict", "accounting_officer"),
        True,
    ),
    "completion_report": (
        "CR",
        ("implementation_report",),
        (AUTHOR, "system_owner", "head_of_ict", "accounting_officer"),
        True,
    ),
    "terms_of_reference": (
        "TOR",
        ("concept_note",),
        (AUTHOR, "head_of_ict", "head_of_procurement", "accounting_officer"),
        True,
    ),
    "email_account_request": (
        "EM",
        (),
        ("requesting_servant", "supervisor", "head_of_hr"),
        False,
    ),
}

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def definition(key: str) -> DocumentType:
    found = get_type(key)
    assert found is not None, f"{key} is not registered"
    return found


def example_value(field: Field, row: int = 0) -> Any:
    """A valid value for a field of any kind."""
    if field.kind == "text":
        return f"Mfano {row + 1}"
    if field.kind == "long_text":
        return "Maelezo ya mfano.\nMstari wa pili."
    if field.kind == "number":
        return 3 + row
    if field.kind == "money":
        return 1_500_000 * (row + 1)
    if field.kind == "date":
        return f"2025-07-{row + 1:02d}"
    if field.kind == "choice":
        return field.choices[row % len(field.choices)].value
    if field.kind == "email":
        return "afisa.tehama@taasisi.go.tz"
    if field.kind == "phone":
        return "+255 22 212 3456"
    raise AssertionError(f"no example for kind {field.kind!r}")


def full_example(doc_type: DocumentType, rows: int = 2) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in doc_type.items():
        if isinstance(item, Table):
            data[item.key] = [
                {column.key: example_value(column, row) for column in item.columns}
                for row in range(rows)
            ]
        else:
            data[item.key] = example_value(item)
    return data


def fields_of(doc_type: DocumentType, *kinds: str) -> list[Field]:
    return [item for item in doc_type.items() if isinstance(item, Field) and item.kind in kinds]


def cells_of(doc_type: DocumentType, *kinds: str) -> list[tuple[Table, Field]]:
    return [
        (item, column)
        for item in doc_type.items()
        if isinstance(item, Table)
        for column in item.columns
        if column.kind in kinds
    ]


def types_with_cells(*kinds: str) -> list[str]:
    return [key for key in TYPE_KEYS if cells_of(definition(key), *kinds)]


def types_with_fields(*kinds: str) -> list[str]:
    return [key for key in TYPE_KEYS if fields_of(definition(key), *kinds)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- loading -------------------------------------------------------------------------------


def test_all_five_types_load_in_the_registry_order():
    assert list(all_types()) == TYPE_KEYS
    assert len(TYPE_KEYS) == 5


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_type_has_its_code_gating_and_project_need(key):
    code, requires, _roles, needs_project = EXPECTED[key]
    doc_type = definition(key)
    assert doc_type.key == key
    assert doc_type.code == code
    assert doc_type.requires_approved == requires
    assert doc_type.needs_project is needs_project


def test_type_codes_are_unique_and_gating_names_known_types():
    types = all_types()
    codes = [doc_type.code for doc_type in types.values()]
    assert len(set(codes)) == len(codes)
    for doc_type in types.values():
        for required in doc_type.requires_approved:
            assert required in types
            assert required != doc_type.key


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_definition_is_consistent(key):
    definition(key).check()


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_schema_is_a_valid_draft_2020_12_schema(key):
    schema = definition(key).json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    # Answers an earlier form asked (``retired``) stay in the schema so stored documents validate.
    asked = {item.key for item in definition(key).items()}
    retired = {item.key for item in definition(key).retired}
    assert set(schema["properties"]) == asked | retired
    assert all(schema["properties"][k].get("deprecated") for k in retired)


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_type_has_at_least_one_required_field(key):
    assert any(item.required for item in definition(key).items())


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_type_has_its_signatories_in_order(key):
    _code, _requires, roles, _needs_project = EXPECTED[key]
    in_order = definition(key).signatories_in_order()
    assert [number for number, _ in in_order] == list(range(1, len(roles) + 1))
    assert tuple(signatory.role for _, signatory in in_order) == roles


def test_the_author_prepares_and_the_accounting_officer_approves():
    for key in TYPE_KEYS:
        signatories = definition(key).signatories
        if definition(key).needs_project:
            assert signatories[0].role == AUTHOR
            assert signatories[-1].role == "accounting_officer"
        for signatory in signatories:
            if signatory.role == "accounting_officer":
                assert signatory.title.sw == "Imeidhinishwa na"
                assert signatory.role_name.sw == "Afisa Masuuli"
            if signatory.role == "head_of_ict":
                assert signatory.title.sw == "Imehakikiwa na"
                assert signatory.role_name.sw == "Mkuu wa Kitengo cha TEHAMA"
    servant, supervisor, hr = definition("email_account_request").signatories
    assert servant.title.sw == "Mwombaji"
    assert (servant.person_field, supervisor.person_field) == (
        "servant_username",
        "supervisor_username",
    )
    assert hr.person_field is None and hr.role == "head_of_hr"


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_each_type_is_described_and_instructed_in_both_languages(key):
    doc_type = definition(key)
    for text in (doc_type.name, doc_type.description, doc_type.instructions):
        assert text is not None
        assert text.sw.strip()
        assert text.en.strip()
        assert text.sw != text.en


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_every_label_is_in_both_languages_and_every_key_is_snake_case(key):
    doc_type = definition(key)
    for section in doc_type.sections:
        assert SNAKE_CASE.match(section.key)
        assert section.title.sw.strip()
        assert section.title.en.strip()
        for item in section.items:
            assert SNAKE_CASE.match(item.key), item.key
            assert item.label.sw.strip()
            assert item.label.en.strip()
            columns = item.columns if isinstance(item, Table) else ()
            for column in columns:
                assert SNAKE_CASE.match(column.key), column.key
                assert column.label.sw.strip()
                assert column.label.en.strip()
            for field in (item, *columns):
                for choice in getattr(field, "choices", ()):
                    assert choice.label.sw.strip()
                    assert choice.label.en.strip()


def test_the_status_ratings_table_rates_each_dimension_red_amber_or_green():
    table = definition("implementation_report").item("status_ratings")
    assert isinstance(table, Table)
    columns = {column.key: column for column in table.columns}
    assert [c.value for c in columns["dimension"].choices] == [
        "time",
        "cost",
        "scope",
        "quality",
        "risk",
        "benefits",
    ]
    assert [(c.value, c.label.sw) for c in columns["rating"].choices] == [
        ("red", "Nyekundu"),
        ("amber", "Njano"),
        ("green", "Kijani"),
    ]


def test_the_email_request_asks_for_a_check_number_and_an_account_type():
    doc_type = definition("email_account_request")
    check_number = doc_type.item("check_number")
    assert isinstance(check_number, Field)
    assert check_number.kind == "text"
    assert check_number.help is not None
    assert "namba ya cheki" in check_number.help.en
    account_type = doc_type.item("account_type")
    assert isinstance(account_type, Field)
    assert [(c.value, c.label.sw) for c in account_type.choices] == [
        ("personal", "Binafsi"),
        ("institutional", "Ya taasisi"),
        ("group", "Ya kikundi"),
        ("special_purpose", "Ya matumizi maalum"),
    ]


# --- a complete, valid document ------------------------------------------------------------


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_a_fully_filled_example_has_no_errors_and_nothing_missing(key):
    doc_type = definition(key)
    data = full_example(doc_type)
    assert validate_data(doc_type, data) == {}
    assert missing_required(doc_type, data) == {}


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_an_empty_form_is_valid_but_misses_every_required_answer(key):
    doc_type = definition(key)
    assert validate_data(doc_type, {}) == {}
    missing = missing_required(doc_type, {})
    assert set(missing) == {item.key for item in doc_type.items() if item.required}


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_a_null_clears_an_answer_in_a_patch(key):
    doc_type = definition(key)
    assert validate_data(doc_type, dict.fromkeys(doc_type.json_schema()["properties"])) == {}


@pytest.mark.parametrize("key", types_with_cells("text", "date", "money", "choice"))
def test_a_blank_required_cell_is_missing_at_its_row_and_column(key):
    doc_type = definition(key)
    table = next(
        item
        for item in doc_type.items()
        if isinstance(item, Table) and any(column.required for column in item.columns)
    )
    column = next(column for column in table.columns if column.required)
    data = full_example(doc_type)
    del data[table.key][1][column.key]
    missing = missing_required(doc_type, data)
    assert list(missing) == [f"{table.key}[2].{column.key}"]
    assert "row 2" in missing[f"{table.key}[2].{column.key}"][0]


def test_form_data_that_is_not_an_object_is_rejected():
    assert "data" in validate_data(definition("concept_note"), ["not", "an", "object"])


# --- wrong data names the field ------------------------------------------------------------


def only_error(errors: dict[str, list[str]], key: str) -> str:
    """The message(s) of the one key in ``errors``; each must name what is wrong on its own."""
    assert list(errors) == [key], errors
    assert errors[key], errors
    return " | ".join(errors[key])


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_a_number_where_text_belongs_is_an_error_on_that_field(key):
    doc_type = definition(key)
    field = fields_of(doc_type, "text")[0]
    data = full_example(doc_type)
    data[field.key] = 123
    message = only_error(validate_data(doc_type, data), field.key)
    assert field.label.en in message
    assert "must be text" in message


@pytest.mark.parametrize("key", ["concept_note", "completion_report", "terms_of_reference"])
def test_text_where_money_belongs_is_an_error_on_that_field(key):
    doc_type = definition(key)
    field = fields_of(doc_type, "money")[0]
    data = full_example(doc_type)
    data[field.key] = "milioni moja"
    message = only_error(validate_data(doc_type, data), field.key)
    assert field.label.en in message
    assert "whole number" in message


@pytest.mark.parametrize("key", ["implementation_report", "terms_of_reference"])
def test_negative_or_fractional_money_is_an_error_on_that_field(key):
    doc_type = definition(key)
    field = fields_of(doc_type, "money")[0]
    for bad in (-1, 1000.5):
        data = full_example(doc_type)
        data[field.key] = bad
        assert field.label.en in only_error(validate_data(doc_type, data), field.key)


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_an_unknown_field_is_an_error_under_its_own_name(key):
    doc_type = definition(key)
    data = full_example(doc_type)
    data["favourite_colour"] = "blue"
    message = only_error(validate_data(doc_type, data), "favourite_colour")
    assert "favourite_colour" in message
    assert doc_type.name.en in message


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_too_long_text_is_an_error_that_gives_the_limit(key):
    doc_type = definition(key)
    field = fields_of(doc_type, "text", "long_text")[-1]
    limit = field.max_chars()
    assert limit is not None
    data = full_example(doc_type)
    data[field.key] = "x" * (limit + 1)
    message = only_error(validate_data(doc_type, data), field.key)
    assert field.label.en in message
    assert str(limit) in message
    assert str(limit + 1) in message


def test_long_text_is_allowed_up_to_its_limit():
    doc_type = definition("completion_report")
    data = full_example(doc_type)
    data["lessons_learned"] = "x" * LONG_TEXT_MAX
    assert validate_data(doc_type, data) == {}


@pytest.mark.parametrize("key", types_with_fields("date"))
@pytest.mark.parametrize("bad", ["01/07/2025", "2025-13-01", "2025-02-32", "2025-02-30", "jana"])
def test_a_bad_date_is_an_error_on_that_field(key, bad):
    doc_type = definition(key)
    field = fields_of(doc_type, "date")[0]
    data = full_example(doc_type)
    data[field.key] = bad
    message = only_error(validate_data(doc_type, data), field.key)
    assert field.label.en in message
    assert "YYYY-MM-DD" in message


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_a_value_outside_a_choice_is_an_error_that_lists_the_choices(key):
    doc_type = definition(key)
    field = fields_of(doc_type, "choice")[0]
    data = full_example(doc_type)
    data[field.key] = "purple"
    message = only_error(validate_data(doc_type, data), field.key)
    assert field.label.en in message
    for choice in field.choices:
        assert choice.value in message


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_a_bad_email_or_phone_is_an_error_on_that_field(key):
    doc_type = definition(key)
    for field in fields_of(doc_type, "email", "phone"):
        data = full_example(doc_type)
        data[field.key] = "si sahihi"
        message = only_error(validate_data(doc_type, data), field.key)
        assert field.label.en in message


# --- wrong data in a table names the row and the column ------------------------------------


def cell_error(doc_type: DocumentType, table: Table, column: Field, bad: Any) -> tuple[str, str]:
    data = full_example(doc_type, rows=3)
    data[table.key][1][column.key] = bad
    errors = validate_data(doc_type, data)
    path = f"{table.key}[2].{column.key}"
    return path, only_error(errors, path)


def assert_names_the_cell(message: str, table: Table, column: Field) -> None:
    assert table.label.en in message
    assert "row 2" in message
    assert column.label.en in message


@pytest.mark.parametrize("key", types_with_cells("choice"))
def test_a_bad_choice_in_a_table_row_names_the_table_row_and_column(key):
    doc_type = definition(key)
    for table, column in cells_of(doc_type, "choice"):
        _path, message = cell_error(doc_type, table, column, "purple")
        assert_names_the_cell(message, table, column)
        assert "must be one of" in message


@pytest.mark.parametrize("key", types_with_cells("date"))
def test_a_bad_date_in_a_table_row_names_the_table_row_and_column(key):
    doc_type = definition(key)
    for table, column in cells_of(doc_type, "date"):
        for bad in ("31/12/2025", "2025-04-31"):
            _path, message = cell_error(doc_type, table, column, bad)
            assert_names_the_cell(message, table, column)
            assert "YYYY-MM-DD" in message


@pytest.mark.parametrize("key", types_with_cells("money", "number"))
def test_text_where_a_number_belongs_in_a_table_row_names_the_row(key):
    doc_type = definition(key)
    for table, column in cells_of(doc_type, "money", "number"):
        _path, message = cell_error(doc_type, table, column, "elfu kumi")
        assert_names_the_cell(message, table, column)


@pytest.mark.parametrize("key", types_with_cells("text"))
def test_too_long_text_in_a_table_row_names_the_row(key):
    doc_type = definition(key)
    table, column = cells_of(doc_type, "text")[0]
    limit = column.max_chars()
    assert limit is not None
    _path, message = cell_error(doc_type, table, column, "x" * (limit + 1))
    assert_names_the_cell(message, table, column)
    assert str(limit) in message


@pytest.mark.parametrize("key", types_with_cells("text"))
def test_an_unknown_column_in_a_table_row_is_an_error_on_that_row(key):
    doc_type = definition(key)
    table, _column = cells_of(doc_type, "text")[0]
    data = full_example(doc_type, rows=3)
    data[table.key][1]["colour"] = "blue"
    message = only_error(validate_data(doc_type, data), f"{table.key}[2]")
    assert table.label.en in message
    assert "row 2" in message
    assert "colour" in message


@pytest.mark.parametrize("key", types_with_cells("text"))
def test_a_table_that_is_not_a_list_is_an_error_on_the_table(key):
    doc_type = definition(key)
    table, _column = cells_of(doc_type, "text")[0]
    data = full_example(doc_type)
    data[table.key] = {"row": "one"}
    message = only_error(validate_data(doc_type, data), table.key)
    assert table.label.en in message
    assert "list of rows" in message


def test_the_implementation_reports_rag_table_rejects_an_unknown_rating_in_row_two():
    doc_type = definition("implementation_report")
    data = full_example(doc_type)
    data["status_ratings"] = [
        {"dimension": "time", "rating": "green"},
        {"dimension": "cost", "rating": "orange", "comment": "Imezidi kidogo"},
    ]
    message = only_error(validate_data(doc_type, data), "status_ratings[2].rating")
    assert message == "Ratings by dimension, row 2, Rating must be one of: red, amber, green."


def test_the_terms_of_reference_reject_an_unknown_priority():
    doc_type = definition("terms_of_reference")
    data = full_example(doc_type)
    data["requirements"][0]["priority"] = "wont"
    message = only_error(validate_data(doc_type, data), "requirements[1].priority")
    assert "row 1" in message
    assert "must, should, could" in message


def test_errors_in_swahili_use_the_swahili_labels():
    doc_type = definition("implementation_report")
    data = full_example(doc_type, rows=3)
    data["work_completed"][1]["completed_on"] = "jana"
    data["period_start"] = "kesho"
    with translation.override("sw"):
        errors = validate_data(doc_type, data)
    assert set(errors) == {"period_start", "work_completed[2].completed_on"}
    assert "Mwanzo wa kipindi" in errors["period_start"][0]
    cell = errors["work_completed[2].completed_on"][0]
    assert "Kazi zilizokamilika" in cell
    assert "Tarehe ya kukamilika" in cell
    assert "2" in cell


def test_several_errors_are_all_reported_each_under_its_own_key():
    doc_type = definition("completion_report")
    data = full_example(doc_type, rows=3)
    data["final_cost"] = "nyingi"
    data["completion_date"] = "2025-06-31x"
    data["cost_items"][2]["actual_amount"] = -5
    data["objectives_achieved"][0]["achievement"] = "maybe"
    errors = validate_data(doc_type, data)
    assert set(errors) == {
        "final_cost",
        "completion_date",
        "cost_items[3].actual_amount",
        "objectives_achieved[1].achievement",
    }
    assert "row 3" in errors["cost_items[3].actual_amount"][0]
    assert "row 1" in errors["objectives_achieved[1].achievement"][0]
