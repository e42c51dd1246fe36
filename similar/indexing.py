"""Writes of the similar-systems index (``similar.models.SearchEntry``).

The receivers (``similar.receivers``) call these inside the transaction of the change: a concept
note's transition, a project saved. A concept note's text cannot change while it is in the index
(it is frozen from the request for signatures until it is returned, rejected or withdrawn), so a
move between indexed statuses only changes the row's status.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from similar.models import EntryStatus, SearchEntry
from similar.statements import drop_unless_indexed, move_status, upsert_entry
from similar.text import profile, title_key
from workflow.models import Document, Project, Status

CONCEPT_NOTE = "concept_note"
# A concept note in one of these puts its project in the index.
INDEXED_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED)
_UPDATED = ["institution", "document", "status", "reference", "title", "title_key", "heading"]
_UPDATED += ["body", "extra", "fields", "updated_at"]

# --- Existing systems -----------------------------------------------------------------------
# The one place that knows about projects registered as existing systems (approved before
# Idhini, API.md "existing_system"). Until workflow.Project has the field
# ``existing_approval_reference`` no project is one; once it has, these need no change.
EXISTING_REFERENCE_FIELD = "existing_approval_reference"


def existing_reference(project: Project) -> str:
    return (getattr(project, EXISTING_REFERENCE_FIELD, "") or "").strip()


def existing_systems() -> Iterable[Project]:
    fields = {f.name for f in Project._meta.get_fields()}
    if EXISTING_REFERENCE_FIELD not in fields:
        return Project.objects.none()
    return Project.objects.exclude(**{EXISTING_REFERENCE_FIELD: ""}).exclude(
        **{f"{EXISTING_REFERENCE_FIELD}__isnull": True}
    )


# --- Entries --------------------------------------------------------------------------------


def build_entry(*, project: Project, concept_note: Document | None) -> SearchEntry | None:
    """The project's row: from its concept note in an indexed status, else from the project
    itself when it is an existing system, else none (the project is not in the index)."""
    if concept_note is not None and concept_note.status in INDEXED_STATUSES:
        text = profile(project=project, title=concept_note.title, data=concept_note.data)
        status, reference, document_id = (
            concept_note.status,
            concept_note.reference or "",
            concept_note.pk,
        )
    elif existing_reference(project):
        text = profile(project=project)
        status, reference, document_id = EntryStatus.EXISTING, existing_reference(project), None
    else:
        return None
    return SearchEntry(
        project_id=project.pk,
        institution_id=project.institution_id,
        document_id=document_id,
        status=status,
        reference=reference[:40],
        title=project.name,
        title_key=title_key(project.name),
        heading=text.text("A"),
        body=text.text("B"),
        extra=text.text("C"),
        fields=text.fields,
    )


def _save(entries: list[SearchEntry]) -> None:
    now = timezone.now()
    for entry in entries:
        entry.updated_at = now
    SearchEntry.objects.bulk_create(
        entries,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=_UPDATED,
    )


def similar_index_project(
    *, project_id: UUID, concept_note: Document | None = None, project: Project | None = None
) -> SearchEntry | None:
    """Write (or remove) one project's row from what is stored now. ``concept_note`` and
    ``project``: the ones the caller holds (the transition's row and its project), else they
    are looked up."""
    if project is None:
        project = Project.objects.filter(pk=project_id).first()
    if project is None:
        SearchEntry.objects.filter(project_id=project_id).delete()
        return None
    if concept_note is None or concept_note.status not in INDEXED_STATUSES:
        concept_note = (
            Document.objects.filter(
                project_id=project_id, type=CONCEPT_NOTE, status__in=INDEXED_STATUSES
            )
            .order_by("-status_changed_at")
            .first()
        )
    entry = build_entry(project=project, concept_note=concept_note)
    if entry is None:
        SearchEntry.objects.filter(project_id=project_id).delete()
    else:
        upsert_entry(entry)  # what _save sends, for one row
    return entry


def similar_index_transition(*, document: Document, from_status: str, to_status: str) -> None:
    """A concept note moved: index its project, update its status, or take it out."""
    if document.type != CONCEPT_NOTE or document.project_id is None:
        return
    was, now = from_status in INDEXED_STATUSES, to_status in INDEXED_STATUSES
    # Claim, release, approve: the text is frozen, only the status moves (one query).
    if was and now and move_status(document, to_status):
        return
    held = Document._meta.get_field("project").is_cached(document)
    project = document.project if held else None
    if was and not now and project is not None and _drop_entry(document, project):
        return
    if was or now:
        similar_index_project(
            project_id=document.project_id, concept_note=document, project=project
        )


def _drop_entry(document: Document, project: Project) -> bool:
    """A concept note left review (returned, rejected, withdrawn): its project's row goes, in
    one statement, unless another of its concept notes is still indexed or the project is an
    existing system. False when nothing was deleted: the caller then indexes the project from
    what is stored."""
    if existing_reference(project):
        return False
    deleted = drop_unless_indexed(document, kind=CONCEPT_NOTE, statuses=INDEXED_STATUSES)
    return bool(deleted)


def similar_index_rebuild(*, batch: int = 1000) -> int:
    """Write every project's row again from what is stored, and drop the rows that should not
    be there (``manage.py reindex_similar``: after a restore, or data written around the
    services). Returns the number of rows."""
    notes = Document.objects.filter(type=CONCEPT_NOTE, status__in=INDEXED_STATUSES)
    with transaction.atomic():
        started = timezone.now()
        written: set[Any] = set()
        entries: list[SearchEntry] = []

        def add(entry: SearchEntry | None) -> None:
            nonlocal entries
            if entry is None:
                return
            written.add(entry.project_id)
            entries.append(entry)
            if len(entries) >= batch:
                _save(entries)
                entries = []

        rows = notes.select_related("project").order_by("status_changed_at", "pk")
        for note in rows.iterator(chunk_size=batch):
            add(build_entry(project=note.project, concept_note=note))
        for project in existing_systems().iterator(chunk_size=batch):
            if project.pk not in written:
                add(build_entry(project=project, concept_note=None))
        if entries:
            _save(entries)
        SearchEntry.objects.filter(updated_at__lt=started).delete()
    return len(written)
