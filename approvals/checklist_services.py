"""Writes of the review checklist: the assignee marks criteria met, not met or not applicable.

Not a transition (the status does not change), but held to the same rules: the document's row
lock, the refusals in the same order (404 not visible, 409 not under review, 403 not the
assignee, then 400 for the body), all or nothing, and an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.checklist_selectors import (
    can_mark,
    checklist_state,
    current_mark_values,
    current_marks,
)
from approvals.models import ChecklistMark, Mark
from config.api.parsing import text_is_storable
from forms_templates.definitions import DocumentType
from forms_templates.registry import get_type
from workflow.audit import audit_record
from workflow.exceptions import Conflict, Forbidden, Invalid
from workflow.models import Document, Status
from workflow.services import lock_document

NOTE_MAX = 1000
_MARK_FIELDS = {"mark", "note"}


def checklist_update(*, document_id: UUID | str, by: AbstractBaseUser, marks: Any) -> Document:
    """Set the assignee's marks ``{criterion: {"mark", "note"?}}`` on the current version.

    A note left out keeps the criterion's current note; ``""`` clears it. "not met" needs a
    note: it is what the author will read. Marks equal to the current ones change nothing and
    are not audited; when nothing changes, no event is written.
    """
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        if document.status != Status.UNDER_REVIEW:
            raise Conflict(
                _("The checklist can be marked only while the document is under review."),
                code="invalid_status",
            )
        if not can_mark(document, by):
            raise Forbidden(
                _("Only the reviewer who claimed this document can mark its checklist."),
                code="not_allowed",
            )
        existing = current_marks(document)
        wanted = _clean_marks(get_type(document.type), marks, existing)
        changes = _save_marks(document, by, wanted, existing)
        if not changes:
            return document
        audit_record(
            document=document,
            action="checklist",
            actor=by,
            from_status=document.status,
            to_status=document.status,
            payload={"marks": changes},
        )
        document.save(update_fields=["audit_seq", "audit_head"])
    return document


def _save_marks(
    document: Document,
    by: AbstractBaseUser,
    wanted: dict[str, tuple[str, str]],
    existing: dict[str, ChecklistMark],
) -> dict[str, dict[str, Any]]:
    """Write the marks that differ from the current ones; returns them for the audit event."""
    now = timezone.now()
    changes: dict[str, dict[str, Any]] = {}
    created: list[ChecklistMark] = []
    updated: list[ChecklistMark] = []
    for key, (mark, note) in wanted.items():
        row = existing.get(key)
        if row is not None and (row.mark, row.note) == (mark, note):
            continue
        changes[key] = {"mark": mark, "note": note, "was": row.mark if row else None}
        if row is None:
            created.append(
                ChecklistMark(
                    document=document,
                    version=document.version,
                    criterion=key,
                    mark=mark,
                    note=note,
                    marked_by=by,
                    marked_at=now,
                )
            )
        else:
            row.mark, row.note, row.marked_by, row.marked_at = mark, note, by, now
            updated.append(row)
    ChecklistMark.objects.bulk_create(created)
    ChecklistMark.objects.bulk_update(updated, ["mark", "note", "marked_by", "marked_at"])
    return changes


def checklist_approval_check(
    *, document: Document, override_reason: str, asked: bool
) -> dict[str, Any]:
    """Inside the approval (row lock held): the current version's checklist must be complete,
    every criterion marked and none "not met", unless ``override_reason`` says why the agency
    approves anyway. Returns the checklist's state for the audit event; 400 naming the
    criteria otherwise (``asked``: the body had an ``override_reason``, blank)."""
    state = checklist_state(get_type(document.type), current_mark_values(document))
    summary = {
        "version": document.version,
        "complete": state.complete,
        "unmarked": state.unmarked,
        "not_met": state.not_met,
    }
    if state.complete or override_reason:
        return summary
    message = _(
        "The review checklist is not complete (not marked: %(unmarked)d; not met: "
        "%(not_met)d). Mark every criterion, none “not met”, or give a reason to approve "
        "anyway."
    ) % {"unmarked": len(state.unmarked), "not_met": len(state.not_met)}
    errors: dict[str, Any] = {
        "checklist": {"unmarked": state.unmarked, "not_met": state.not_met},
        "non_field_errors": [message],
    }
    if asked:
        errors["override_reason"] = [
            _("A reason is needed to approve while the checklist is not complete.")
        ]
    raise Invalid(message, code="checklist_incomplete", errors=errors)


def _clean_marks(
    definition: DocumentType, marks: Any, existing: dict[str, ChecklistMark]
) -> dict[str, tuple[str, str]]:
    """criterion -> (mark, note), or Invalid naming every criterion that is wrong."""
    if not isinstance(marks, dict):
        raise Invalid(
            _("Invalid checklist marks."),
            errors={"marks": [_("Must be an object of criterion: {mark, note}.")]},
        )
    if not marks:
        raise Invalid(_("Nothing to mark."), errors={"marks": [_("Mark at least one criterion.")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[str, str]] = {}
    for key, value in marks.items():
        if definition.criterion(key) is None:
            errors[key] = [_("No such criterion in this document's checklist.")]
            continue
        problem, result = _clean_one(value, existing.get(key))
        if problem:
            errors[key] = [problem]
        else:
            cleaned[key] = result
    if errors:
        raise Invalid(_("Some checklist marks are not valid."), errors={"marks": errors})
    return cleaned


def _clean_one(value: Any, row: ChecklistMark | None) -> tuple[str, tuple[str, str]]:
    """(problem, (mark, note)): the problem is "" when the value is valid."""
    if not isinstance(value, dict):
        return _("Must be an object with “mark” and, if you like, “note”."), ("", "")
    unknown = sorted(set(value) - _MARK_FIELDS)
    if unknown:
        return (
            _("Unknown field “%(field)s”. Allowed: mark, note.") % {"field": unknown[0]},
            ("", ""),
        )
    if "mark" not in value:
        return _("Give the “mark”: met, not_met or na."), ("", "")
    mark = value["mark"]
    if mark not in Mark.values:
        return (
            _("Unknown mark “%(mark)s”. Use met, not_met or na.") % {"mark": mark},
            ("", ""),
        )
    note = value.get("note", row.note if row else "")
    note = "" if note is None else note
    if not isinstance(note, str) or not text_is_storable(note):
        return _("The note must be text."), ("", "")
    note = note.strip()
    if len(note) > NOTE_MAX:
        return _("At most %(limit)d characters.") % {"limit": NOTE_MAX}, ("", "")
    if mark == Mark.NOT_MET and not note:
        return _("Say what is missing: a criterion not met needs a note."), ("", "")
    return "", (mark, note)
