"""Writes of notifications: who hears what, the outbox's delivery and sweep, reminders.

Delivery guarantees, and why:

* Rows are written in the transition's transaction; delivery is enqueued only after commit, by
  id. If the broker is down then, the enqueue fails fast, is logged, and the row stays pending:
  the per-minute sweep enqueues it again. Nothing is lost while the database keeps the row.
* A delivery claims its row with one conditional UPDATE (pending -> sending, with a lease). A
  second delivery of the same row finds it sending or sent and does nothing.
* SMTP and the database cannot commit together (RFC 1047: SMTP's own duplicate window). A
  worker killed after the SMTP server took a message and before the row's "sent" reached the
  database leaves the row "sending"; when its lease expires the sweep sends it again: at least
  once rather than at most once, because a lost approval notice stalls a document and a
  repeated one does not. The repeat carries the same Message-ID, fixed per row, so mail systems
  and people can recognise it. The window is kept as narrow as it goes: on PostgreSQL the
  "sent" is written before the message's last line and only its COMMIT waits for the server's
  "250" (a COMMIT handed to the server completes even if the worker dies the next instant);
  elsewhere the UPDATE follows the "250" at once. Either way nothing else is said to the SMTP
  server first, so a message followed by any further command is one the database has as sent.
  ``python -m bench notify`` measures the window.
* A refusal that is about this recipient or this message (5xx to RCPT or DATA, an address that
  cannot be encoded) is final: the row is failed with the reason, shown in admin. Everything
  else (connection refused, timeouts, 4xx, authentication, a refused sender: our configuration
  or the server's state) is transient: the row stays pending and is retried with backoff.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connections as db_connections
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.deadlines import days_waiting, overdue_q, steps
from approvals.models import SignatureStatus
from notifications.messages import compose
from notifications.models import (
    Kind,
    Language,
    Notification,
    Outbox,
    OutboxStatus,
    Preference,
    Reminder,
)
from workflow.exceptions import Invalid, NotFound
from workflow.models import Document, Membership, Role, Status

logger = logging.getLogger(__name__)
User = get_user_model()

# Transient failures: 30 s, 1 min, 2 min, ... at most an hour apart; never given up.
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
SWEEP_BATCH = 1000
ERROR_MAX = 2000


# --- Recipients -----------------------------------------------------------------------------


def language_of(user) -> str:
    try:
        return user.notification_preference.language
    except Preference.DoesNotExist:
        return Language.SWAHILI


def _people(ids: Iterable[int | None]) -> list:
    """Active users by id, in the given order, with their preferences (one query)."""
    wanted = [pk for pk in dict.fromkeys(ids) if pk is not None]
    if not wanted:
        return []
    users = User.objects.filter(pk__in=wanted, is_active=True).select_related(
        "notification_preference"
    )
    by_id = {user.pk: user for user in users}
    return [by_id[pk] for pk in wanted if pk in by_id]


def _reviewers() -> list:
    """The agency's reviewers: whoever may claim from the queue."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.REVIEWER,
            memberships__institution__is_agency=True,
        )
        .select_related("notification_preference")
        .distinct()
        .order_by("pk")
    )


def _accounting_officers(institution_ids: Iterable[int]) -> dict[int, list]:
    memberships = (
        Membership.objects.filter(
            institution_id__in=set(institution_ids),
            role=Role.ACCOUNTING_OFFICER,
            user__is_active=True,
        )
        .select_related("user__notification_preference")
        .order_by("user_id")
    )
    officers: dict[int, list] = {}
    for membership in memberships:
        officers.setdefault(membership.institution_id, []).append(membership.user)
    return officers


