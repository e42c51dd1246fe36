"""What a document's page says above its answers: why it came back (declined, rejected,
returned — who, when, the reason, what to do next), where it stands among the steps, a summary of
what is being signed, and the signatory's declaration. Reads only; the views render it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import SignatureStatus
from forms_templates.answers import display_value
from forms_templates.definitions import DocumentType, Field, Table, current_lang
from forms_templates.registry import get_type
from portal.next_steps import role_name
from portal.templatetags.idhini_web import person
from workflow.models import AuditEvent, Document, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUMMARY_MAX = 10


@dataclass(frozen=True)
class Reason:
    """Why a document came back or stopped: shown in a box at the top of its page and in the
    author's home list."""

    kind: str  # "returned", "declined" or "rejected"
    heading: str
    who: str
    when: datetime.datetime | None
    text: str
    next_step: str
    link: str = ""
    link_label: str = ""


# The events that decide why a document stopped, newest first: the one that put it where it is.
REASON_ACTIONS = ("request-changes", "reject", "decline", "request-signatures")


def reason_for(document: Document, events: list[AuditEvent]) -> Reason | None:
    """The reason to show, read from the document's audit trail (its events with their actors,
    in any order): returned — the last request for changes; rejected — the rejection; a draft
    whose last signing round ended in a decline — that decline."""
    event = _deciding_event(document, events)
    if event is None:
        return None
    wanted = event.action
    who = person(event.actor) if event.actor else event.actor_username
    payload = event.payload or {}
    edit = reverse("web:document-edit", kwargs={"pk": document.pk})
    if wanted == "request-changes":
        return Reason(
            "returned",
            _("Returned by the agency for changes"),
            who,
            event.created_at,
            payload.get("comment", ""),
            _(
                "Make the changes asked for (the agency's comments are next to the answers they "
                "are about), then send it for signature again: every signatory signs the new "
                "version."
            ),
            edit,
            _("Make the changes"),
        )
    if wanted == "reject":
        new = reverse("web:document-new")
        return Reason(
            "rejected",
            _("Rejected by the agency"),
            who,
            event.created_at,
            payload.get("reason", ""),
            _(
                "A rejected document is closed and cannot be changed. If the project goes on, "
                "prepare a new document that answers the reason."
            ),
            new + (f"?project={document.project_id}" if document.project_id else ""),
            _("Prepare a new document"),
        )
    role = payload.get("role", "")
    return Reason(
        "declined",
        _("Declined by %(role)s") % {"role": role_title(document, role)},
        who,
        event.created_at,
        payload.get("reason", ""),
        _(
            "The document is a draft again. Change what the signatory asks for, then send "
            "it for signature again: every signatory signs again."
        ),
        edit,
        _("Change the document"),
    )


def _deciding_event(document: Document, events: list[AuditEvent]) -> AuditEvent | None:
    latest = sorted(
        (e for e in events if e.action in REASON_ACTIONS), key=lambda e: e.seq, reverse=True
    )
    wanted = {
        Status.CHANGES_REQUESTED: "request-changes",
        Status.REJECTED: "reject",
        Status.DRAFT: "decline",
    }.get(document.status)
    if wanted is None or not latest:
        return None
    if document.status == Status.DRAFT:
        # Declined only while no new round was asked for since.
        return latest[0] if latest[0].action == wanted else None
    return next((e for e in latest if e.action == wanted), None)


def role_title(document: Document, role: str) -> str:
    definition = get_type(document.type)
    signatory = next(
        (s for s in definition.signatories_for(document.form_version) if s.role == role), None
    )
    return signatory.role_name.get(current_lang()) if signatory else role


@dataclass(frozen=True)
class SummaryItem:
    label: str
    value: str


_SUMMARY_KINDS = ("money", "date", "choice")  # amounts first, then dates, then choices


def _key_fields(definition: DocumentType) -> list[Field]:
    """Who and what (the required names of the first section that has any: a mailbox
    request opens with the kind of request, then the servant), then every amount, date and
    choice in that order, so that the summary's first rows are the amounts."""
    named = (
        [
            item
            for item in section.items
            if isinstance(item, Field) and item.required and item.kind in ("text", "email")
        ]
        for section in definition.sections
    )
    fields = next((names for names in named if names), [])[:3]
    answers = [
        item
        for section in definition.sections
        for item in section.items
        if isinstance(item, Field) and item.kind in _SUMMARY_KINDS and item not in fields
    ]
    return fields + sorted(answers, key=lambda item: _SUMMARY_KINDS.index(item.kind))


def summary(definition: DocumentType, data: dict[str, Any], lang: str) -> list[SummaryItem]:
    """The answers a signatory looks at first: who and what (the first section's names), the
    amounts, the dates and the choices; and how many rows each required table has."""
    items = []
    for field in _key_fields(definition):
        shown = display_value(field, data.get(field.key), lang)
        if shown:
            items.append(SummaryItem(field.label.get(lang), shown))
    items = items[:SUMMARY_MAX]
    for item in definition.items():
        if isinstance(item, Table) and item.required:
            rows = len(data.get(item.key) or [])
            items.append(
                SummaryItem(
                    item.label.get(lang),
                    ngettext("%(count)d row", "%(count)d rows", rows) % {"count": rows},
                )
            )
    return items


def signing_role(document: Document, user: User) -> str | None:
    """The role the viewer signs as, when it is their turn; else None."""
    # acting_signer_id: the viewer acts for the next signer today (approvals.delegation).
    acting = getattr(document, "acting_signer_id", None) == user.pk
    if document.status != Status.AWAITING_SIGNATURES or not (
        document.next_signer_id == user.pk or acting
    ):
        return None
    pending = sorted(
        (
            s
            for s in document.signatures.all()
            if s.active
            and s.status == SignatureStatus.PENDING
            and s.signer_id == document.next_signer_id
        ),
        key=lambda s: s.order,
    )
    if not pending:
        return None
    role = role_name(document, pending[0].order, pending[0].role)
    if document.next_signer_id == user.pk:
        return role
    return _("%(role)s, acting for %(person)s") % {
        "role": role,
        "person": person(pending[0].signer),
    }
