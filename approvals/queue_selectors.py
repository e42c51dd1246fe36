"""The review queue's figures: how many documents wait, by status and by type, how many are
overdue and how many are the caller's. One grouped query, whatever the queue's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from approvals.deadlines import overdue_q
from workflow.models import QUEUE_STATUSES, Document

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class QueueCounts:
    total: int = 0
    overdue: int = 0
    mine: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)


def queue_counts(user: User, now: datetime | None = None) -> QueueCounts:
    """Counts of the whole queue (not of a filtered page): what waits on the agency."""
    rows = (
        Document.objects.filter(status__in=QUEUE_STATUSES)
        .values("status", "type")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=overdue_q(now or timezone.now())),
            mine=Count("pk", filter=Q(assignee_id=user.pk)),
        )
        .order_by()
    )
    counts = QueueCounts()
    # At most (statuses x types) rows: a handful, never one per document.
    for row in rows:
        counts.total += row["n"]
        counts.overdue += row["late"]
        counts.mine += row["mine"]
        counts.by_status[row["status"]] = counts.by_status.get(row["status"], 0) + row["n"]
        counts.by_type[row["type"]] = counts.by_type.get(row["type"], 0) + row["n"]
    return counts
