"""The author's steps after the signatures: submit to the agency, or withdraw for good."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import connection
from django.utils import timezone

from approvals.transitions.steps import (
    announce,
    audit,
    ensure_permitted,
    ensure_possible,
    lock,
    transition,
)
from forms_templates.registry import get_type
from workflow.actions import performs
from workflow.agency import current_agency
from workflow.models import Document, ReferenceCounter
from workflow.readiness import ensure_ready
from workflow.selectors import returning_reviewer
from workflow.services import clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _next_reference(document: Document) -> str:
    """The next number of this type and year, in one atomic statement (PostgreSQL and SQLite):
    concurrent submissions never share a number, and the first of a year needs no extra step."""
    definition = get_type(document.type)
    year = timezone.localdate().year
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (code, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (code, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [definition.code, year],
        )
        (number,) = cursor.fetchone()
    prefix = current_agency().reference_prefix  # configured in admin; EGA by default
    return f"{prefix}/{definition.code}/{year}/{number:04d}"


@performs("submit")
def document_submit(*, document_id: UUID, by: User) -> Document:
    """The signed document goes to the agency's queue; its reference is given the first time."""
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "submit")
        if document.author_id == by.pk:  # anyone else: 403 just below
            ensure_ready(document)
        ensure_permitted(flow, "submit", by)

        from_status = document.status
        now = timezone.now()
        if not document.reference:
            document.reference = _next_reference(document)
        resubmission = document.submitted_at is not None
        document.submitted_at = document.submitted_at or now
        document.last_submitted_at = now
        # A resubmission is reserved for the reviewer who returned it: it stays submitted with
        # them as assignee; only they may claim it until they release it to the pool.
        document.assignee = returning_reviewer(document) if resubmission else None
        flow.submit()

        payload = {"reference": document.reference, "resubmission": resubmission}
        if document.assignee is not None:
            payload["reserved_for"] = document.assignee.username
        event = audit(document, method="submit", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


@performs("withdraw")
def document_withdraw(*, document_id: UUID, by: User, reason: Any = "") -> Document:
    """The author takes the document back for good, telling whoever it was waiting on."""
    reason = clean_text(reason, field="reason", required=False)
    with transition(by):
        # The signatures: whose turn it was hears of it.
        document, flow = lock(document_id=document_id, by=by, signatures=True)
        ensure_possible(flow, "withdraw")
        ensure_permitted(flow, "withdraw", by)

        from_status = document.status
        payload = {"reason": reason, "assignee": document.assignee_id}
        document.next_signer = None
        document.assignee = None
        flow.withdraw()

        event = audit(document, method="withdraw", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document
