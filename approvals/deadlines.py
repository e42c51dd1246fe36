"""How long each step may wait on a person before it is overdue, and after how long it escalates.

Three steps wait on people: a signature (the next signatory), the queue (a submitted document
nobody has claimed) and a review (a claimed document without a decision). Each starts when the
document enters its status, which ``Document.status_changed_at`` records on every transition.
The numbers of days come from settings (``IDHINI_REMINDER_DAYS_*`` and
``IDHINI_ESCALATION_DAYS_*``) and are read at call time.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from workflow.models import Document, Status


@dataclass(frozen=True)
class Step:
    key: str  # "signature", "queue", "review"
    status: str
    reminder_days: int
    escalation_days: int

    def overdue_since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.reminder_days)

    def escalated_since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.escalation_days)


def steps() -> dict[str, Step]:
    """The waiting steps, by document status."""
    return {
        Status.AWAITING_SIGNATURES: Step(
            "signature",
            Status.AWAITING_SIGNATURES,
            settings.REMINDER_DAYS_SIGNATURE,
            settings.ESCALATION_DAYS_SIGNATURE,
        ),
        Status.SUBMITTED: Step(
            "queue",
            Status.SUBMITTED,
            settings.REMINDER_DAYS_QUEUE,
            settings.ESCALATION_DAYS_QUEUE,
        ),
        Status.UNDER_REVIEW: Step(
            "review",
            Status.UNDER_REVIEW,
            settings.REMINDER_DAYS_REVIEW,
            settings.ESCALATION_DAYS_REVIEW,
        ),
    }


def is_overdue(document: Document, now: datetime | None = None) -> bool:
    """Reads only the row: costs no query, so a page of documents costs none either."""
    step = steps().get(document.status)
    if step is None or document.status_changed_at is None:
        return False
    return document.status_changed_at <= step.overdue_since(now or timezone.now())


def overdue_q(now: datetime | None = None) -> Q:
    """The documents that are overdue at ``now``, as a filter."""
    now = now or timezone.now()
    return reduce(
        operator.or_,
        (
            Q(status=step.status, status_changed_at__lte=step.overdue_since(now))
            for step in steps().values()
        ),
    )


def days_waiting(document: Document, now: datetime) -> int:
    if document.status_changed_at is None:
        return 0
    return max(0, (now - document.status_changed_at).days)
