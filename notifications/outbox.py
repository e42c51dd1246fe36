"""Writing the outbox and getting it delivered: a notification and its e-mail row in the
transition's transaction, the enqueue after commit, the in-process delivery without a broker,
the sweep, and sending failed e-mails again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.publish import publish_after_commit
from notifications.delivery import Composer, outbox_deliver, pause_smtp, smtp_paused
from notifications.inserts import insert_notifications
from notifications.models import (
    Notification,
    Outbox,
    OutboxStatus,
)
from notifications.people import language_of
from workflow.models import Document

logger = logging.getLogger(__name__)
User = get_user_model()

SWEEP_BATCH = 1000


# --- Writing notifications and outbox rows --------------------------------------------------


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "idhini.localhost"


def _outbox_rows(notes: list[Notification], people: list, *, kind: str) -> list[Outbox]:
    """One unsaved e-mail row per person with an address. Its subject and bodies stay empty:
    the delivery composes them from the notification (notifications.delivery), outside the
    transition's row lock."""
    now = timezone.now()
    domain = _message_domain()
    emails = []
    for note, user in zip(notes, people, strict=True):
        address = (user.email or "").strip()
        if not address:
            continue  # the in-app notification is all this person gets
        emails.append(
            Outbox(
                notification=note,
                recipient=user,
                to_email=address,
                language=language_of(user),
                kind=kind,
                message_id=f"<{uuid.uuid4().hex}@{domain}>",
                # Enqueued at commit; the sweep only looks again if that did not happen.
                due_at=now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS),
            )
        )
    return emails


def notify(
    *,
    recipients: Iterable,
    kind: str,
    document: Document,
    payload: dict[str, Any],
    actor=None,
    event=None,
) -> list[Notification]:
    """In-app notifications for ``recipients``, and an outbox e-mail for each who has an
    address, in the current transaction; delivery is enqueued after it commits.

    Nobody is told about their own action. Nothing is rendered here: each e-mail is composed
    when it is delivered, in its recipient's language, from the notification's kind and payload
    (written once, here), so telling every reviewer costs the transition one row each.
    """
    actor_id = actor.pk if actor is not None else None
    people = [user for user in dict.fromkeys(recipients) if user.pk != actor_id]
    if not people:
        return []
    notes = [
        Notification(
            recipient=user,
            kind=kind,
            document=document,
            event=event,
            actor_id=actor_id,
            payload=payload,
        )
        for user in people
    ]
    emails = _outbox_rows(notes, people, kind=kind)
    insert_notifications(notes, emails)  # one statement on PostgreSQL
    if emails:
        deliver_after_commit([email.pk for email in emails])
    return notes


# --- Enqueueing -----------------------------------------------------------------------------

# The sweep publishes its rows in tasks of this many (several workers share a long backlog).
SWEEP_TASK_ROWS = 100


class CommitBatch:
    """Without a broker: the outbox rows one atomic block wrote, delivered in-process once the
    transaction commits."""

    def __init__(self, outbox_ids: Sequence[int]) -> None:
        self.outbox_ids = list(outbox_ids)

    def __call__(self) -> None:
        deliver_in_process(self.outbox_ids)


def deliver_after_commit(outbox_ids: Sequence[int]) -> None:
    """Deliver ``outbox_ids`` once the current transaction commits (at once outside one).

    With a broker: one ``deliver_batch`` for every row the transaction wrote (however many
    times it tells people), in the transaction's one publish with the rest of what it asks
    for (an approval's seal: config.publish). Without one (eager mode): in-process, a batch per
    atomic block, found among the connection's on-commit callbacks; either way a savepoint
    rolled back takes its rows' delivery with it."""
    from celery_app import app
    from notifications.tasks import deliver_batch

    if not app.conf.task_always_eager:
        publish_after_commit(deliver_batch.s(list(outbox_ids)), join=SWEEP_TASK_ROWS)
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        block = set(connection.savepoint_ids)
        for savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, CommitBatch) and savepoints == block:
                callback.outbox_ids.extend(outbox_ids)
                return
    transaction.on_commit(CommitBatch(outbox_ids))  # outside a transaction: at once


