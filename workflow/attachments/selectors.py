"""Reads of annexes: only for people who can see the document (404 otherwise, as everywhere)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workflow.exceptions import NotFound
from workflow.models import Attachment, Document
from workflow.selectors import DocumentId, document_get_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def current_attachments(document: Document) -> QuerySet[Attachment]:
    """The annexes of the document's current version, in the order they were attached."""
    return (
        Attachment.objects.filter(document=document, removed_in_version__isnull=True)
        .select_related("uploaded_by")
        .order_by("created_at", "pk")
    )


def attachment_for_download(*, document_id: DocumentId, attachment_id: Any, by: User) -> Attachment:
    """A current annex, or one kept on record for a version signed with it."""
    document = document_get_visible(document_id=document_id, by=by)
    try:
        pk = UUID(str(attachment_id))
    except ValueError:
        raise NotFound(_("No such annex.")) from None
    row = Attachment.objects.filter(pk=pk, document=document).first()
    if row is None:
        raise NotFound(_("No such annex."))
    return row
