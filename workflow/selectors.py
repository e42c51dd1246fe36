"""Reads of the engine: what a person may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from workflow.exceptions import NotFound
from workflow.models import AuditEvent, Document, Project, Status
from workflow.roles import user_context

# A document id as a caller has it: a UUID, or the text of a URL (a malformed one reads as 404).
DocumentId = UUID | str

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def visible_documents_q(user: User) -> Q | None:
    """Institution staff see their institution's documents; the agency sees what was submitted
    (never drafts). None: nothing at all."""
    ctx = user_context(user)
    if ctx.institution is None:
        return None
    if ctx.is_agency:
        return Q(reference__isnull=False) & ~Q(status=Status.DRAFT)
    return Q(institution_id=ctx.institution_id)


def visible_documents(user: User) -> QuerySet[Document]:
    q = visible_documents_q(user)
    if q is None:
        return Document.objects.none()
    return Document.objects.filter(q)


def document_pk(document_id: DocumentId) -> UUID:
    """The id as a UUID; NotFound for a malformed one (never a 500)."""
    try:
        return UUID(str(document_id))
    except ValueError:
        raise NotFound(_("No such document.")) from None


def document_get_visible(
    *, document_id: DocumentId, by: User, queryset: QuerySet[Document] | None = None
) -> Document:
    """The document ``by`` may see, from ``queryset`` (to lock it or load what a page needs);
    NotFound otherwise — also for a malformed id: never a 500, and never a hint that a document
    of another institution exists (404, not 403)."""
    pk = document_pk(document_id)
    q = visible_documents_q(by)
    base = Document.objects.all() if queryset is None else queryset
    document = None if q is None else base.filter(q, pk=pk).first()
    if document is None:
        raise NotFound(_("No such document."))
    return document


def document_read_visible(
    *, document_id: DocumentId, by: User, read: Callable[[UUID], Document | None]
) -> Document:
    """The document ``read`` by its primary key (None: no such row), if ``by`` may see it:
    NotFound otherwise, or for a malformed id, as :func:`document_get_visible` answers. For the
    statements compiled once that read by key alone (the transitions' lock, the API's detail):
    who may see it is asked of the row read, and a caller who sees nothing runs no statement."""
    pk = document_pk(document_id)
    if visible_documents_q(by) is None:
        raise NotFound(_("No such document."))
    document = read(pk)
    if document is None or not can_see_document(by, document):
        raise NotFound(_("No such document."))
    return document


def can_see_document(user: User, document: Document) -> bool:
    ctx = user_context(user)
    if ctx.institution is None:
        return False
    if ctx.is_agency:
        return document.reference is not None and document.status != Status.DRAFT
    return document.institution_id == ctx.institution_id


def visible_projects(user: User) -> QuerySet[Project]:
    ctx = user_context(user)
    if ctx.institution is None:
        return Project.objects.none()
    if ctx.is_agency:
        return Project.objects.all()
    return Project.objects.filter(institution_id=ctx.institution_id)


def returning_reviewer(document: Document):
    """The reviewer who last returned the document for changes, while still an active agency
    reviewer; None otherwise (their resubmission then goes to the common pool)."""
    event = (
        AuditEvent.objects.filter(document_id=document.pk, action="request-changes")
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    reviewer = event.actor if event is not None else None
    if reviewer is None or not reviewer.is_active or not user_context(reviewer).is_reviewer:
        return None
    return reviewer