def enqueue_delivery(outbox_ids: Sequence[int]) -> int:
    """Publish the sweep's delivery of ``outbox_ids``, in tasks of SWEEP_TASK_ROWS (a
    transaction's own rows go in its one publish: ``deliver_after_commit``); how many rows were
    enqueued (a prefix of ``outbox_ids``).

    It never raises and never waits for a broker that is down (no publish retries; the
    transport's connect timeout is short). What is not enqueued stays pending for the sweep.
    Publishing reuses a connection of Celery's producer pool (kombu): none is opened per
    message. Without a broker (eager mode) this delivers in-process.
    """
    from celery_app import app
    from notifications.tasks import deliver_batch

    if not outbox_ids:
        return 0
    if app.conf.task_always_eager:
        return deliver_in_process(outbox_ids, sweeping=True)
    enqueued = 0
    for start in range(0, len(outbox_ids), SWEEP_TASK_ROWS):
        chunk = list(outbox_ids[start : start + SWEEP_TASK_ROWS])
        try:
            deliver_batch.apply_async((chunk,), retry=False)
        except Exception:  # a broker that is down: the sweep enqueues the rest later
            logger.warning("Could not enqueue delivery of outbox rows %s", chunk, exc_info=True)
            break  # the rest would fail the same way
        enqueued += len(chunk)
    return enqueued


def deliver_in_process(outbox_ids: Sequence[int], *, sweeping: bool = False) -> int:
    """Without a broker (the embedded default) the web request sends its mail itself, after its
    commit. An SMTP server that does not answer would hold the request EMAIL_TIMEOUT per e-mail;
    so the first e-mail that finds the server unreachable ends the batch, and for
    OUTBOX_SWEEP_SECONDS no request tries again: those rows stay pending for the sweep
    (``manage.py deliver_outbox``), which always tries, one unanswered attempt per run. A
    refusal of one address (4xx, 5xx) ends nothing. Returns how many rows were attempted (a
    prefix of ``outbox_ids``)."""
    if not sweeping and smtp_paused():
        return 0
    attempted = 0
    composer = Composer()
    for outbox_id in outbox_ids:
        attempted += 1
        try:
            result = outbox_deliver(outbox_id=outbox_id, composer=composer)
        except Exception:  # never the request's failure: the row stays for the sweep
            logger.exception("Delivery of outbox row %s failed", outbox_id)
            continue
        if result.unreachable:
            pause_smtp()
            break
    return attempted


def outbox_resend_failed(*, outbox_ids: Iterable[int] | QuerySet) -> int:
    """Send failed e-mails again (an administrator fixed the person's address): each selected
    failed row goes back to pending, to the recipient's address as it is now, and is enqueued
    after commit. Rows not failed are left alone; so are people without an address now, or
    inactive or deleted (their in-app notification stands), and e-mails never composed whose
    notification is gone (deleted with its document): nothing is left to write them from.
    Returns how many were queued again."""
    now = timezone.now()
    queued: list[int] = []
    with transaction.atomic():
        rows = (
            Outbox.objects.select_for_update(of=("self",))  # not the (nullable) recipient
            # A queryset as a subquery: an admin may select every failed row, more than the
            # 65,535 values PostgreSQL binds in one statement (config/database.py).
            .filter(
                pk__in=outbox_ids if isinstance(outbox_ids, QuerySet) else list(outbox_ids),
                status=OutboxStatus.FAILED,
            )
            .select_related("recipient")
        )
        for row in rows:
            person = row.recipient  # None once the person's account was deleted
            address = (person.email or "").strip() if person is not None else ""
            if not address or not person.is_active:
                continue
            if not row.subject and row.notification_id is None:
                continue
            row.to_email = address
            row.status = OutboxStatus.PENDING
            row.due_at = now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
            row.failed_at = None
            row.last_error = ""
            row.save(update_fields=["to_email", "status", "due_at", "failed_at", "last_error"])
            queued.append(row.pk)
        if queued:
            deliver_after_commit(queued)
    return len(queued)


def outbox_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Enqueue rows still pending after their due time, and rows whose claim expired (a worker
    died mid-send). Returns how many were enqueued."""
    now = now or timezone.now()
    due = list(
        Outbox.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], due_at__lte=now
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    enqueued = enqueue_delivery(due)
    # Enqueued rows are not enqueued again before the next sweep (a long queue stays one long).
    Outbox.objects.filter(
        pk__in=due[:enqueued], status=OutboxStatus.PENDING, due_at__lte=now
    ).update(due_at=now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS))
    if enqueued:
        logger.info("Outbox sweep enqueued %d of %d due e-mails", enqueued, len(due))
    return enqueued
