"""Rules across fields: what must hold between a document's answers before it leaves the draft.

A type declares its rules as data (``DocumentType.rules``); every required table adds a
``rows_required`` rule of its own. The same rules are checked wherever a document goes for
signature or to the agency (``request-signatures``, ``submit``), whatever filled it in (the API,
the Word import, the browser form), and published in the type's API description so that outside
clients can check them too. A draft may be saved with rules broken: the officer is mid-way.

A field reference is a field key (``start_date``) or a table's column in every row
(``budget_items[*].amount``). A broken rule names the fields involved, a table's cells as
``budget_items[2].amount`` (rows counted from 1, as people count them, as in validation).

Rules skip what is unanswered: a missing answer is the completeness check's business
(``validation.missing_required``), so a rule never reports what is merely not filled in yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _split(reference: str) -> tuple[str, str | None]:
    """``"table[*].column"`` -> (table, column); ``"field"`` -> (field, None)."""
    if "[*]." in reference:
        table, column = reference.split("[*].", 1)
        return table, column
    return reference, None


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _rows(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    rows = data.get(table)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))  # exact: 33.33 + 33.33 + 33.34 is 100
    except InvalidOperation:
        return None


def _show(value: Decimal) -> str:
    """1,500,000 as the forms write money; 33.5 as it is."""
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,}"


def _row_list(numbers: Sequence[int]) -> str:
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
            _field_of(definition, reference, self)


_KINDS_BY_RULE = {
    "date_order": ("date",),
    "dates_within": ("date",),
    "sum_equals": ("money", "number"),
    "sum_at_most": ("money", "number"),
    "range": ("money", "number"),
    "mail_domain": ("email",),
}


def _field_of(definition: DocumentType, reference: str, rule: Rule):
    key, column = _split(reference)
    item = definition.item(key)
    if column is not None:
        if not isinstance(item, Table):
            raise ValueError(f"{definition.key}.{rule.code}: {key!r} is not a table")
        item = next((c for c in item.columns if c.key == column), None)
    if item is None or isinstance(item, Table):
        raise ValueError(f"{definition.key}.{rule.code}: no field {reference!r}")
    kinds = _KINDS_BY_RULE.get(rule.kind)
    if kinds and item.kind not in kinds:
        raise ValueError(f"{definition.key}.{rule.code}: {reference!r} is not {'/'.join(kinds)}")
    return item


# --- the kinds of rule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DateOrder(Rule):
    """``earlier`` on or before ``later`` (a start before its end)."""

    code: str
    earlier: str
    later: str
    message: T
    kind: ClassVar[str] = "date_order"

    def references(self) -> tuple[str, ...]:
        return (self.earlier, self.later)

    def parameters(self) -> dict[str, Any]:
        return {"earlier": self.earlier, "later": self.later}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        earlier, later = _date(data.get(self.earlier)), _date(data.get(self.later))
        if earlier is None or later is None or earlier <= later:
            return None
        return self._broken(
            (self.earlier, self.later),
            _("Found: %(earlier)s and %(later)s.")
            % {"earlier": earlier.isoformat(), "later": later.isoformat()},
        )


@dataclass(frozen=True)
class DatesWithin(Rule):
    """Every row's date (``dates``, a ``table[*].column``) on or after ``start`` and on or before
    ``end``; either bound may be left out."""

    code: str
    dates: str
    message: T
    start: str | None = None
    end: str | None = None
    kind: ClassVar[str] = "dates_within"

    def references(self) -> tuple[str, ...]:
        return tuple(r for r in (self.dates, self.start, self.end) if r)

    def parameters(self) -> dict[str, Any]:
        return {"dates": self.dates, "start": self.start, "end": self.end}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        table, column = _split(self.dates)
        start = _date(data.get(self.start)) if self.start else None
        end = _date(data.get(self.end)) if self.end else None
        if start is None and end is None:
            return None
        outside = []
        for number, row in enumerate(_rows(data, table), start=1):
            when = _date(row.get(column))
            if when is not None and ((start and when < start) or (end and when > end)):
                outside.append(number)
        if not outside:
            return None
        detail = ngettext(
            "Row %(rows)s is outside %(start)s – %(end)s.",
            "Rows %(rows)s are outside %(start)s – %(end)s.",
            len(outside),
        ) % {
            "rows": _row_list(outside),
            "start": start.isoformat() if start else "…",
            "end": end.isoformat() if end else "…",
        }
        cells = [f"{table}[{n}].{column}" for n in outside]
        bounds = [r for r, v in ((self.start, start), (self.end, end)) if r and v]
        return self._broken([*cells, *bounds], detail)


class _Sum(Rule):
    lines: str

    def _line_values(self, data: dict[str, Any]) -> tuple[list[str], list[Decimal]] | None:
        """The cells and their values; None when there are no rows or a row is unanswered."""
        table, column = _split(self.lines)
        rows = _rows(data, table)
        values = [_number(row.get(column)) for row in rows]
        if not rows or any(value is None for value in values):
            return None
        cells = [f"{table}[{n}].{column}" for n in range(1, len(rows) + 1)]
        return cells, values


@dataclass(frozen=True)
class SumEquals(_Sum):
    """A declared total (a field, or a fixed number such as 100 per cent) equals the sum of a
    table's column. The total is typed by the officer and checked, not computed: what is signed
    is what the officer wrote."""

    code: str
    total: str | int
    lines: str
    message: T
    kind: ClassVar[str] = "sum_equals"

    def references(self) -> tuple[str, ...]:
        return (self.total, self.lines) if isinstance(self.total, str) else (self.lines,)

    def parameters(self) -> dict[str, Any]:
        return {"total": self.total, "lines": self.lines}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        found = self._line_values(data)
        if isinstance(self.total, str):
            total = _number(data.get(self.total))
            total_fields: tuple[str, ...] = (self.total,)
        else:
            total, total_fields = Decimal(self.total), ()
        if found is None or total is None:
            return None
        cells, values = found
        if sum(values) == total:
            return None
        detail = _("Stated: %(total)s; the rows add up to %(sum)s.") % {
            "total": _show(total),
            "sum": _show(sum(values)),
        }
        return self._broken([*total_fields, *cells], detail)


@dataclass(frozen=True)
class SumAtMost(_Sum):
    """The sum of a table's column does not exceed a ceiling field."""

    code: str
    ceiling: str
    lines: str
    message: T
    kind: ClassVar[str] = "sum_at_most"

    def references(self) -> tuple[str, ...]:
        return (self.ceiling, self.lines)

    def parameters(self) -> dict[str, Any]:
        return {"ceiling": self.ceiling, "lines": self.lines}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        ceiling = _number(data.get(self.ceiling))
        table, column = _split(self.lines)
        cells, values = [], []
        for number, row in enumerate(_rows(data, table), start=1):
            value = _number(row.get(column))
            if value is not None:
                cells.append(f"{table}[{number}].{column}")
                values.append(value)
        if ceiling is None or not values or sum(values) <= ceiling:
            return None
        detail = _("Ceiling: %(ceiling)s; the rows add up to %(sum)s.") % {
            "ceiling": _show(ceiling),
            "sum": _show(sum(values)),
        }
        return self._broken([self.ceiling, *cells], detail)


