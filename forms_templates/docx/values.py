"""One answer as Word shows it, and back: what the export writes into a cell, and what the import
makes of what a person typed there.

``render`` is what the export writes (and what the import compares with, to keep an unchanged
stored answer exactly as stored). ``parse`` reads a person's typing leniently (thousands
separators, ``TZS``, ``15/01/2027``, a choice's label in either language); what it cannot read it
returns unchanged, so that the JSON Schema names the field in its message.
"""

from __future__ import annotations

import re
from typing import Any

from forms_templates.definitions import Field

# XML 1.0 cannot hold these; Word has no carriage return apart from the paragraph break.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_SEPARATORS = ", \u00a0\u202f"
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?$")
_MONEY_PREFIX = re.compile(r"^(?:tzs|tsh\.?|shs?\.?)\s*", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"\s*(?:/=|/-|tzs|tsh\.?)$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SPACES = re.compile(r"\s+")


def word_text(value: str) -> str:
    """The text as a Word file can hold it: line breaks as ``\\n``, no characters XML forbids."""
    return _NOT_IN_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _number_text(value: int | float) -> str:
    # format(..., ",") keeps the shortest exact repr of a float, and ints stay ints: "3" vs "3.0".
    return format(value, ",")


def choice_text(field: Field, value: str) -> str:
    for choice in field.choices:
        if choice.value == value:
            sw, en = choice.label.sw, choice.label.en
            return sw if sw == en else f"{sw} / {en}"
    return value


def render(field: Field, value: Any) -> str:
    """The cell text for a stored value (absent: empty)."""
    if value is None:
        return ""
    if (
        field.kind in ("number", "money")
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return _number_text(value)
    if field.kind == "choice" and isinstance(value, str):
        return word_text(choice_text(field, value))
    if isinstance(value, str):
        return word_text(value)
    return word_text(str(value))


def _choice_key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _choice_index(field: Field) -> dict[str, str]:
    index: dict[str, str] = {}
    for choice in field.choices:
        index.setdefault(_choice_key(choice.value), choice.value)
    for choice in field.choices:
        for text in (
            choice.label.sw,
            choice.label.en,
            f"{choice.label.sw} / {choice.label.en}",
            f"{choice.label.sw} ({choice.label.en})",
            f"{choice.label.sw}/{choice.label.en}",
        ):
            index.setdefault(_choice_key(text), choice.value)
    return index


def parse_number(text: str) -> int | float | None:
    candidate = text.strip().replace("\u2212", "-")
    if not _NUMBER.match(candidate):
        return None
    for separator in _SEPARATORS:
        candidate = candidate.replace(separator, "")
    if "." in candidate or "e" in candidate or "E" in candidate:
        try:
            number = float(candidate)
        except ValueError:
            return None
        return number if number == number and abs(number) != float("inf") else None
    return int(candidate)


def parse(field: Field, text: str) -> Any:
    """The value for a cell's text; None when the cell is empty (the answer is absent)."""
    if text == "":
        return None
    kind = field.kind
    if kind in ("text", "long_text"):
        return text  # exactly as typed: nothing a person wrote is trimmed away
    stripped = text.strip()
    if not stripped:
        return None
    if kind == "number":
        number = parse_number(stripped)
        return stripped if number is None else number
    if kind == "money":
        amount = _MONEY_SUFFIX.sub("", _MONEY_PREFIX.sub("", stripped))
        number = parse_number(amount)
        return stripped if number is None else number
    if kind == "date":
        if _ISO_DATE.match(stripped):
            return stripped
        match = _DAY_FIRST_DATE.match(stripped)
        if match:
            day, month, year = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return stripped
    if kind == "choice":
        return _choice_index(field).get(_choice_key(stripped), stripped)
    return stripped  # email, phone
