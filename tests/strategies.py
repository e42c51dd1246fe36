"""Hypothesis strategies for form data that is valid against a type's JSON Schema."""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from forms_templates.definitions import MONEY_MAX, DocumentType, Field, Table

# Any character a person could type (no NUL, no lone surrogates): Swahili, accents, emoji,
# quotes, line breaks.
TEXT_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def value_of(field: Field) -> st.SearchStrategy:
    kind = field.kind
    if kind in ("text", "long_text"):
        return st.text(TEXT_ALPHABET, max_size=min(field.max_chars() or 200, 300))
    if kind == "money":
        return st.integers(min_value=0, max_value=MONEY_MAX)
    if kind == "number":
        return st.one_of(
            st.integers(min_value=-(10**12), max_value=10**12),
            st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
        )
    if kind == "date":
        return st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(dt.date.isoformat)
    if kind == "choice":
        return st.sampled_from([c.value for c in field.choices])
    if kind == "email":
        local = st.text(string.ascii_letters + string.digits + "._-", min_size=1, max_size=20)
        return st.tuples(local, st.sampled_from(["afya.go.tz", "ega.go.tz"])).map("@".join)
    if kind == "phone":
        return st.from_regex(r"\A\+255 [0-9]{2} [0-9]{3} [0-9]{4}\Z")
    raise ValueError(kind)


def form_data(definition: DocumentType, *, max_rows: int = 4) -> st.SearchStrategy[dict]:
    """Schema-valid data: any subset of the fields answered, tables of 0..max_rows rows."""
    entries = {}
    for item in definition.items():
        if isinstance(item, Table):
            row = st.fixed_dictionaries(
                {}, optional={column.key: value_of(column) for column in item.columns}
            )
            entries[item.key] = st.lists(row, max_size=max_rows)
        else:
            entries[item.key] = value_of(item)
    return st.fixed_dictionaries({}, optional=entries)
