"""What a refused transition tells the person: what happened, and what they can do now.

Never an action's code or a status's internal name: the reviewer who lost a race for a claim
reads "Hati hii tayari imechukuliwa na Asha Juma dakika 1 iliyopita. Chagua hati nyingine
kwenye foleni.", in the language of the request. The API's ``detail`` is the same sentence.

Built only on the refusal path (a query or two for the people and the moment); the happy path
costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from workflow.actions import ACTIONS
from workflow.exceptions import Conflict, Forbidden, WorkflowError
from workflow.humanize import ago, person_name
from workflow.lifecycle import ACTIONS as METHODS
from workflow.lifecycle import DocumentLifecycle
from workflow.models import AuditEvent, Document, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _words(action: str) -> str:
    """What the action does to the document, as the end of "You cannot … now" (declared with
    the action, workflow.actions)."""
    declared = ACTIONS.get(action)
    return str(declared.refusal) if declared else action


_NOT_TRANSITIONS = ("edit", "seal", "create")


def _last_move(document: Document) -> AuditEvent | None:
    """The event that put the document in its current status (who, and when)."""
    return (
        AuditEvent.objects.filter(document_id=document.pk, to_status=document.status)
        .exclude(action__in=_NOT_TRANSITIONS)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def _who(event: AuditEvent | None) -> str:
    if event is None:
        return _("someone")
    return person_name(event.actor) or event.actor_username or _("someone")


def where_it_stands(document: Document) -> str:
    """One sentence: the document's status in words, with the person it waits on."""
    status = document.status
    if status == Status.DRAFT:
        return _("The document is a draft with its author, %(person)s.") % {
            "person": person_name(document.author)
        }
    if status == Status.AWAITING_SIGNATURES:
        return _("The document is waiting for the signature of %(person)s.") % {
            "person": person_name(document.next_signer) or _("a signatory")
        }
    if status == Status.SIGNED:
        return _("The document is signed and waiting for %(person)s to submit it.") % {
            "person": person_name(document.author)
        }
    if status == Status.SUBMITTED:
        if document.assignee_id:
            return _("The document came back to %(person)s, who returned it for changes.") % {
                "person": person_name(document.assignee)
            }
        return _("The document is in the review queue and nobody has claimed it yet.")
    event = _last_move(document)
    values = {"person": _who(event), "ago": ago(event.created_at if event else None)}
    sentences = {
        Status.UNDER_REVIEW: _("%(person)s took this document for review %(ago)s."),
        Status.CHANGES_REQUESTED: _(
            "%(person)s returned this document to its author for changes %(ago)s."
        ),
        Status.APPROVED: _("%(person)s approved this document %(ago)s."),
        Status.REJECTED: _("%(person)s rejected this document %(ago)s."),
        Status.WITHDRAWN: _("%(person)s withdrew this document %(ago)s."),
    }
    return sentences[status] % values


def not_now(document: Document, action: str) -> str:
    """409: the action does not exist from the document's status."""
    if action == "claim" and document.status == Status.UNDER_REVIEW:
        event = _last_move(document)
        return _(
            "This document has already been taken by %(person)s %(ago)s. "
            "Choose another document from the queue."
        ) % {"person": _who(event), "ago": ago(event.created_at if event else None)}
    if action in ("approve", "reject", "request-changes", "release") and (
        document.status == Status.SUBMITTED and not document.assignee_id
    ):
        return _(
            "Nobody has claimed this document yet. Claim it for review first; then you can "
            "decide on it."
        )
    return _("%(where)s So you cannot %(action)s now. Reload the page to see what you can do.") % {
        "where": where_it_stands(document),
        "action": _words(action),
    }


def reserved(document: Document) -> str:
    """409: a resubmission waits for the reviewer who returned it."""
    return _(
        "This resubmission came back to %(person)s, who returned it for changes: only they can "
        "claim it, unless they release it to the queue. Choose another document from the queue."
    ) % {"person": person_name(document.assignee)}


def not_yours(document: Document, action: str) -> str:
    """403: the transition exists, but it is someone else's to take."""
    if action == "claim":
        return _("Only the agency's reviewers can claim documents for review.")
    if action in ("release", "approve", "reject", "request-changes"):
        return _("Only %(person)s, who has this document, can %(action)s.") % {
            "person": person_name(document.assignee) or _("the reviewer who claimed it"),
            "action": _words(action),
        }
    if action == "sign":
        return _("It is not your turn to sign: the document waits for %(person)s.") % {
            "person": person_name(document.next_signer) or _("another signatory")
        }
    if action == "decline":
        return _("Only a signatory whose signature is still awaited can decline to sign.")
    return _("Only the author, %(person)s, can %(action)s.") % {
        "person": person_name(document.author),
        "action": _words(action),
    }


def why_not(document: Document, action: str, user: User) -> WorkflowError | None:
    """The refusal the action would get now (the transition's own order: 409, then 403), or
    None when it is allowed. For pages that ask before they act (a confirmation page): the
    service still decides, under the row lock, when the person confirms."""
    flow = DocumentLifecycle(document)
    bound = getattr(flow, METHODS[action])
    if not bound.can_proceed():
        return Conflict(not_now(document, action), code="invalid_status")
    if not bound.has_perm(user):
        return Forbidden(not_yours(document, action), code="not_allowed")
    return None
