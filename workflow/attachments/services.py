"""Adding and removing a document's annexes: the author's, while the document may be edited.

An annex is part of what is signed: the document's content hash covers every current annex
(kind, name, SHA-256), so adding or removing one after the version was sent for signature starts
a new version, exactly as editing the answers does, and the signatures start again.

Refusals in the order of an edit: not visible (404), not editable now (409), not the author
(403); then the request (400: kind, 20 annexes, the same file twice), then the file itself
(413 over the size limit, 400 ``{"file": [why]}``). All of them before anything is stored.
The file is stored before the transaction (object storage may take a moment; no row lock is
held meanwhile) and removed again if the transaction does not commit.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from forms_templates.attachment_kinds import AttachmentKind
from workflow.attachments.inspect import InspectedFile, inspect_upload
from workflow.attachments.names import display_name
from workflow.attachments.storage import attachment_storage
from workflow.attachments.types import FileRefused
from workflow.audit import audit_record
from workflow.exceptions import Invalid, NotFound, TooLarge
from workflow.hashing import attachment_manifest, content_hash
from workflow.models import Attachment, Document
from workflow.selectors import DocumentId
from workflow.services import _ensure_editable, document_check_editable, lock_document

if TYPE_CHECKING:
    from django.contrib.auth.models import User


logger = logging.getLogger(__name__)

MAX_PER_DOCUMENT = 20


def _check_room(document: Document) -> None:
    if len(document.attachment_manifest) >= MAX_PER_DOCUMENT:
        message = _(
            "A document holds at most %(limit)d annexes. Remove one before adding another."
        ) % {"limit": MAX_PER_DOCUMENT}
        raise Invalid(message, code="too_many_attachments", errors={"file": [message]})


def _check_not_attached(document: Document, sha256: str) -> None:
    for entry in document.attachment_manifest:
        if entry["sha256"] == sha256:
            message = _("This file is already attached to the document, as “%(name)s”.") % {
                "name": entry["name"]
            }
            raise Invalid(message, code="duplicate_attachment", errors={"file": [message]})


def attachment_check_addable(*, document_id: DocumentId, by: User) -> Document:
    """404 / 409 / 403 as an edit would answer, and 400 at the limit of annexes: cheap enough
    to ask before an upload's body is read."""
    document = document_check_editable(document_id=document_id, by=by)
    _check_room(document)
    return document


def clean_kind(kind: Any) -> str:
    known = ", ".join(AttachmentKind.values)
    if kind in (None, ""):
        message = _("Say what the annex is: one of %(kinds)s.") % {"kinds": known}
        raise Invalid(message, errors={"kind": [message]})
    if not isinstance(kind, str) or kind not in AttachmentKind.values:
        message = _("Unknown kind of annex. Known kinds: %(kinds)s.") % {"kinds": known}
        raise Invalid(message, errors={"kind": [message]})
    return kind


def _inspect(content: bytes) -> InspectedFile:
    try:
        return inspect_upload(content, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except FileRefused as exc:
        if exc.code == "too_large":
            raise TooLarge(exc.message, code=exc.code) from None
        raise Invalid(exc.message, code=exc.code, errors={"file": [exc.message]}) from None


def _start_new_version_if_frozen(document: Document) -> bool:
    # As document_update: the frozen version stays as it was signed; this change is the next.
    if not document.version_frozen:
        return False
    document.version += 1
    document.version_frozen = False
    return True


def _set_manifest(document: Document, entries: list[dict[str, Any]]) -> None:
    document.attachment_manifest = attachment_manifest(entries)
    document.content_hash = content_hash(
        type=document.type,
        title=document.title,
        data=document.data,
        attachments=document.attachment_manifest,
    )


def _audit(document: Document, action: str, by: User, row: Attachment, new_version: bool) -> None:
    audit_record(
        document=document,
        action=action,
        actor=by,
        from_status=document.status,
        to_status=document.status,
        payload={
            "attachment": str(row.pk),
            "kind": row.kind,
            "name": row.name,
            "sha256": row.sha256,
            "size": row.size,
            "content_type": row.content_type,
            "content_hash": document.content_hash,
            "new_version": new_version,
        },
    )


def _discard(name: str) -> None:
    try:
        attachment_storage().delete(name)
    except OSError:
        # Housekeeping: a file left behind costs space, never correctness (no row names it).
        logger.warning("Could not remove the stored annex %s", name)


def attachment_add(
    *, document_id: DocumentId, by: User, kind: Any, name: str | None, content: bytes
) -> Attachment:
    """Check the file, store it under a random name, and attach it to the document."""
    document = attachment_check_addable(document_id=document_id, by=by)
    kind = clean_kind(kind)
    inspected = _inspect(content)
    _check_not_attached(document, inspected.sha256)
    file_type = inspected.file_type
    random_name = f"{document.pk}/{secrets.token_hex(16)}.{file_type.extensions[0]}"
    stored = attachment_storage().save(random_name, ContentFile(content))
    try:
        with transaction.atomic():
            document = lock_document(document_id=document.pk, by=by)
            _ensure_editable(document, by)
            _check_room(document)
            _check_not_attached(document, inspected.sha256)
            new_version = _start_new_version_if_frozen(document)
            row = Attachment.objects.create(
                document=document,
                kind=kind,
                name=display_name(name, file_type),
                storage_name=stored,
                sha256=inspected.sha256,
                size=inspected.size,
                content_type=file_type.content_type,
                uploaded_by=by,
                version=document.version,
            )
            _set_manifest(
                document,
                [
                    *document.attachment_manifest,
                    {"kind": kind, "name": row.name, "sha256": row.sha256},
                ],
            )
            _audit(document, "attachment-add", by, row, new_version)
            document.save()
    except BaseException:
        _discard(stored)
        raise
    return row


def attachment_remove(*, document_id: DocumentId, attachment_id: Any, by: User) -> Document:
    """Take an annex off the document. Never part of a signed version: the row and the file go.
    Part of one: it stays on record for that version, and the document starts the next."""
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        _ensure_editable(document, by)
        row = _current_attachment(document, attachment_id)
        on_record = document.version_frozen or row.version != document.version
        new_version = _start_new_version_if_frozen(document)
        if on_record:
            row.removed_in_version = document.version
            row.save(update_fields=["removed_in_version"])
        else:
            row.delete()
            stored = row.storage_name
            transaction.on_commit(lambda: _discard(stored))
        _set_manifest(
            document, [e for e in document.attachment_manifest if e["sha256"] != row.sha256]
        )
        _audit(document, "attachment-remove", by, row, new_version)
        document.save()
    return document


def _current_attachment(document: Document, attachment_id: Any) -> Attachment:
    try:
        pk = UUID(str(attachment_id))
    except ValueError:
        raise NotFound(_("No such annex.")) from None
    row = Attachment.objects.filter(
        pk=pk, document=document, removed_in_version__isnull=True
    ).first()
    if row is None:
        raise NotFound(_("No such annex."))
    return row
