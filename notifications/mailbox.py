"""Who hears about a mailbox being created (approvals.provisioning), and its reminders.

An approved request tells every mail administrator it waits. Once the mailbox is created (or
refused) the servant it is for and their supervisor are told, and whoever filed it: with the
address and the first sign-in steps, never a password (none is ever given to Idhini). Claim and
release tell nobody: the mail administrators' queue shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals.models import OPEN_PROVISIONING, MailboxProvisioning, Signature, SignatureStatus
from notifications.audience import institution_of, payload_of
from notifications.models import Kind, Notification, Reminder
from notifications.outbox import notify
from notifications.people import mail_admins, people_by_id
from notifications.reminders import remind_once
from workflow.models import Document

User = get_user_model()
STEP = "mailbox"  # Reminder.step


def servant_and_supervisor(document: Document) -> list[int]:
    """The servant the mailbox is for (who signed first), their supervisor (the signatory in
    the supervisor's role or, on a form without one, the institution's person with the
    supervisor's e-mail), then the author who filed it."""
    signatures = list(
        Signature.objects.filter(
            document=document,
            version=document.version,
            active=True,
            status=SignatureStatus.SIGNED,
        ).order_by("order")
    )
    ids: list[int | None] = [signatures[0].signer_id] if signatures else []
    supervisors = [s.signer_id for s in signatures if s.role == "supervisor"]
    if not supervisors:
        email = str((document.data or {}).get("supervisor_email") or "").strip()
        if email:
            supervisors = list(
                User.objects.filter(
                    email__iexact=email,
                    is_active=True,
                    memberships__institution_id=document.institution_id,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:1]
            )
    return [pk for pk in dict.fromkeys([*ids, *supervisors, document.author_id]) if pk]


def on_mailbox_changed(
    sender: Any,
    *,
    document: Document,
    provisioning: MailboxProvisioning,
    step: str,
    actor=None,
    event=None,
    **kwargs: Any,
) -> list[Notification]:
    """Inside the step's transaction: the notices commit (or roll back) with it."""
    address = provisioning.address or provisioning.requested_address
    if step == "open":
        kind, people = Kind.MAILBOX_WAITING, mail_admins()
        extra: dict[str, Any] = {"institution": institution_of(document)}
    elif step in ("provision", "refuse"):
        kind = Kind.MAILBOX_PROVISIONED if step == "provision" else Kind.MAILBOX_REFUSED
        people = people_by_id(servant_and_supervisor(document))
        extra = {"reason": provisioning.reason, "note": provisioning.note}
        if step == "provision":
            extra["login_url"] = settings.MAIL_LOGIN_URL
    else:
        return []
    if not people:
        return []
    return notify(
        recipients=people,
        kind=kind,
        document=document,
        payload=payload_of(document, actor, address=address, **extra),
        actor=actor,
        event=event,
    )


# --- Reminders ------------------------------------------------------------------------------


def _plan(provisioning: MailboxProvisioning, escalated: bool, admins: list) -> list[tuple]:
    """[(person, kind)]: a waiting request reminds every mail administrator; a claimed one its
    assignee, and on escalation every mail administrator as well."""
    if provisioning.assignee is None:
        kind = Kind.ESCALATION if escalated else Kind.REMINDER
        return [(admin, kind) for admin in admins]
    plan = [(provisioning.assignee, Kind.REMINDER)]
    if escalated:
        plan += [(admin, Kind.ESCALATION) for admin in admins]
    seen: set[int] = set()
    unique = []
    for user, kind in plan:
        if user.is_active and user.pk not in seen:
            seen.add(user.pk)
            unique.append((user, kind))
    return unique


def overdue_mailboxes(now: datetime) -> Iterable[MailboxProvisioning]:
    since = now - timedelta(days=settings.REMINDER_DAYS_MAILBOX)
    return (
        MailboxProvisioning.objects.filter(status__in=OPEN_PROVISIONING, created_at__lte=since)
        .select_related("document__institution", "assignee__notification_preference")
        .order_by("created_at", "pk")
    )


def mailbox_reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per overdue mailbox per person per day; running it again the same day
    sends nothing new. The wait counts from the approval."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = list(overdue_mailboxes(now))
    if not overdue:
        return 0
    admins = mail_admins()
    escalate_since = now - timedelta(days=settings.ESCALATION_DAYS_MAILBOX)
    # A subquery, not one bound parameter per mailbox (PostgreSQL takes at most 65,535).
    already = set(
        Reminder.objects.filter(
            date=today, step=STEP, document__in=overdue_mailboxes(now).values("document_id")
        ).values_list("document_id", "recipient_id")
    )
    sent = 0
    for provisioning in overdue:
        document = provisioning.document
        days = (now - provisioning.created_at).days
        plan = _plan(provisioning, provisioning.created_at <= escalate_since, admins)
        for user, kind in plan:
            if (document.pk, user.pk) in already:
                continue
            payload = payload_of(
                document,
                step=STEP,
                days=days,
                address=provisioning.requested_address,
                institution=institution_of(document),
            )
            sent += remind_once(document, STEP, user, kind, payload, today)
    return sent