def _display(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Writing notifications and outbox rows --------------------------------------------------


def _message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "idhini.localhost"


def render_email(*, kind: str, payload: dict[str, Any], document_id: Any, language: str):
    """(subject, text, html) of one e-mail in ``language``."""
    with translation.override(language):
        message = compose(kind, payload, document_id)
        context = {"message": message, "language": language}
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    return message.subject, text, html


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

    Nobody is told about their own action. Each language is rendered once, however many
    recipients share it, so telling every reviewer costs no more than telling one.
    """
    actor_id = actor.pk if actor is not None else None
    people = [user for user in dict.fromkeys(recipients) if user.pk != actor_id]
    if not people:
        return []
    notes = Notification.objects.bulk_create(
        [
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
    )
    now = timezone.now()
    domain = _message_domain()
    rendered: dict[str, tuple[str, str, str]] = {}
    emails = []
    for note, user in zip(notes, people, strict=True):
        address = (user.email or "").strip()
        if not address:
            continue  # the in-app notification is all this person gets
        language = language_of(user)
        if language not in rendered:
            rendered[language] = render_email(
                kind=kind, payload=payload, document_id=document.pk, language=language
            )
        subject, text, html = rendered[language]
        emails.append(
            Outbox(
                notification=note,
                recipient=user,
                to_email=address,
                language=language,
                kind=kind,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                message_id=f"<{uuid.uuid4().hex}@{domain}>",
                # Enqueued at commit; the sweep only looks again if that did not happen.
                due_at=now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS),
            )
        )
    if emails:
        emails = Outbox.objects.bulk_create(emails)
        transaction.on_commit(partial(enqueue_delivery, [email.pk for email in emails]))
    return notes


def _payload(document: Document, actor=None, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reference": document.reference or "",
        "title": document.title,
        "type": document.type,
        "version": document.version,
        "actor": _display(actor),
    }
    payload.update({key: value for key, value in extra.items() if value not in (None, "", {})})
    return payload


def _institution(document: Document) -> dict[str, str]:
    institution = document.institution
    return {"sw": institution.name_sw, "en": institution.name_en}


def _pending_signer_id(document: Document) -> int | None:
    # lock_document prefetched the signatures: this costs no query.
    pending = sorted(
        (s for s in document.signatures.all() if s.active and s.status == SignatureStatus.PENDING),
        key=lambda signature: signature.order,
    )
    return pending[0].signer_id if pending else None


REVIEWERS = None  # in an audience: every agency reviewer
# Kinds whose words name the institution (one more query, only when someone is told).
_NAMES_INSTITUTION = {Kind.SIGNATURE_REQUESTED, Kind.SUBMITTED, Kind.RESUBMITTED}


def _audience(
    document: Document, action: str, from_status: str, to_status: str, details: dict[str, Any]
) -> tuple[str, list[int | None] | None, dict[str, Any]] | None:
    """(kind, recipient ids or REVIEWERS, payload extras) for one transition, or None."""
    if action in ("request-signatures", "sign") and to_status == Status.AWAITING_SIGNATURES:
        return Kind.SIGNATURE_REQUESTED, [document.next_signer_id], {}
    if action == "sign" and to_status == Status.SIGNED:
        return Kind.FULLY_SIGNED, [document.author_id], {}
    if action == "decline":
        return Kind.SIGNATURE_DECLINED, [document.author_id], {"reason": details.get("reason")}
    if action == "submit":
        kind = Kind.RESUBMITTED if details.get("resubmission") else Kind.SUBMITTED
        if document.assignee_id is not None:
            # Reserved for the reviewer who returned it (workflow.services.document_submit).
            return kind, [document.assignee_id], {"reserved": True}
        return kind, REVIEWERS, {}
    if action == "approve":
        return Kind.APPROVED, [document.author_id], {"comment": details.get("comment")}
    if action == "reject":
        return Kind.REJECTED, [document.author_id], {"reason": details.get("reason")}
    if action == "request-changes":
        extra = {"comment": details.get("comment"), "field_comments": details.get("field_comments")}
        return Kind.CHANGES_REQUESTED, [document.author_id], extra
    if action == "withdraw":
        # Whoever the document was waiting on: the assignee, or the signatory whose turn it was.
        waiting_on = [details.get("assignee")]
        if from_status == Status.AWAITING_SIGNATURES:
            waiting_on.append(_pending_signer_id(document))
        return Kind.WITHDRAWN, waiting_on, {"reason": details.get("reason")}
    return None  # claim, release: the queue itself shows them


def notify_transition(
    *,
    document: Document,
    action: str,
    actor,
    from_status: str,
    to_status: str,
    event=None,
    details: dict[str, Any] | None = None,
) -> list[Notification]:
    """Who hears what, for one transition (called inside its transaction). A transition that
    tells nobody (or only its actor) costs no query."""
    audience = _audience(document, action, from_status, to_status, details or {})
    if audience is None:
        return []
    kind, ids, extra = audience
    recipients = _reviewers() if ids is REVIEWERS else _people(pk for pk in ids if pk != actor.pk)
    if not recipients:
        return []
    if kind in _NAMES_INSTITUTION:
        extra["institution"] = _institution(document)
    return notify(
        recipients=recipients,
        kind=kind,
        document=document,
        payload=_payload(document, actor, **extra),
        actor=actor,
        event=event,
    )


# --- Enqueueing -----------------------------------------------------------------------------


def enqueue_delivery(outbox_ids: Sequence[int], *, sweeping: bool = False) -> int:
    """One delivery task per row; how many were enqueued (a prefix of ``outbox_ids``).

    Runs after commit, in the web request: it never raises and never waits for a broker that is
    down (no publish retries; the transport's connect timeout is short). What is not enqueued
    stays pending for the sweep. Without a broker (eager mode) this delivers in-process.
    """
    from celery_app import app
    from notifications.tasks import deliver_email

    if app.conf.task_always_eager:
        return deliver_in_process(outbox_ids, sweeping=sweeping)
    enqueued = 0
    for outbox_id in outbox_ids:
        try:
            deliver_email.apply_async((outbox_id,), retry=False)
        except Exception:  # a broker that is down: the sweep enqueues the rest later
            logger.warning("Could not enqueue delivery of outbox row %s", outbox_id, exc_info=True)
            break  # the rest would fail the same way
        enqueued += 1
    return enqueued


SMTP_UNREACHABLE_KEY = "notifications:smtp-unreachable"


def deliver_in_process(outbox_ids: Sequence[int], *, sweeping: bool = False) -> int:
    """Without a broker (the embedded default) the web request sends its mail itself, after its
    commit. An SMTP server that does not answer would hold the request EMAIL_TIMEOUT per e-mail;
    so the first e-mail that finds the server unreachable ends the batch, and for
    OUTBOX_SWEEP_SECONDS no request tries again: those rows stay pending for the sweep
    (``manage.py deliver_outbox``), which always tries, one unanswered attempt per run. A
    refusal of one address (4xx, 5xx) ends nothing. Returns how many rows were attempted (a
    prefix of ``outbox_ids``)."""
    if not sweeping and _smtp_paused():
        return 0
    attempted = 0
    for outbox_id in outbox_ids:
        attempted += 1
        try:
            result = outbox_deliver(outbox_id=outbox_id)
        except Exception:  # never the request's failure: the row stays for the sweep
            logger.exception("Delivery of outbox row %s failed", outbox_id)
            continue
        if result.unreachable:
            _pause_smtp()
            break
    return attempted


def _smtp_paused() -> bool:
    try:
        return bool(cache.get(SMTP_UNREACHABLE_KEY))
    except Exception:  # a shared cache that is down: no pause, rather than a failed request
        logger.warning("Cache unavailable: the SMTP pause is not read", exc_info=True)
        return False


def _pause_smtp() -> None:
    """The pause lives in the cache: per process with the default local-memory cache, shared by
    every web process with IDHINI_CACHE_URL."""
    try:
        cache.set(SMTP_UNREACHABLE_KEY, True, timeout=settings.OUTBOX_SWEEP_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: the SMTP pause is not kept", exc_info=True)


def outbox_resend_failed(*, outbox_ids: Iterable[int]) -> int:
    """Send failed e-mails again (an administrator fixed the person's address): each selected
    failed row goes back to pending, to the recipient's address as it is now, and is enqueued
    after commit. Rows not failed are left alone; so are people without an address now, or
    inactive or deleted (their in-app notification stands). Returns how many were queued again."""
    now = timezone.now()
    queued: list[int] = []
    with transaction.atomic():
        rows = (
            Outbox.objects.select_for_update(of=("self",))  # not the (nullable) recipient
            .filter(pk__in=list(outbox_ids), status=OutboxStatus.FAILED)
            .select_related("recipient")
        )
        for row in rows:
            person = row.recipient  # None once the person's account was deleted
            address = (person.email or "").strip() if person is not None else ""
            if not address or not person.is_active:
                continue
            row.to_email = address
            row.status = OutboxStatus.PENDING
            row.due_at = now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
            row.failed_at = None
            row.last_error = ""
            row.save(update_fields=["to_email", "status", "due_at", "failed_at", "last_error"])
            queued.append(row.pk)
        if queued:
            transaction.on_commit(partial(enqueue_delivery, queued))
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
    enqueued = enqueue_delivery(due, sweeping=True)
    # Enqueued rows are not enqueued again before the next sweep (a long queue stays one long).
    Outbox.objects.filter(
        pk__in=due[:enqueued], status=OutboxStatus.PENDING, due_at__lte=now
    ).update(due_at=now + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS))
    if enqueued:
        logger.info("Outbox sweep enqueued %d of %d due e-mails", enqueued, len(due))
    return enqueued


# --- Delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    outcome: str  # "sent", "failed", "retry", "skipped"
    retry_in: int | None = None
    unreachable: bool = False  # the SMTP server itself: not there, not answering, hung up


def server_unreachable(exc: Exception) -> bool:
    """Whether the server itself failed (not listening, silent past EMAIL_TIMEOUT, hung up),
    rather than answering with a refusal. smtplib's errors are OSErrors too."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _decode(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def classify_failure(exc: Exception) -> tuple[bool, str]:
    """(permanent, reason) of a failed send."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refusals = exc.recipients.items()
        reason = "; ".join(
            f"{address}: {code} {_decode(text)}" for address, (code, text) in refusals
        )
        return all(code >= 500 for _address, (code, _text) in refusals), reason
    if isinstance(exc, smtplib.SMTPDataError):
        # The message itself was refused.
        return exc.smtp_code >= 500, f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        # Sender, authentication, greeting: our configuration or the server's state.
        return False, f"{type(exc).__name__}: {exc.smtp_code} {_decode(exc.smtp_error)}"
    if isinstance(exc, (smtplib.SMTPException, OSError)):
        return False, f"{type(exc).__name__}: {exc}"
    # ValueError: an address or header that cannot be put in a message, now or ever.
    return True, f"{type(exc).__name__}: {exc}"


def backoff_seconds(attempts: int) -> int:
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS)


def build_email(row: Outbox) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={
            "Message-ID": row.message_id,
            "Content-Language": row.language,
            # RFC 3834: no out-of-office replies to a machine.
            "Auto-Submitted": "auto-generated",
            "X-Idhini-Notification": row.kind,
        },
    )
    email.attach_alternative(row.body_html, "text/html")
    return email


def outbox_deliver(*, outbox_id: int, now: datetime | None = None) -> Delivery:
    """Send one outbox row, at most once per claim. Safe to call any number of times."""
    now = now or timezone.now()
    claimed = (
        Outbox.objects.filter(pk=outbox_id)
        .filter(Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, due_at__lte=now))
        .update(
            status=OutboxStatus.SENDING,
            due_at=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return Delivery("skipped")  # sent, failed, or another worker holds it
    row = Outbox.objects.get(pk=outbox_id)
    mine = Outbox.objects.filter(pk=outbox_id, status=OutboxStatus.SENDING)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        _send_and_mark_sent(connection, build_email(row), mine)
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        permanent, reason = classify_failure(exc)
        if permanent:
            mine.update(status=OutboxStatus.FAILED, failed_at=now, last_error=reason[:ERROR_MAX])
            logger.warning("E-mail %s to %s refused for good: %s", row.pk, row.to_email, reason)
            return Delivery("failed")
        delay = backoff_seconds(row.attempts)
        mine.update(
            status=OutboxStatus.PENDING,
            due_at=now + timedelta(seconds=delay),
            last_error=reason[:ERROR_MAX],
        )
        logger.info(
            "E-mail %s not sent (attempt %d), again in %d s: %s",
            row.pk,
            row.attempts,
            delay,
            reason,
        )
        return Delivery("retry", retry_in=delay, unreachable=server_unreachable(exc))
    finally:
        # QUIT only now, once the row is marked; and whatever happened (a database error after
        # the "250" too: the row stays claimed, and is sent again when its lease runs out).
        _close_quietly(connection)
    return Delivery("sent")


def _send_and_mark_sent(connection, email: EmailMultiAlternatives, mine) -> None:
    """Send ``email`` and mark its row sent, so that as little as possible happens between the
    server taking the message and the mark being in the database (the module's docstring).
    Raises what sending raised, with the row unmarked."""
    mark = {"status": OutboxStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if db_connections[mine.db].vendor != "postgresql":
        # SQLite: a transaction open across the SMTP conversation would hold the database's one
        # write lock, and every web request's writes would wait on the mail server.
        connection.send_messages([email])
        mine.update(**mark)
        return
    with transaction.atomic(using=mine.db):
        mine.update(**mark)  # locks our own claimed row only; nobody else waits on it
        connection.send_messages([email])  # an error rolls the mark back


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):  # the message's fate is already decided
        logger.debug("Closing the SMTP connection failed", exc_info=True)


# --- Reminders and escalation ---------------------------------------------------------------


def _reminder_plan(document: Document, step_key: str, escalated: bool, reviewers, officers):
    """[(recipient, kind, person)]: the person waited on is reminded; on escalation, the
    accounting officer (signatures) or every reviewer (queue, review) is told as well."""
    if step_key == "signature":
        waiting = document.next_signer
        plan = [(waiting, Kind.REMINDER, "")] if waiting else []
        if escalated:
            plan += [
                (officer, Kind.ESCALATION, _display(waiting))
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
            plan += [(reviewer, Kind.ESCALATION, _display(waiting)) for reviewer in reviewers]
    seen: set[int] = set()
    unique = []
    for user, kind, person in plan:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            unique.append((user, kind, person))
    return unique


def reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per overdue item per person per day, and escalation after the second
    threshold. Run daily; running it again the same day sends nothing new."""
    now = now or timezone.now()
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
        _reviewers() if any(step_of[d.status].key in ("queue", "review") for d in documents) else []
    )
    officers = _accounting_officers(
        d.institution_id
        for d in documents
        if step_of[d.status].key == "signature"
        and d.status_changed_at <= step_of[d.status].escalated_since(now)
    )
    already = set(
        Reminder.objects.filter(date=today, document__in=documents).values_list(
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
                payload = _payload(
                    document,
                    step=step.key,
                    days=days_waiting(document, now),
                    person=person,
                    institution=_institution(document),
                )
                try:
                    with transaction.atomic():
                        reminder = Reminder.objects.create(
                            document=document,
                            step=step.key,
                            recipient=user,
                            date=today,
                            escalated=kind == Kind.ESCALATION,
                        )
                        notes = notify(
                            recipients=[user], kind=kind, document=document, payload=payload
                        )
                        reminder.notification = notes[0]
                        reminder.save(update_fields=["notification"])
                except IntegrityError:
                    continue  # a concurrent run reminded this person today
                sent += 1
    return sent


# --- In-app notifications and preferences ---------------------------------------------------


def notification_mark_read(*, notification_id: Any, by) -> Notification:
    try:
        pk = int(str(notification_id))
    except ValueError:
        raise NotFound(_("No such notification.")) from None
    note = Notification.objects.filter(pk=pk, recipient_id=by.pk).first()
    if note is None:
        raise NotFound(_("No such notification."))
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def notification_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient_id=by.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user, language: Any) -> Preference:
    if language not in Language.values:
        raise Invalid(
            _("Unknown language."),
            errors={
                "language": [
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(Language.values)}
                ]
            },
        )
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference
