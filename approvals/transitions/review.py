"""The agency's steps: claim from the queue, release, and the decision (approve, reject,
request changes). Every decision but the claim is the assignee's."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.checklist_selectors import checklist_prefill
from approvals.checklist_services import checklist_approval_check
from approvals.models import FIELD_COMMENT_MAX, Decision, Review
from approvals.transitions.steps import (
    announce,
    audit,
    ensure_permitted,
    ensure_possible,
    lock,
    read,
    transition,
)
from config.sql import insert_row
from forms_templates.registry import get_type
from workflow import refusals
from workflow.actions import performs
from workflow.exceptions import Conflict, Invalid
from workflow.gating import project_advance
from workflow.models import Document, Status
from workflow.roles import user_context
from workflow.second_factor import require_code
from workflow.services import clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@performs("claim")
def document_claim(*, document_id: UUID, by: User) -> Document:
    """A reviewer takes the submitted document from the queue: one winner, the others 409."""
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "claim")
        # A resubmission reserved for the reviewer who returned it (submission.document_submit)
        # is theirs alone while their account is active: another reviewer hears who has it.
        holder = document.assignee
        reserved_for_another = holder is not None and holder.pk != by.pk and holder.is_active
        if reserved_for_another and user_context(by).is_reviewer:  # anyone else: 403 below
            raise Conflict(refusals.reserved(document), code="reserved")
        ensure_permitted(flow, "claim", by)

        from_status = document.status
        payload: dict[str, Any] = {"assignee": by.username}
        if holder is not None and holder.pk != by.pk:
            payload["reserved_for"] = holder.username  # inactive since: taken over
        document.assignee = by
        flow.claim()

        event = audit(document, method="claim", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


@performs("release")
def document_release(*, document_id: UUID, by: User) -> Document:
    """The assignee puts the document back in the common pool: one under review, or a
    resubmission reserved for them (still submitted)."""
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "release")
        if document.assignee_id is None:  # a submitted document nobody holds: nothing to release
            raise Conflict(refusals.not_now(document, "release"), code="invalid_status")
        ensure_permitted(flow, "release", by)

        from_status = document.status
        payload = {"reserved": True} if document.status == Status.SUBMITTED else {}
        document.assignee = None
        flow.release()

        event = audit(document, method="release", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


def _new_verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by people
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _review(document: Document, by: User, decision: str, comment: str, **extra: Any) -> Review:
    review = Review(
        document=document,
        version=document.version,
        reviewer=by,
        decision=decision,
        comment=comment,
        **extra,
    )
    return insert_row(review)  # Review has no save() of its own, nor save signals' receivers


@performs("approve")
def document_approve(
    *,
    document_id: UUID,
    by: User,
    comment: Any = "",
    override_reason: Any = None,
    otp: Any = None,
    request: Any = None,
) -> Document:
    """Approve: every checklist criterion marked and none "not met", or ``override_reason``
    saying why the agency approves anyway (kept on the review and in the audit event). The
    code of the reviewer's authenticator, when one is asked of them, is checked first, before
    the row lock (and only after the refusals a lock-free read can give: 404, 409, 403)."""
    comment = clean_text(comment, field="comment", required=False)
    override = clean_text(override_reason, field="override_reason", required=False)
    require_code(
        request=request, user=by, otp=otp, preflight=lambda: _approve_refusals(document_id, by)
    )
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "approve")
        ensure_permitted(flow, "approve", by)
        # Under the row lock, after the permission check: marks change only under this lock.
        checklist = checklist_approval_check(
            document=document, override_reason=override, asked=override_reason is not None
        )

        from_status = document.status
        document.approved_at = timezone.now()
        document.verification_code = _new_verification_code()
        _review(document, by, Decision.APPROVED, comment, checklist_override=override)
        project_advance(document=document)
        flow.approve()

        payload = {
            "comment": comment,
            "verification_code": document.verification_code,
            "checklist": checklist,
        }
        if override:
            payload["override_reason"] = override
        event = audit(document, method="approve", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


def _approve_refusals(document_id: UUID, by: User) -> None:
    """The refusals of approve without the lock: 404, then 409, then 403."""
    _document, flow = read(document_id=document_id, by=by)
    ensure_possible(flow, "approve")
    ensure_permitted(flow, "approve", by)


@performs("reject")
def document_reject(*, document_id: UUID, by: User, reason: Any) -> Document:
    """The agency refuses, with a reason. Final."""
    reason = clean_text(reason, field="reason", required=True)
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "reject")
        ensure_permitted(flow, "reject", by)

        from_status = document.status
        _review(document, by, Decision.REJECTED, reason)
        flow.reject()

        payload = {"reason": reason}
        event = audit(document, method="reject", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


def _clean_field_comments(document_type: str, value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise Invalid(
            _("Invalid field comments."),
            errors={"field_comments": [_("Must be an object of field: comment.")]},
        )
    definition = get_type(document_type)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, text in value.items():
        base = key.split("[", 1)[0]
        if definition.item(base) is None and key != "title":
            errors[key] = [_("No such field in this document.")]
        elif not isinstance(text, str) or not text.strip():
            errors[key] = [_("The comment must be non-empty text.")]
        elif len(text) > FIELD_COMMENT_MAX:
            errors[key] = [_("At most %(limit)d characters.") % {"limit": FIELD_COMMENT_MAX}]
        else:
            cleaned[key] = text.strip()
    if errors:
        raise Invalid(_("Invalid field comments."), errors={"field_comments": errors})
    return cleaned


def _returned_with(
    document: Document, comment: str, field_comments: Any
) -> tuple[str, dict[str, str], list[str]]:
    """(comment, field comments, the checklist's criteria used): what the reviewer wrote, and
    for what they left out the checklist's "not met" notes beside their fields and as the
    comment."""
    comments = _clean_field_comments(document.type, field_comments)
    text, from_checklist = comment, []
    if field_comments is None or not text:
        prefill = checklist_prefill(document=document)
        comments = prefill.field_comments if field_comments is None else comments
        text = text or prefill.comment
        from_checklist = prefill.criteria
    return clean_text(text, field="comment", required=True), comments, from_checklist


@performs("request-changes")
def document_request_changes(
    *, document_id: UUID, by: User, comment: Any, field_comments: Any = None
) -> Document:
    """The agency returns the document with comments; editing it starts a new version."""
    comment = clean_text(comment, field="comment", required=False)
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "request_changes")
        ensure_permitted(flow, "request_changes", by)
        # Validated after the permission check: someone else's bad comments are a 403, not 400.
        text, comments, from_checklist = _returned_with(document, comment, field_comments)

        from_status = document.status
        _review(document, by, Decision.CHANGES_REQUESTED, text, field_comments=comments)
        document.assignee = None
        flow.request_changes()

        payload: dict[str, Any] = {"comment": text, "field_comments": comments}
        if from_checklist:
            payload["from_checklist"] = from_checklist
        event = audit(
            document, method="request_changes", by=by, from_status=from_status, payload=payload
        )
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document
