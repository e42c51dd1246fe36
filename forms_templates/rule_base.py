"""What every rule across fields is made of: a broken rule, the base class, and reading the
answers a rule refers to (see forms_templates.rules)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from forms_templates.definitions import T, Table

if TYPE_CHECKING:
    from forms_templates.definitions import DocumentType


@dataclass(frozen=True)
class Broken:
    """One broken rule: its code, the fields involved, its message and what was found."""

    code: str
    fields: tuple[str, ...]
    message: T
    detail: str = ""  # the values found, in the active language

    def as_dict(self, lang: str) -> dict[str, Any]:
        return RuleError(
            code=self.code,
            fields=list(self.fields),
            message=self.message.get(lang),
            detail=self.detail,
        )


class RuleError(dict):
    """A broken rule as the API answers it. Its text is its message, so that code listing an
    error's messages (the pages' refusal banner) shows it as a sentence."""

    def __str__(self) -> str:
        detail = self.get("detail")
        return f"{self['message']} {detail}" if detail else str(self["message"])


# --- references to fields --------------------------------------------------------------------


def split_reference(reference: str) -> tuple[str, str | None]:
    """``"table[*].column"`` -> (table, column); ``"field"`` -> (field, None)."""
    if "[*]." in reference:
        table, column = reference.split("[*].", 1)
        return table, column
    return reference, None


def answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def table_rows(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    rows = data.get(table)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def as_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))  # exact: 33.33 + 33.33 + 33.34 is 100
    except InvalidOperation:
        return None


def show_number(value: Decimal) -> str:
    """1,500,000 as the forms write money; 33.5 as it is."""
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,}"


def row_list(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


class Rule:
    """What every rule has: a ``code`` unique in its type and a ``message`` in both languages."""

    kind: ClassVar[str]
    # Whether it reads the institution's mail domains (the caller fetches them only then).
    uses_mail_domains: ClassVar[bool] = False
    code: str
    message: T

    def references(self) -> tuple[str, ...]:
        raise NotImplementedError

    def parameters(self) -> dict[str, Any]:
        return {}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "fields": list(self.references()),
            "message": self.message.as_dict(),
            **self.parameters(),
        }

    def _broken(self, fields: Iterable[str], detail: str = "") -> Broken:
        return Broken(code=self.code, fields=tuple(fields), message=self.message, detail=detail)

    def check(self, definition: DocumentType) -> None:
        """Raise ValueError when the rule names a field the type lacks or of the wrong kind."""
        for reference in self.references():
            field_of(definition, reference, self)


KINDS_BY_RULE = {
    "date_order": ("date",),
    "dates_within": ("date",),
    "sum_equals": ("money", "number"),
    "sum_at_most": ("money", "number"),
    "range": ("money", "number"),
    "mail_domain": ("email",),
    "product_equals": ("money", "number"),
}


def field_of(definition: DocumentType, reference: str, rule: Rule):
    key, column = split_reference(reference)
    item = definition.item(key)
    if column is not None:
        if not isinstance(item, Table):
            raise ValueError(f"{definition.key}.{rule.code}: {key!r} is not a table")
        item = next((c for c in item.columns if c.key == column), None)
    if item is None or isinstance(item, Table):
        raise ValueError(f"{definition.key}.{rule.code}: no field {reference!r}")
    kinds = KINDS_BY_RULE.get(rule.kind)
    if kinds and item.kind not in kinds:
        raise ValueError(f"{definition.key}.{rule.code}: {reference!r} is not {'/'.join(kinds)}")
    return item
