"""Export then import gives back exactly the data, for every type: property-tested over
schema-valid data (tables, Swahili, accents, emoji, quotes, line breaks, control characters)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_templates.definitions import DocumentType, Field, T, Table
from forms_templates.docx import DocxError, ExportInfo, build_document, read_docx
from forms_templates.docx.values import parse, render, word_text
from forms_templates.registry import ORDER, get_type
from forms_templates.validation import validate_data
from tests.forms_templates import docx_files as files

TYPES = list(ORDER)
INFO = ExportInfo(
    title="Mfumo wa “Afya” — 2027 😀",
    institution=T("Wizara ya Afya", "Ministry of Health"),
    reference="EGA/CN/2027/0042",
    version=3,
    status=T("Rasimu", "Draft"),
)


def strict(value: Any) -> str:
    """JSON as stored: 3 and 3.0 differ, as do "" and an absent key."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _from_word(field: Field, value: Any) -> Any:
    """What the Word file alone says about a stored value."""
    if field.kind in ("text", "long_text"):
        return word_text(value) or None
    if field.kind in ("email", "phone"):
        return word_text(value).strip() or None
    return value


def from_word(definition: DocumentType, data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in definition.items():
        if item.key not in data:
            continue
        if isinstance(item, Table):
            rows = []
            for row in data[item.key]:
                values = {
                    column.key: _from_word(column, row[column.key])
                    for column in item.columns
                    if column.key in row
                }
                values = {key: value for key, value in values.items() if value is not None}
                if any(render(c, row.get(c.key)) for c in item.columns):
                    rows.append(values)
            if rows:
                result[item.key] = rows
        else:
            value = _from_word(item, data[item.key])
            if value is not None:
                result[item.key] = value
    return result


@pytest.mark.parametrize("key", TYPES)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_export_then_import_gives_back_the_same_data(key, data):
    definition = get_type(key)
    stored = data.draw(files.data_strategy(definition))
    assert validate_data(definition, stored) == {}  # the strategy makes schema-valid data
    content = build_document(definition, stored, INFO)

    # Imported over the document it came from: exact, byte for byte.
    form = read_docx(definition, content)
    assert strict(form.to_data(current=stored)) == strict(stored)

    # Imported anywhere: exact wherever Word can hold the text ("" is no answer, \r\n is \n).
    expected = from_word(definition, stored)
    with translation.override("en"):
        if validate_data(definition, expected):
            with pytest.raises(DocxError):
                form.to_data()
        else:
            assert strict(form.to_data()) == strict(expected)


@pytest.mark.parametrize("key", TYPES)
def test_every_awkward_text_survives_in_every_text_field_and_table(key):
    definition = get_type(key)
    texts = files.NASTY_TEXTS
    for shift in range(3):
        stored: dict[str, Any] = {}
        for index, item in enumerate(definition.items()):
            if isinstance(item, Table):
                # One row per awkward text, and an empty row object.
                stored[item.key] = [
                    {c.key: text[: c.max_chars()] for c in item.columns if c.kind == "text"}
                    for text in texts
                ] + [{}]
            elif item.kind in ("text", "long_text"):
                stored[item.key] = texts[(index + shift) % len(texts)][: item.max_chars()]
        assert validate_data(definition, stored) == {}
        content = build_document(definition, stored, INFO)
        assert strict(read_docx(definition, content).to_data(current=stored)) == strict(stored)


def test_tables_at_their_row_limit_round_trip():
    definition = get_type("completion_report")
    stored = files_complete("completion_report", rows=500)
    content = build_document(definition, stored, INFO)
    assert strict(read_docx(definition, content).to_data()) == strict(stored)


def files_complete(key: str, rows: int) -> dict[str, Any]:
    from tests.helpers import complete_data

    return complete_data(key, rows=rows)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("number", "3", 3),
        ("number", "3.0", 3.0),
        ("number", "-1,234.5", -1234.5),
        ("number", "1e-05", 1e-05),
        ("number", "1 234", 1234),
        ("number", "1,5", "1,5"),  # a decimal comma is not guessed at: the schema refuses it
        ("money", "TZS 1,500,000", 1_500_000),
        ("money", "1,500,000/=", 1_500_000),
        ("money", "Tsh. 2 000", 2000),
        ("money", "elfu mbili", "elfu mbili"),
        ("date", "2027-01-15", "2027-01-15"),
        ("date", "5/1/2027", "2027-01-05"),
        ("date", "15.01.2027", "2027-01-15"),
        ("date", "jana", "jana"),
        ("email", "  mtu@afya.go.tz ", "mtu@afya.go.tz"),
        ("text", "  as typed  ", "  as typed  "),
        ("text", "", None),
    ],
)
def test_what_a_person_types_is_read_leniently_and_exactly(kind, text, value):
    field = Field("answer", kind, T("Jibu", "Answer"))
    parsed = parse(field, text)
    assert strict(parsed) == strict(value)


def test_a_choice_is_read_from_its_key_or_its_label_in_either_language():
    field = get_type("terms_of_reference").item("requirements").columns[2]
    for text in ("must", "Must have", "LAZIMA", "Lazima / Must have", "  lazima  "):
        assert parse(field, text) == "must"
    assert render(field, "should") == "Muhimu / Should have"
    assert parse(field, render(field, "should")) == "should"
