"""After a mailbox request is approved: the agency's mail administrators create the mailbox.

Each approved ``email_account_request`` gets one :class:`MailboxProvisioning` row, opened in the
approval's own transaction. Its steps are ``claim`` (waiting -> claimed), ``release`` (claimed ->
waiting), ``provision`` (claimed -> provisioned, with the address created) and ``refuse``
(claimed -> refused, with a reason). Each reads like a lifecycle transition
(approvals.transitions.steps): lock the document and the row, check the step exists (409), check
it is the caller's (403), validate, change, audit on the document, announce
(``mailbox_provisioning_changed``, whose receivers write the notices in the same transaction).
The document's status stays ``approved``: its sealed PDF never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import MailboxProvisioning, Provisioning
from approvals.transitions.steps import lock
from workflow.audit import audit_record
from workflow.exceptions import Conflict, Forbidden, Invalid
from workflow.models import Document, Status
from workflow.roles import user_context
from workflow.services import clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAILBOX_TYPE = "email_account_request"
# The provisioning note and the refusal's reason (TextFields: the limit is this one).
MAILBOX_TEXT_MAX = 2000

# Sent inside the step's transaction, after its audit event: ``document``, ``provisioning``,
# ``step`` (claim, release, provision, refuse, open), ``actor``, ``event``.
mailbox_provisioning_changed = Signal()


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[str, ...]
    target: str
    assignee_only: bool  # only the mail administrator who claimed it


STEPS = {
    "claim": Step("claim", (Provisioning.WAITING,), Provisioning.CLAIMED, False),
    "release": Step("release", (Provisioning.CLAIMED,), Provisioning.WAITING, True),
    "provision": Step("provision", (Provisioning.CLAIMED,), Provisioning.PROVISIONED, True),
    "refuse": Step("refuse", (Provisioning.CLAIMED,), Provisioning.REFUSED, True),
}


def requested_address(document: Document) -> str:
    """The address to create: the new one for a rename, otherwise the one requested."""
    data = document.data or {}
    if data.get("request_kind") == "rename" and data.get("new_address"):
        return str(data["new_address"]).strip()
    return str(data.get("requested_address") or "").strip()


def mailbox_open(*, document: Document, actor: User | None = None) -> MailboxProvisioning | None:
    """The approved request starts waiting for the mail administrators (inside the approval's
    transaction; nothing for another type, nor twice)."""
    if document.type != MAILBOX_TYPE or document.status != Status.APPROVED:
        return None
    now = timezone.now()
    provisioning, created = MailboxProvisioning.objects.get_or_create(
        document=document,
        defaults={
            "requested_address": requested_address(document)[:254],
            "created_at": document.approved_at or now,
            "status_changed_at": now,
        },
    )
    if created:
        mailbox_provisioning_changed.send(
            sender=MailboxProvisioning,
            document=document,
            provisioning=provisioning,
            step="open",
            actor=actor,
            event=None,
        )
    return provisioning


def _locked(document_id: UUID, by: User) -> tuple[Document, MailboxProvisioning]:
    """The document (404 when the caller may not see it) and its provisioning row, both locked:
    the document for its audit chain, the row for the step. Always in this order."""
    document, _flow = lock(document_id=document_id, by=by)
    provisioning = (
        MailboxProvisioning.objects.select_for_update(of=("self",))
        .select_related("assignee")
        .filter(document=document)
        .first()
    )
    if provisioning is None:
        raise Conflict(
            _("Only an approved e-mail account request waits for the mail administrators."),
            code="not_an_approved_mailbox_request",
        )
    return document, provisioning


_NOT_NOW = {
    Provisioning.WAITING: lambda: _("Nobody has claimed this mailbox request yet: claim it first."),
    Provisioning.CLAIMED: lambda: _("A mail administrator has already claimed this request."),
    Provisioning.PROVISIONED: lambda: _("This mailbox has already been created."),
    Provisioning.REFUSED: lambda: _("This mailbox request has already been refused."),
}


def _ensure(step: Step, provisioning: MailboxProvisioning, by: User) -> None:
    if provisioning.status not in step.sources:
        raise Conflict(_NOT_NOW[provisioning.status](), code="invalid_provisioning_status")
    if not user_context(by).is_mail_admin:
        raise Forbidden(
            _("Only the agency's mail administrators create mailboxes."), code="not_allowed"
        )
    if step.assignee_only and provisioning.assignee_id != by.pk:
        raise Forbidden(
            _("%(person)s claimed this request: only they can finish or release it.")
            % {"person": _name(provisioning.assignee)},
            code="not_allowed",
        )


def _name(user: User) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def clean_address(value: Any, document: Document) -> str:
    """The address created: an e-mail address in one of the institution's own mail domains
    (the same domains the request's own rule checks)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            _("Give the address created."),
            errors={"address": [_("Give the address created in the mail system.")]},
        )
    address = value.strip().lower()
    longest = MailboxProvisioning._meta.get_field("address").max_length
    if len(address) > longest:
        detail = _("At most %(limit)d characters.") % {"limit": longest}
        raise Invalid(_("The address is too long."), errors={"address": [detail]})
    try:
        validate_email(address)
    except ValidationError:
        raise Invalid(
            _("Not an e-mail address."),
            errors={"address": [_("Not an e-mail address: write it like jina.ukoo@moh.go.tz.")]},
        ) from None
    domain = address.rpartition("@")[2]
    allowed = document.institution.mail_domain_list()
    if domain not in allowed:
        detail = _("%(domain)s is not one of the institution's mail domains (%(allowed)s).") % {
            "domain": domain,
            "allowed": ", ".join(allowed) or _("none set"),
        }
        raise Invalid(detail, errors={"address": [detail]})
    return address