@dataclass(frozen=True)
class Range(Rule):
    """A number (a field, or a table's column in every row) between ``low`` and ``high``,
    inclusive: a percentage from 0 to 100."""

    code: str
    field: str
    message: T
    low: int = 0
    high: int = 100
    kind: ClassVar[str] = "range"

    def references(self) -> tuple[str, ...]:
        return (self.field,)

    def parameters(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        key, column = _split(self.field)
        if column is None:
            cells = [(key, data.get(key))]
        else:
            cells = [
                (f"{key}[{n}].{column}", row.get(column))
                for n, row in enumerate(_rows(data, key), start=1)
            ]
        outside = []
        for name, raw in cells:
            value = _number(raw)
            if value is not None and not self.low <= value <= self.high:
                outside.append((name, value))
        if not outside:
            return None
        detail = _("Found: %(values)s (allowed %(low)s to %(high)s).") % {
            "values": ", ".join(_show(value) for _name, value in outside),
            "low": self.low,
            "high": self.high,
        }
        return self._broken([name for name, _value in outside], detail)


@dataclass(frozen=True)
class MailDomain(Rule):
    """An e-mail address in one of the institution's own mail domains (set in admin). With no
    domain set, no address can be right: the request waits until the administrator sets one."""

    code: str
    field: str
    message: T
    kind: ClassVar[str] = "mail_domain"
    uses_mail_domains: ClassVar[bool] = True

    def references(self) -> tuple[str, ...]:
        return (self.field,)

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        address = data.get(self.field)
        if not _answered(address) or not isinstance(address, str):
            return None
        domain = address.strip().rpartition("@")[2].lower()
        allowed = [d.lower() for d in mail_domains]
        if domain in allowed:
            return None
        if not allowed:
            detail = _("Your institution has no mail domain set: ask your administrator to add it.")
        else:
            detail = _(
                "%(domain)s is not one of your institution's mail domains (%(allowed)s)."
            ) % {
                "domain": domain,
                "allowed": ", ".join(allowed),
            }
        return self._broken((self.field,), detail)


@dataclass(frozen=True)
class RowsRequired(Rule):
    """A required table has at least one row (every ``Table(required=True)`` adds one)."""

    code: str
    table: str
    message: T
    kind: ClassVar[str] = "rows_required"

    def references(self) -> tuple[str, ...]:
        return (self.table,)

    def check(self, definition: DocumentType) -> None:
        if not isinstance(definition.item(self.table), Table):
            raise ValueError(f"{definition.key}.{self.code}: {self.table!r} is not a table")

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        return None if _rows(data, self.table) else self._broken((self.table,))


# --- a type's rules ------------------------------------------------------------------------------


def rules_of(definition: DocumentType) -> tuple[Rule, ...]:
    """The type's declared rules, then one ``rows_required`` for each required table."""
    cached = definition.extra.get("_rules")
    if cached is None:
        derived = tuple(
            RowsRequired(
                code=f"{item.key}_rows_required",
                table=item.key,
                message=T(
                    f"Jedwali “{item.label.sw}” linahitaji angalau mstari mmoja.",
                    f"The table “{item.label.en}” needs at least one row.",
                ),
            )
            for item in definition.items()
            if isinstance(item, Table) and item.required
        )
        cached = (*definition.rules, *derived)
        definition.extra["_rules"] = cached
    return cached


def uses_mail_domains(definition: DocumentType) -> bool:
    return any(rule.uses_mail_domains for rule in rules_of(definition))


def describe_rules(definition: DocumentType) -> list[dict[str, Any]]:
    """The rules as the type's API description publishes them (messages in both languages)."""
    return [rule.describe() for rule in rules_of(definition)]


def broken_rules(
    definition: DocumentType, data: Any, *, mail_domains: Sequence[str] = ()
) -> list[Broken]:
    """Every rule of the type that ``data`` breaks, in declaration order (empty: all hold).

    ``mail_domains`` are the institution's own mail domains, for ``mail_domain`` rules.
    """
    if not isinstance(data, dict):
        return []
    found = (rule.broken(data, mail_domains=mail_domains) for rule in rules_of(definition))
    return [broken for broken in found if broken is not None]


def messages_by_field(broken: Iterable[Broken], lang: str) -> dict[str, list[str]]:
    """``{field: [message, ...]}`` for showing broken rules beside the fields they involve; a
    table's cells also under the table's own key, so a form showing tables whole shows them."""
    by_field: dict[str, list[str]] = {}
    for rule in broken:
        text = str(rule.as_dict(lang))
        for name in rule.fields:
            for key in dict.fromkeys((name, name.split("[", 1)[0])):
                messages = by_field.setdefault(key, [])
                if text not in messages:
                    messages.append(text)
    return by_field


def check_rules(definition: DocumentType) -> None:
    """Raise ValueError when a rule is inconsistent with its type (called by the registry)."""
    seen: set[str] = set()
    for rule in rules_of(definition):
        if rule.code in seen:
            raise ValueError(f"{definition.key}: duplicate rule code {rule.code!r}")
        seen.add(rule.code)
        rule.check(definition)
