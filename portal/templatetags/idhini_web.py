"""Small helpers for the browser pages: names in the active language, and what a document is
waiting for. They read only what the selectors already loaded (no queries)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from workflow.actions import ACTIONS
from workflow.models import Stage, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

register = template.Library()

# The history's words for each audit action: the lifecycle's from their declaration, and the
# events that are not transitions.
ACTION_LABELS = {
    "create": gettext_lazy("Created"),
    "edit": gettext_lazy("Edited"),
    **{name: action.history for name, action in ACTIONS.items()},
    "seal": gettext_lazy("Sealed PDF issued"),
    "attachment-add": gettext_lazy("Annex attached"),
    "attachment-remove": gettext_lazy("Annex removed"),
    "checklist": gettext_lazy("Review checklist marked"),
    "mailbox-claim": gettext_lazy("Mailbox request claimed"),
    "mailbox-release": gettext_lazy("Mailbox request released"),
    "mailbox-provision": gettext_lazy("Mailbox created"),
    "mailbox-refuse": gettext_lazy("Mailbox refused"),
    "delegation-withdrawn": gettext_lazy("Acting signatory withdrawn"),
}


@register.filter
def type_name(type_key: str) -> str:
    definition = get_type(type_key)
    return definition.name.get(current_lang()) if definition else type_key


@register.filter
def institution_name(institution) -> str:
    return institution.name(current_lang()) if institution is not None else ""


@register.filter
def person(user: User) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def stage_label(value: str) -> str:
    try:
        return str(Stage(value).label)
    except ValueError:
        return value


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def signature_status_label(value: str) -> str:
    from approvals.models import SignatureStatus

    try:
        return str(SignatureStatus(value).label)
    except ValueError:
        return value


@register.filter
def decision_label(value: str) -> str:
    from approvals.models import Decision

    try:
        return str(Decision(value).label)
    except ValueError:
        return value


@register.filter
def mark_label(value: str) -> str:
    from approvals.models import Mark

    try:
        return str(Mark(value).label)
    except ValueError:
        return value


@register.filter
def waiting_for(document) -> str:
    """Whose move it is, in a few words."""
    status = document.status
    if status == Status.DRAFT:
        return _("%(person)s to finish and send for signature") % {
            "person": person(document.author)
        }
    if status == Status.AWAITING_SIGNATURES:
        if document.next_signer_id:
            return _("The signature of %(person)s") % {"person": person(document.next_signer)}
        return _("Signatures")
    if status == Status.SIGNED:
        return _("%(person)s to submit it to the agency") % {"person": person(document.author)}
    if status == Status.SUBMITTED:
        return _("An agency reviewer to claim it")
    if status == Status.UNDER_REVIEW:
        return _("The review by %(person)s") % {"person": person(document.assignee)}
    if status == Status.CHANGES_REQUESTED:
        return _("%(person)s to make the requested changes") % {"person": person(document.author)}
    return ""


@register.filter
def annex_kind(kind: str) -> str:
    from forms_templates.attachment_kinds import kind_label

    return kind_label(kind or "").get(current_lang())