def _take(
    step_name: str,
    *,
    document_id: UUID,
    by: User,
    check=None,
) -> MailboxProvisioning:
    step = STEPS[step_name]
    with transaction.atomic():
        document, provisioning = _locked(document_id, by)
        _ensure(step, provisioning, by)
        # Validated after the permission check: someone else's bad input is a 403, not a 400.
        payload: dict[str, Any] = check(document) if check else {}
        from_status = provisioning.status
        now = timezone.now()
        provisioning.status = step.target
        provisioning.status_changed_at = now
        if step_name == "claim":
            provisioning.assignee = by
        elif step_name == "release":
            provisioning.assignee = None
        else:
            provisioning.completed_at = now
            for key in ("address", "reason", "note"):
                if key in payload:
                    setattr(provisioning, key, payload[key])
        provisioning.save()
        event = audit_record(
            document=document,
            action=f"mailbox-{step_name}",
            actor=by,
            from_status=document.status,
            to_status=document.status,
            payload={"provisioning": {"from": from_status, "to": step.target}, **payload},
        )
        document.save(update_fields=["audit_seq", "audit_head"])
        mailbox_provisioning_changed.send(
            sender=MailboxProvisioning,
            document=document,
            provisioning=provisioning,
            step=step_name,
            actor=by,
            event=event,
        )
    return provisioning


def mailbox_claim(*, document_id: UUID, by: User) -> MailboxProvisioning:
    """A mail administrator takes the request: one winner, the others 409."""
    return _take("claim", document_id=document_id, by=by)


def mailbox_release(*, document_id: UUID, by: User) -> MailboxProvisioning:
    """The one who claimed it puts it back for another mail administrator."""
    return _take("release", document_id=document_id, by=by)


def mailbox_provision(
    *, document_id: UUID, by: User, address: Any, note: Any = ""
) -> MailboxProvisioning:
    """The mailbox exists in the mail system: record the address created. No password is ever
    given here; the servant receives it outside Idhini."""

    def check(document: Document) -> dict[str, Any]:
        return {
            "address": clean_address(address, document),
            "note": clean_text(note, field="note", required=False, limit=MAILBOX_TEXT_MAX),
        }

    return _take("provision", document_id=document_id, by=by, check=check)


def mailbox_refuse(*, document_id: UUID, by: User, reason: Any) -> MailboxProvisioning:
    """The mailbox cannot be created (the address is taken, the servant has left...): why."""

    def check(document: Document) -> dict[str, Any]:
        return {"reason": clean_text(reason, field="reason", required=True, limit=MAILBOX_TEXT_MAX)}

    return _take("refuse", document_id=document_id, by=by, check=check)
