"""Reads of a document's versions and what changed between them.

A version is frozen (``DocumentVersion``, the snapshot signatures bind to) when it is sent for
signature. The version being edited and not yet sent has no snapshot: it is listed too, last,
with the document's current title and data (``frozen`` false), so "what changed since version 1"
on a returned document that was edited shows the edit before anyone signs it.

``created_at`` / ``created_by`` of a version are when and by whom its content was fixed: for a
frozen version, who sent it for signature and when; for the version still being edited, its
last save. Visibility is the document's: a document the caller may not see is 404.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from forms_templates.diff import Change, changed_fields, diff_versions
from forms_templates.registry import get_type
from workflow.exceptions import NotFound
from workflow.models import AuditEvent, Document, DocumentVersion
from workflow.selectors import DocumentId, document_get_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Audit actions that write a version's content.
CONTENT_ACTIONS = ("create", "edit")
_VERSION_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class VersionEntry:
    number: int
    title: str
    data: dict[str, Any]
    content_hash: str
    created_at: datetime.datetime
    created_by: str
    frozen: bool
    changed_fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VersionDiff:
    document: Document
    old: VersionEntry
    new: VersionEntry
    changes: list[Change]


def _current_draft(document: Document) -> VersionEntry:
    last_save = (
        AuditEvent.objects.filter(
            document=document, version=document.version, action__in=CONTENT_ACTIONS
        )
        .order_by("-seq")
        .values("created_at", "actor_username")
        .first()
    )
    return VersionEntry(
        number=document.version,
        title=document.title,
        data=document.data,
        content_hash=document.content_hash,
        created_at=last_save["created_at"] if last_save else document.updated_at,
        created_by=last_save["actor_username"] if last_save else document.author.username,
        frozen=False,
    )


def _snapshots(document: Document) -> list[VersionEntry]:
    entries = [
        VersionEntry(
            number=version.number,
            title=version.title,
            data=version.data,
            content_hash=version.content_hash,
            created_at=version.created_at,
            created_by=version.created_by.username,
            frozen=True,
        )
        for version in DocumentVersion.objects.filter(document=document)
        .select_related("created_by")
        .order_by("number")
    ]
    if not document.version_frozen:
        entries.append(_current_draft(document))
    return entries


def version_entries(document: Document) -> list[VersionEntry]:
    """The document's versions, oldest first, each with the fields changed since the one before
    (none for the first). A fixed number of queries (two or three) however many versions."""
    definition = get_type(document.type)
    entries: list[VersionEntry] = []
    previous: VersionEntry | None = None
    for entry in _snapshots(document):
        if previous is not None:
            fields = changed_fields(
                definition,
                old_title=previous.title,
                old_data=previous.data,
                new_title=entry.title,
                new_data=entry.data,
            )
            entry = replace(entry, changed_fields=fields)
        entries.append(entry)
        previous = entry
    return entries


def document_versions(*, document_id: DocumentId, by: User) -> list[VersionEntry]:
    """``GET /documents/{id}/versions/``: 404 when the caller may not see the document."""
    return version_entries(document_get_visible(document_id=document_id, by=by))


def _version_number(value: Any) -> int:
    text = str(value)
    if not _VERSION_NUMBER.fullmatch(text):
        raise NotFound(
            _("“%(value)s” is not a version number: versions are numbered 1, 2, 3…")
            % {"value": text[:40]},
            code="no_such_version",
        )
    return int(text)


def _pick(entries: list[VersionEntry], number: int) -> VersionEntry:
    for entry in entries:
        if entry.number == number:
            return entry
    if len(entries) == 1:
        message = _("This document has no version %(number)d: it has only version 1.")
    else:
        message = _("This document has no version %(number)d: its versions are 1 to %(last)d.")
    raise NotFound(message % {"number": number, "last": entries[-1].number}, code="no_such_version")


def document_version_diff(
    *, document_id: DocumentId, by: User, from_version: Any, to_version: Any
) -> VersionDiff:
    """``GET /documents/{id}/versions/{a}/diff/{b}/``: every change from version ``a`` to ``b``
    (either order; the same version twice is no change). 404 for a document the caller may not
    see, a version the document does not have, or something that is not a version number."""
    document = document_get_visible(document_id=document_id, by=by)
    old_number, new_number = _version_number(from_version), _version_number(to_version)
    entries = _snapshots(document)
    old, new = _pick(entries, old_number), _pick(entries, new_number)
    changes = diff_versions(
        get_type(document.type),
        old_title=old.title,
        old_data=old.data,
        new_title=new.title,
        new_data=new.data,
    )
    return VersionDiff(document=document, old=old, new=new, changes=changes)
