"""How the agency is doing, in figures: what waits and for how long, decisions per week, how
long a decision takes per type and per institution, what is overdue, how often documents come
back for changes.

Every figure is an aggregate query (a fixed number of queries whatever the number of documents;
no loop over documents in Python). On PostgreSQL, four: the waiting documents (age bands and the
overdue count, FILTER aggregates in one pass), decisions per week, every per-type,
per-institution and overall figure (one query: three index-only scans in order, see
``_PG_PART``), and the overdue list. Returns for changes are counted on the document's row
(``returns_for_changes``, kept by a trigger), so no figure joins the reviews.

"Time to decision" is from a document's first submission to its final decision (approved or
rejected: ``status_changed_at`` of a final status). Medians and 90th percentiles are
PostgreSQL's ``percentile_cont`` (continuous: between two middle values, interpolated), of the
interval itself (to the microsecond); SQLite has no percentile function, so there the same
interpolation is computed in SQL with window functions (``ROW_NUMBER`` / ``COUNT`` over each
group). ``IDHINI_BENCH_ONLY=dashboard python -m bench agency`` times it at 100,000 documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from approvals.deadlines import overdue_q, steps
from approvals.models import Review
from workflow.models import QUEUE_STATUSES, Document, Status

FINAL = (Status.APPROVED, Status.REJECTED)
DAY = 86400.0
AGE_BANDS = ((0, 2), (3, 5), (6, 10), (11, None))  # whole days waiting, inclusive
WEEKS = 12
OVERDUE_LISTED = 20


class Seconds(Func):
    """``end - start`` in seconds (a float), on PostgreSQL and SQLite."""

    output_field = FloatField()
    arg_joiner = ", "

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(
            compiler,
            conn,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float8",
            arg_joiner=" - ",
        )

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(
            compiler,
            conn,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
        )


@dataclass
class GroupFigures:
    key: Any
    decided: int = 0
    within_target: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    returned: int = 0
    returns: int = 0

    @property
    def within_share(self) -> float | None:
        return self.within_target / self.decided if self.decided else None

    @property
    def returned_share(self) -> float | None:
        return self.returned / self.decided if self.decided else None

    @property
    def rounds(self) -> float | None:
        return 1 + self.returns / self.decided if self.decided else None


@dataclass
class Figures:
    now: datetime
    target_days: int
    waiting_by_age: list[tuple[tuple[int, int | None], int]] = field(default_factory=list)
    waiting: int = 0
    weeks: list[tuple[date, dict[str, int]]] = field(default_factory=list)
    by_type: list[GroupFigures] = field(default_factory=list)
    by_institution: list[GroupFigures] = field(default_factory=list)
    overall: GroupFigures | None = None
    overdue_count: int = 0
    overdue: list[Document] = field(default_factory=list)


def _waiting(documents: QuerySet[Document], now: datetime) -> tuple[list, int, int]:
    """(documents in the queue by age band, in the queue, overdue): one pass over the documents
    that wait on someone (the partial index ``document_waiting_idx``)."""
    queue = Q(status__in=QUEUE_STATUSES)
    late = overdue_q(now)
    counts: dict[str, Any] = {}
    for index, (low, high) in enumerate(AGE_BANDS):
        condition = queue & Q(last_submitted_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(last_submitted_at__gt=now - timedelta(days=high + 1))
        counts[f"band{index}"] = Count("pk", filter=condition)
    waiting = documents.filter(status__in=sorted({*QUEUE_STATUSES, *steps()}))
    row = waiting.aggregate(
        total=Count("pk", filter=queue), late=Count("pk", filter=late), **counts
    )
    bands = [(band, row[f"band{i}"]) for i, band in enumerate(AGE_BANDS)]
    return bands, row["total"], row["late"]


def _weeks(
    documents: QuerySet[Document] | None, now: datetime
) -> list[tuple[date, dict[str, int]]]:
    this_week = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    first = this_week - timedelta(weeks=WEEKS - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    reviews = Review.objects.filter(created_at__gte=start)
    if documents is not None:
        reviews = reviews.filter(document__in=documents)
    rows = (
        reviews.annotate(week=TruncWeek("created_at"))
        .values("week", "decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[date, dict[str, int]] = {}
    for row in rows:  # at most WEEKS x 3 rows
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        counts.setdefault(week, {})[row["decision"]] = row["n"]
    weeks = [first + timedelta(weeks=i) for i in range(WEEKS)]
    return [(week, counts.get(week, {})) for week in weeks]


def _decided(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.filter(status__in=FINAL, submitted_at__isnull=False)


def _sqlite_percentiles(decided: QuerySet[Document], group: str | None) -> dict[Any, tuple]:
    """{group: (median seconds, p90 seconds)} with percentile_cont's interpolation, in SQL."""
    inner = (
        decided.annotate(g=F(group) if group else Value(None, output_field=IntegerField()))
        .annotate(s=Seconds("status_changed_at", "submitted_at"))
        .values_list("g", "s")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    parts = []
    for name, fraction in (("p50", 0.5), ("p90", 0.9)):
        pos = f"(1 + {fraction} * (n - 1))"
        low = f"CAST({pos} AS INTEGER)"
        at_low = f"MAX(CASE WHEN rn = {low} THEN s END)"
        at_high = f"MAX(CASE WHEN rn = {low} + ({pos} > {low}) THEN s END)"
        parts.append(f"{at_low} + MAX({pos} - {low}) * ({at_high} - {at_low}) AS {name}")
    query = (
        f"WITH d(g, s) AS ({sql}), "  # noqa: S608 - our own SQL, parameters passed apart
        "r AS (SELECT g, s, ROW_NUMBER() OVER (PARTITION BY g ORDER BY s) AS rn, "
        "COUNT(*) OVER (PARTITION BY g) AS n FROM d) "
        f"SELECT g, {', '.join(parts)} FROM r GROUP BY g"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {g: (p50, p90) for g, p50, p90 in cursor.fetchall()}


_SETS = {1: "type", 2: "institution", 3: None}  # which grouping a PostgreSQL row belongs to


def _returns_annotations() -> dict[str, Any]:
    """Documents returned at least once, and returns in all: the count on each document's row
    (kept by the database, approvals 0007)."""
    return {
        "returned": Count("pk", filter=Q(returns_for_changes__gt=0)),
        "returns": Sum("returns_for_changes"),
    }


def _groups(decided: QuerySet[Document], group: str | None, target_days: int) -> list[GroupFigures]:
    """Figures per ``group`` ("type", "institution"), or of everything together (None): SQLite."""
    within = Q(status_changed_at__lte=F("submitted_at") + timedelta(days=target_days))
    annotations: dict[str, Any] = {"n": Count("pk"), "within": Count("pk", filter=within)}
    annotations.update(_returns_annotations())
    field_name = {"type": "type", "institution": "institution_id", None: None}[group]
    if field_name is None:
        rows = [{None: None, **decided.aggregate(**annotations)}]
    else:
        rows = list(decided.values(field_name).annotate(**annotations).order_by(field_name))
    percentiles = _sqlite_percentiles(decided, field_name)
    return [
        _group(
            row[field_name],
            row["n"],
            row["within"],
            percentiles.get(row[field_name], (None, None)),
            (row["returned"], row["returns"]),
        )
        for row in rows  # one row per type or institution
    ]


def _group(key, decided: int, within: int, seconds: tuple, returns: tuple) -> GroupFigures:
    p50, p90 = seconds
    return GroupFigures(
        key=key,
        decided=decided,
        within_target=within,
        median_days=p50 / DAY if p50 is not None else None,
        p90_days=p90 / DAY if p90 is not None else None,
        returned=returns[0],
        returns=int(returns[1] or 0),
    )


# Per type, per institution and all together: each an index-only scan of the decided documents
# already ordered by group and time to decision (workflow 0010's three indexes), so that the
# percentiles' sort finds its input in order and no other sort is needed (grouping sets over one
# scan sort the documents twice and each group's times again: three times as long).
# Percentiles are of the interval itself, to the microsecond.
_PG_PART = (
    "(SELECT {grouping}, {key}, COUNT(*), "
    "COUNT(*) FILTER (WHERE d.status_changed_at <= d.submitted_at + %s * INTERVAL '1 day'), "
    "EXTRACT(EPOCH FROM (PERCENTILE_CONT(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d.time))[1])"
    "::float8, "
    "EXTRACT(EPOCH FROM (PERCENTILE_CONT(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY d.time))[2])"
    "::float8, "
    "COUNT(*) FILTER (WHERE d.returns_for_changes > 0), SUM(d.returns_for_changes) "
    "FROM (SELECT type, institution_id, submitted_at, status_changed_at, returns_for_changes, "
    "(status_changed_at - submitted_at) AS time FROM workflow_document "
    "WHERE status IN ('approved', 'rejected') AND submitted_at IS NOT NULL{scope} "
    "ORDER BY {order}(status_changed_at - submitted_at)) d{group_by})"
)
_PG_PARTS = (  # (grouping as in _SETS, key columns, the index's leading column)
    (1, "d.type, NULL::bigint", "type"),
    (2, "NULL::varchar, d.institution_id", "institution_id"),
    (3, "NULL::varchar, NULL::bigint", None),
)


def _pg_groups(institution_id: int | None, target_days: int) -> dict[str | None, list]:
    """{"type": [...], "institution": [...], None: [everything]}, in one query."""
    scope = "" if institution_id is None else " AND institution_id = %s"
    parts, params = [], []
    for grouping, key, column in _PG_PARTS:
        parts.append(
            _PG_PART.format(
                grouping=grouping,
                key=key,
                scope=scope,
                order=f"{column}, " if column else "",
                group_by=f" GROUP BY d.{column}" if column else "",
            )
        )
        params += [target_days] + ([] if institution_id is None else [institution_id])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    found: dict[str | None, list] = {"type": [], "institution": [], None: []}
    for grouping, type_key, institution, n, within, p50, p90, returned, returns in rows:
        kind = _SETS[grouping]
        key = {"type": type_key, "institution": institution, None: None}[kind]
        found[kind].append(_group(key, n, within, (p50, p90), (returned, returns)))
    for kind in ("type", "institution"):
        found[kind].sort(key=lambda g: g.key)
    return found


def dashboard_figures(*, institution_id: int | None = None, now: datetime | None = None) -> Figures:
    """The figures of the agency (every submitted document), or of one institution's."""
    now = now or timezone.now()
    target = settings.DECISION_TARGET_DAYS
    documents = Document.objects.exclude(status=Status.DRAFT)
    if institution_id is not None:
        documents = documents.filter(institution_id=institution_id)
    figures = Figures(now=now, target_days=target)
    figures.waiting_by_age, figures.waiting, figures.overdue_count = _waiting(documents, now)
    figures.weeks = _weeks(documents if institution_id is not None else None, now)
    if connection.vendor == "postgresql":
        groups = _pg_groups(institution_id, target)
    else:
        decided = _decided(documents)
        groups = {kind: _groups(decided, kind, target) for kind in _SETS.values()}
    figures.by_type, figures.by_institution = groups["type"], groups["institution"]
    figures.overall = groups[None][0]
    figures.overdue = list(
        documents.filter(overdue_q(now))
        .select_related("institution", "assignee", "next_signer")
        .order_by("status_changed_at", "pk")[:OVERDUE_LISTED]
    )
    return figures
