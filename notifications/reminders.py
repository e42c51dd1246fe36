"""Reminders and escalation for overdue work: one per item, person and day."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.deadlines import days_waiting, overdue_q, steps
from notifications.audience import institution_of, payload_of
from notifications.models import (
    Kind,
    Reminder,
)
from notifications.outbox import notify
from notifications.people import accounting_officers, agency_reviewers, display_name
from workflow.models import Document

logger = logging.getLogger(__name__)
User = get_user_model()


# --- Reminders and escalation ---------------------------------------------------------------


def _reminder_plan(document: Document, step_key: str, escalated: bool, reviewers, officers):
    """[(recipient, kind, person)]: the person waited on is reminded; on escalation, the
    accounting officer (signatures) or every reviewer (queue, review) is told as well."""
    if step_key == "signature":
        waiting = document.next_signer
        plan = [(waiting, Kind.REMINDER, "")] if waiting else []
        if escalated:
            plan += [
                (officer, Kind.ESCALATION, display_name(waiting))
                for officer in officers.get(document.institution_id, [])
            ]
    elif step_key == "queue" and document.assignee is None:
        kind = Kind.ESCALATION if escalated else Kind.REMINDER
        plan = [(reviewer, kind, "") for reviewer in reviewers]
    else:
        # A review, or a resubmission reserved for its reviewer: that reviewer is waited on.
        waiting = document.assignee
        plan = [(waiting, Kind.REMINDER, "")] if waiting else []
        if escalated:
            plan += [(reviewer, Kind.ESCALATION, display_name(waiting)) for reviewer in reviewers]
    seen: set[int] = set()
    unique = []
    for user, kind, person in plan:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            unique.append((user, kind, person))
    return unique


def remind_once(document: Document, step: str, user: User, kind: str, payload: dict, today) -> int:
    """One reminder and its notification; 0 if a concurrent run reminded this person today."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                document=document,
                step=step,
                recipient=user,
                date=today,
                escalated=kind == Kind.ESCALATION,
            )
            notes = notify(recipients=[user], kind=kind, document=document, payload=payload)
            reminder.notification = notes[0]
            reminder.save(update_fields=["notification"])
    except IntegrityError:
        return 0
    return 1


def reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per overdue item per person per day, and escalation after the second
    threshold: documents waiting on people, and approved mailboxes not yet created
    (notifications.mailbox). Run daily; running it again the same day sends nothing new."""
    from notifications.mailbox import mailbox_reminders_send

    now = now or timezone.now()
    return _document_reminders_send(now) + mailbox_reminders_send(now=now)


def _document_reminders_send(now: datetime) -> int:
    today = timezone.localdate(now)
    step_of = steps()
    documents = list(
        Document.objects.filter(overdue_q(now))
        .select_related(
            "institution",
            "next_signer__notification_preference",
            "assignee__notification_preference",
        )
        .order_by("status_changed_at", "pk")
    )
    if not documents:
        return 0
    reviewers = (
        agency_reviewers()
        if any(step_of[d.status].key in ("queue", "review") for d in documents)
        else []
    )
    officers = accounting_officers(
        d.institution_id
        for d in documents
        if step_of[d.status].key == "signature"
        and d.status_changed_at <= step_of[d.status].escalated_since(now)
    )
    # The overdue documents again as a subquery, not their ids as parameters: PostgreSQL takes
    # at most 65,535 bound parameters a statement (server-side binding, config/database.py).
    overdue = Document.objects.filter(overdue_q(now)).values("pk")
    already = set(
        Reminder.objects.filter(date=today, document__in=overdue).values_list(
            "document_id", "step", "recipient_id"
        )
    )
    sent = 0
    with transaction.atomic():
        for document in documents:
            step = step_of[document.status]
            escalated = document.status_changed_at <= step.escalated_since(now)
            plan = _reminder_plan(document, step.key, escalated, reviewers, officers)
            for user, kind, person in plan:
                if (document.pk, step.key, user.pk) in already:
                    continue
                payload = payload_of(
                    document,
                    step=step.key,
                    days=days_waiting(document, now),
                    person=person,
                    institution=institution_of(document),
                )
                sent += remind_once(document, step.key, user, kind, payload, today)
    return sent
