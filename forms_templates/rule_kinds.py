"""The kinds of rule across fields a type may declare (see forms_templates.rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forms_templates.definitions import T, Table
from forms_templates.rule_base import (
    Broken,
    Rule,
    answered,
    as_date,
    as_number,
    row_list,
    show_number,
    split_reference,
    table_rows,
)

if TYPE_CHECKING:
    from forms_templates.definitions import DocumentType


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
        earlier, later = as_date(data.get(self.earlier)), as_date(data.get(self.later))
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
        table, column = split_reference(self.dates)
        start = as_date(data.get(self.start)) if self.start else None
        end = as_date(data.get(self.end)) if self.end else None
        if start is None and end is None:
            return None
        outside = []
        for number, row in enumerate(table_rows(data, table), start=1):
            when = as_date(row.get(column))
            if when is not None and ((start and when < start) or (end and when > end)):
                outside.append(number)
        if not outside:
            return None
        detail = ngettext(
            "Row %(rows)s is outside %(start)s – %(end)s.",
            "Rows %(rows)s are outside %(start)s – %(end)s.",
            len(outside),
        ) % {
            "rows": row_list(outside),
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
        table, column = split_reference(self.lines)
        rows = table_rows(data, table)
        values = [as_number(row.get(column)) for row in rows]
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
            total = as_number(data.get(self.total))
            total_fields: tuple[str, ...] = (self.total,)
        else:
            total, total_fields = Decimal(self.total), ()
        if found is None or total is None:
            return None
        cells, values = found
        if sum(values) == total:
            return None
        detail = _("Stated: %(total)s; the rows add up to %(sum)s.") % {
            "total": show_number(total),
            "sum": show_number(sum(values)),
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
        ceiling = as_number(data.get(self.ceiling))
        table, column = split_reference(self.lines)
        cells, values = [], []
        for number, row in enumerate(table_rows(data, table), start=1):
            value = as_number(row.get(column))
            if value is not None:
                cells.append(f"{table}[{number}].{column}")
                values.append(value)
        if ceiling is None or not values or sum(values) <= ceiling:
            return None
        detail = _("Ceiling: %(ceiling)s; the rows add up to %(sum)s.") % {
            "ceiling": show_number(ceiling),
            "sum": show_number(sum(values)),
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
        key, column = split_reference(self.field)
        if column is None:
            cells = [(key, data.get(key))]
        else:
            cells = [
                (f"{key}[{n}].{column}", row.get(column))
                for n, row in enumerate(table_rows(data, key), start=1)
            ]
        outside = []
        for name, raw in cells:
            value = as_number(raw)
            if value is not None and not self.low <= value <= self.high:
                outside.append((name, value))
        if not outside:
            return None
        detail = _("Found: %(values)s (allowed %(low)s to %(high)s).") % {
            "values": ", ".join(show_number(value) for _name, value in outside),
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
        if not answered(address) or not isinstance(address, str):
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
        return None if table_rows(data, self.table) else self._broken((self.table,))


@dataclass(frozen=True)
class ProductEquals(Rule):
    """In every row, ``product`` equals ``factor`` × ``by`` (a line total is its quantity times
    its unit cost); all three are columns of one table."""

    code: str
    product: str
    factor: str
    by: str
    message: T
    kind: ClassVar[str] = "product_equals"

    def references(self) -> tuple[str, ...]:
        return (self.product, self.factor, self.by)

    def parameters(self) -> dict[str, Any]:
        return {"product": self.product, "factor": self.factor, "by": self.by}

    def check(self, definition: DocumentType) -> None:
        super().check(definition)
        if len({split_reference(r)[0] for r in self.references()}) != 1:
            raise ValueError(f"{definition.key}.{self.code}: the columns of one table")

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        table, product = split_reference(self.product)
        factor, by = split_reference(self.factor)[1], split_reference(self.by)[1]
        wrong = []
        for number, row in enumerate(table_rows(data, table), start=1):
            values = [as_number(row.get(column)) for column in (product, factor, by)]
            if None not in values and values[0] != values[1] * values[2]:
                wrong.append(number)
        if not wrong:
            return None
        detail = ngettext(
            "Row %(rows)s does not multiply out.", "Rows %(rows)s do not multiply out.", len(wrong)
        ) % {"rows": row_list(wrong)}
        columns = (product, factor, by)
        return self._broken([f"{table}[{n}].{c}" for n in wrong for c in columns], detail)


@dataclass(frozen=True)
class RequiredWhen(Rule):
    """``field`` is answered when ``when`` holds one of ``values`` (a custodian for a mailbox
    that is not personal)."""

    code: str
    field: str
    when: str
    values: tuple[str, ...]
    message: T
    kind: ClassVar[str] = "required_when"

    def references(self) -> tuple[str, ...]:
        return (self.field, self.when)

    def parameters(self) -> dict[str, Any]:
        return {"field": self.field, "when": self.when, "values": list(self.values)}

    def broken(self, data: dict[str, Any], *, mail_domains: Sequence[str]) -> Broken | None:
        if data.get(self.when) not in self.values or answered(data.get(self.field)):
            return None
        return self._broken((self.field, self.when))
