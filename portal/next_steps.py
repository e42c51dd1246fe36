"""What happens next, in words: after each action (the message on the page it lands on), and on
every document page (the steps draft → signatures → submitted → in review → decided, and who holds
the document now)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import MailboxProvisioning, Provisioning, Signature, SignatureStatus
from approvals.provisioning import MAILBOX_TYPE
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.templatetags.idhini_web import person
from workflow.actions import ACTIONS
from workflow.models import Document, Status


def next_signature(document: Document) -> tuple[Signature, str] | None:
    """The pending signature that comes next, with its role's name."""
    signature = (
        Signature.objects.filter(document=document, active=True, status=SignatureStatus.PENDING)
        .select_related("signer")
        .order_by("order")
        .first()
    )
    if signature is None:
        return None
    return signature, role_name(document, signature.order, signature.role)


def role_name(document: Document, order: int, fallback: str) -> str:
    definition = get_type(document.type)
    names = {
        o: s.role_name.get(current_lang())
        for o, s in definition.signatories_in_order(document.form_version)
    }
    return names.get(order, fallback)


def _signer_next(document: Document, by_self: str, by_other: str) -> str:
    following = next_signature(document)
    if following is None:
        return ""
    signature, role = following
    if signature.signer_id == document.author_id and by_self:
        return by_self % {"role": role}
    return by_other % {"person": person(signature.signer), "role": role}


def after_action(document: Document, action: str) -> str:
    """The message after ``action`` on ``document``: what was done and what happens next, in the
    words declared with the action (workflow.actions)."""
    declared = ACTIONS.get(action)
    if declared is None:
        return ""
    after = declared.after
    values = {"author": person(document.author), "reference": document.reference or ""}
    if after.when_signed is not None and document.status == Status.SIGNED:
        return after.when_signed % values
    if after.next_signer is None:
        return after.text % values
    return str(after.text) + " " + _signer_next(document, *after.next_signer)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done", "current" or "todo"


STEPS = (
    ("draft", gettext_lazy("Draft")),
    ("signatures", gettext_lazy("Signatures")),
    ("submitted", gettext_lazy("Submitted")),
    ("review", gettext_lazy("In review")),
    ("decided", gettext_lazy("Decided")),
)

_STEP_OF_STATUS = {
    Status.DRAFT: "draft",
    Status.CHANGES_REQUESTED: "draft",
    Status.AWAITING_SIGNATURES: "signatures",
    Status.SIGNED: "signatures",
    Status.SUBMITTED: "submitted",
    Status.UNDER_REVIEW: "review",
    Status.APPROVED: "decided",
    Status.REJECTED: "decided",
    Status.WITHDRAWN: "decided",
}


def progress(document: Document) -> list[Step]:
    """The five steps, each done, current or still to come."""
    current = _STEP_OF_STATUS.get(document.status, "draft")
    keys = [key for key, _label in STEPS]
    at = keys.index(current)
    final = document.status in (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
    steps = []
    for index, (key, label) in enumerate(STEPS):
        if index < at or (final and index == at):
            state = "done"
        elif index == at:
            state = "current"
        else:
            state = "todo"
        if key == "decided" and final:
            label = Status(document.status).label
        steps.append(Step(key, str(label), state))
    return steps


def what_next(document: Document, viewer) -> str:
    """What happens next to the document, said to the person looking at it."""
    author = person(document.author)
    mine = document.author_id == viewer.pk
    status = document.status
    if status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        if mine:
            return _(
                "Fill in the form, check your answers, then send it for signature. Nothing is "
                "sent until you do."
            )
        return _("%(author)s fills it in and sends it for signature.") % {"author": author}
    if status == Status.AWAITING_SIGNATURES:
        following = next_signature(document)
        if following is None:
            return ""
        signature, role = following
        if signature.signer_id == viewer.pk:
            return _(
                "Your signature is needed, as %(role)s: read the document, then sign at the end "
                "of this page."
            ) % {"role": role}
        return _("%(person)s (%(role)s) signs next; then the next signatory, in order.") % {
            "person": person(signature.signer),
            "role": role,
        }
    if status == Status.SIGNED:
        if mine:
            return _("Every signature is in: submit it to the agency.")
        return _("Every signature is in: %(author)s submits it to the agency.") % {"author": author}
    texts = {
        Status.SUBMITTED: _("An agency reviewer claims it and reviews it."),
        Status.UNDER_REVIEW: _(
            "%(reviewer)s is reviewing it: it will be approved, rejected or returned for "
            "changes, and %(author)s is told."
        ),
        Status.APPROVED: _(
            "Approved: the sealed PDF is the issued document. Anyone can check a copy with its "
            "verification code."
        ),
        Status.REJECTED: _("Rejected: the document is closed."),
        Status.WITHDRAWN: _("Withdrawn: the document is closed."),
    }
    text = str(texts.get(status, "")) % {"reviewer": person(document.assignee), "author": author}
    if status == Status.APPROVED and document.type == MAILBOX_TYPE:
        text = f"{text} {_mailbox_next(document)}".strip()
    return text


_MAILBOX_NEXT = {
    Provisioning.WAITING: gettext_lazy(
        "The mailbox itself waits for the agency's mail administrators to create it; the "
        "servant and their supervisor are told when it is ready."
    ),
    Provisioning.PROVISIONED: gettext_lazy("The mailbox is created: its address is below."),
    Provisioning.REFUSED: gettext_lazy(
        "The mail administrators did not create the mailbox: their reason is below."
    ),
}


def _mailbox_next(document: Document) -> str:
    """An approved mailbox request's next step is the mailbox's (approvals.provisioning); a
    claimed one still waits."""
    provisioning = mailbox_provisioning(document)
    if provisioning is None:
        return ""
    return str(_MAILBOX_NEXT.get(provisioning.status, _MAILBOX_NEXT[Provisioning.WAITING]))


_PROVISIONING = "_idhini_mailbox_provisioning"


def mailbox_provisioning(document: Document) -> MailboxProvisioning | None:
    """The mailbox request's provisioning, with its assignee (None: it has none), read once per
    document object: its page shows it twice, in the next step and in the mailbox panel."""
    if not hasattr(document, _PROVISIONING):
        row = MailboxProvisioning.objects.select_related("assignee").filter(document_id=document.pk)
        setattr(document, _PROVISIONING, row.first())
    return getattr(document, _PROVISIONING)
