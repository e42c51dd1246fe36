"""The steps every transition service takes, in this order, each a plain call:

``transition(by)`` opens the transaction (the caller's institution and roles read just before
it, as the password is: under the row lock only the document and what hangs on it are read),
``lock`` the document (404 when the caller may not see it), ``ensure_possible`` (409: no such
transition from this status), the service's own checks, ``ensure_permitted`` (403: not this
person's to take), the change, ``audit`` (the hash-chained event, the document saved) and
``announce`` (``document_transitioned``, whose receivers write in the same transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from approvals.transitions.locking import locked_document, unlocked_document
from approvals.transitions.signature_rows import hold_signatures
from workflow import refusals
from workflow.audit import audit_event, save_with_event
from workflow.exceptions import Conflict, Forbidden
from workflow.lifecycle import DocumentLifecycle, action_for
from workflow.models import AuditEvent, Document, Status
from workflow.roles import user_context
from workflow.signals import document_transitioned

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@contextmanager
def transition(by: User) -> Iterator[None]:
    """The transition's transaction. Who ``by`` is (institution, roles: one query, kept on the
    user object) is read before it, so the statements between the row lock and the commit are
    the document's own."""
    user_context(by)
    with transaction.atomic():
        yield


def lock(
    *, document_id: UUID, by: User, signatures: bool = False
) -> tuple[Document, DocumentLifecycle]:
    """The document row-locked for this transaction (only its own row), and its state machine.
    Read in the same statement (approvals.transitions.locking): what the receivers use (the
    institution's name in the notices, the project in the similar-systems index, the author
    with their notification language: who is told of most decisions); ``signatures`` for the
    steps that read the current round (one more query), each with its signatory and their
    language: the next one, told of their turn, costs no query of their own."""
    document = locked_document(document_id=document_id, by=by)
    if signatures:
        hold_signatures(document)
    _remember_row(document)
    return document, DocumentLifecycle(document)


# The columns a transition may write: every one but the primary key and the count of returns,
# which the database keeps (approvals 0007's triggers) and no transition writes.
_COLUMNS = tuple(
    field.attname
    for field in Document._meta.concrete_fields
    if not field.primary_key and field.attname != "returns_for_changes"
)
_LOCKED = "_idhini_locked_row"


def _remember_row(document: Document) -> None:
    """The row's values as locked, so that :func:`audit` saves only what the transition changed:
    a full save writes every column, the form's answers (``data``) too, which PostgreSQL then
    stores again (a large value: its TOAST chunks rewritten), and costs the most SQL to build."""
    values = document.__dict__
    setattr(document, _LOCKED, {name: values[name] for name in _COLUMNS})


def _changed_columns(document: Document) -> list[str]:
    """The columns assigned a new value since the lock (values are assigned, never changed in
    place: a transition never edits the answers), and ``updated_at`` (auto_now) always."""
    before = getattr(document, _LOCKED)
    values = document.__dict__
    changed = [
        name
        for name in _COLUMNS
        if (value := values[name]) is not before[name] and value != before[name]
    ]
    return changed if "updated_at" in changed else [*changed, "updated_at"]


def read(
    *, document_id: UUID, by: User, signatures: bool = False
) -> tuple[Document, DocumentLifecycle]:
    """The document without a lock or a transaction, for the refusals asked before a slow step
    (a password): they are asked again under the lock, so a change in between is still caught.
    ``signatures``: the current round too, as :func:`lock` reads it (a signature's turn)."""
    document = unlocked_document(document_id=document_id, by=by)
    if signatures:
        hold_signatures(document)
    return document, DocumentLifecycle(document)


def ensure_possible(flow: DocumentLifecycle, method: str) -> None:
    if not getattr(flow, method).can_proceed():
        raise Conflict(refusals.not_now(flow.document, action_for(method)), code="invalid_status")


def ensure_permitted(flow: DocumentLifecycle, method: str, by: User) -> None:
    if not getattr(flow, method).has_perm(by):
        raise Forbidden(refusals.not_yours(flow.document, action_for(method)), code="not_allowed")


def audit(
    document: Document, *, method: str, by: User, from_status: str, payload: dict[str, Any]
) -> AuditEvent:
    """The transition's event, then the document saved with its new status and chain head (the
    columns the transition changed, :func:`_changed_columns`)."""
    if not (from_status == document.status == Status.SUBMITTED):
        # A reserved resubmission released to the pool stays in the queue: its wait (and so
        # its overdue clock) runs on from when it was submitted.
        document.status_changed_at = timezone.now()
    event = audit_event(
        document=document,
        action=action_for(method),
        actor=by,
        from_status=from_status,
        to_status=document.status,
        payload=payload,
    )
    save_with_event(document, event, _changed_columns(document))
    _remember_row(document)
    return event


def announce(
    document: Document,
    *,
    event: AuditEvent,
    by: User,
    from_status: str,
    details: dict[str, Any],
) -> None:
    """Tell the other apps, inside the transaction (notifications, the index, the pages)."""
    document_transitioned.send(
        sender=Document,
        document=document,
        action=event.action,
        actor=by,
        from_status=from_status,
        to_status=document.status,
        event=event,
        details=details,
    )
