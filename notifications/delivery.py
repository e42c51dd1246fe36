"""Delivering one outbox row by SMTP. The outbox's guarantees, and why:

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
* A row is written without its text. Its first delivery composes the subject and bodies from
  the row's notification (kind and payload, written once by the transition) in the row's
  language, and keeps them with the row's next mark: once sent, the row holds exactly what was
  sent. So the transition renders no template under its row lock, and a template that fails
  holds up only the e-mail (retried with backoff, like any transient failure), never the
  decision it tells about.
* A refusal that is about this recipient or this message (5xx to RCPT or DATA, an address that
  cannot be encoded) is final: the row is failed with the reason, shown in admin. Everything
  else (connection refused, timeouts, 4xx, authentication, a refused sender: our configuration
  or the server's state) is transient: the row stays pending and is retried with backoff.
"""

from __future__ import annotations

import json
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.messages import Email, render_email
from notifications.models import (
    Outbox,
    OutboxStatus,
)

logger = logging.getLogger(__name__)
User = get_user_model()


# Transient failures: 30 s, 1 min, 2 min, ... at most an hour apart; never given up.
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
ERROR_MAX = 2000


SMTP_UNREACHABLE_KEY = "notifications:smtp-unreachable"


def smtp_paused() -> bool:
    try:
        return bool(cache.get(SMTP_UNREACHABLE_KEY))
    except Exception:  # a shared cache that is down: no pause, rather than a failed request
        logger.warning("Cache unavailable: the SMTP pause is not read", exc_info=True)
        return False


def pause_smtp() -> None:
    """The pause lives in the cache: per process with the default local-memory cache, shared by
    every web process with IDHINI_CACHE_URL."""
    try:
        cache.set(SMTP_UNREACHABLE_KEY, True, timeout=settings.OUTBOX_SWEEP_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: the SMTP pause is not kept", exc_info=True)


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


class Composer:
    """The e-mails composed in one delivery run. The rows one transition wrote share their
    notification's kind and payload, so each language is rendered once per run however many
    people (every reviewer) are told; a rendering that failed fails the run's other rows with
    the same error, without rendering (and logging) it again."""

    def __init__(self) -> None:
        self._emails: dict[tuple, Email | Exception] = {}

    def __call__(self, row: Outbox) -> Email:
        note = row.notification
        payload = json.dumps(note.payload, sort_keys=True, default=str)
        key = (row.kind, note.document_id, row.language, payload)
        if key not in self._emails:
            try:
                self._emails[key] = render_email(
                    kind=row.kind,
                    payload=note.payload,
                    document_id=note.document_id,
                    language=row.language,
                )
            except Exception as exc:
                logger.exception("Could not compose the %s e-mail in %s", row.kind, row.language)
                self._emails[key] = exc
                raise
        email = self._emails[key]
        if isinstance(email, Exception):
            raise email
        return email


def outbox_deliver(
    *, outbox_id: int, now: datetime | None = None, composer: Composer | None = None
) -> Delivery:
    """Send one outbox row, at most once per claim. Safe to call any number of times.
    ``composer``: shared by the rows of one run (a batch), so that they render each e-mail
    once."""
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
    row = Outbox.objects.select_related("notification").get(pk=outbox_id)
    mine = Outbox.objects.filter(pk=outbox_id, status=OutboxStatus.SENDING)
    composed: dict[str, str] = {}
    if not row.subject:  # not composed yet (the module's docstring)
        if row.notification is None:  # deleted with its document or its recipient
            reason = "Its notification no longer exists: there is nothing to write it from"
            mine.update(status=OutboxStatus.FAILED, failed_at=now, last_error=reason)
            logger.warning("E-mail %s to %s not sent: %s", row.pk, row.to_email, reason)
            return Delivery("failed")
        try:
            email = (composer or Composer())(row)
        except Exception as exc:  # a template or a payload the words cannot take: our bug
            delay = backoff_seconds(row.attempts)
            reason = f"Not composed: {type(exc).__name__}: {exc}"
            mine.update(
                status=OutboxStatus.PENDING,
                due_at=now + timedelta(seconds=delay),
                last_error=reason[:ERROR_MAX],
            )
            logger.warning("E-mail %s not composed (%s); again in %d s", row.pk, reason, delay)
            return Delivery("retry", retry_in=delay)
        composed = {
            "subject": email.subject,
            "body_text": email.body_text,
            "body_html": email.body_html,
        }
        for name, value in composed.items():
            setattr(row, name, value)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        _send_and_mark_sent(connection, build_email(row), mine, composed)
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        permanent, reason = classify_failure(exc)
        if permanent:
            mine.update(
                status=OutboxStatus.FAILED,
                failed_at=now,
                last_error=reason[:ERROR_MAX],
                **composed,
            )
            logger.warning("E-mail %s to %s refused for good: %s", row.pk, row.to_email, reason)
            return Delivery("failed")
        delay = backoff_seconds(row.attempts)
        mine.update(
            status=OutboxStatus.PENDING,
            due_at=now + timedelta(seconds=delay),
            last_error=reason[:ERROR_MAX],
            **composed,  # the next attempt sends the same text
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


def _send_and_mark_sent(
    connection, email: EmailMultiAlternatives, mine, composed: dict[str, str]
) -> None:
    """Send ``email`` and mark its row sent (keeping the text ``composed`` for it), so that as
    little as possible happens between the server taking the message and the mark being in the
    database (the module's docstring). Raises what sending raised, with the row unmarked."""
    mark = {"status": OutboxStatus.SENT, "sent_at": timezone.now(), "last_error": "", **composed}
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
