"""Reads of the review checklist: the criteria of a document's type with their marks.

Marks belong to the document version reviewed. A new version (after changes were requested)
starts with no marks; each criterion then shows the last mark it had on an earlier version as a
hint (``previous``), with whether the fields it judges changed since, and the reviewer confirms
or changes it. Institution staff see marks only once the agency has decided (approved, rejected
or returned the document): while the document is with the agency the marks are the reviewer's
working notes, and a half-marked checklist must not read as a decision.

Each read costs a fixed number of queries, whatever the number of criteria and versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from django.utils.translation import gettext as _

from approvals.models import FIELD_COMMENT_MAX, ChecklistMark, Mark
from config.sql import Reusable
from forms_templates.definitions import Criterion, DocumentType, current_lang
from forms_templates.registry import get_type
from workflow.limits import TEXT_MAX
from workflow.models import Document, DocumentVersion, Status
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User


DECIDED_STATUSES = (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED)
COMMENT_MAX = TEXT_MAX


@dataclass(frozen=True)
class MarkView:
    mark: str
    note: str
    by: str  # username
    by_name: str
    at: datetime
    version: int

    @classmethod
    def of(cls, row: ChecklistMark) -> MarkView:
        user = row.marked_by
        return cls(
            mark=row.mark,
            note=row.note,
            by=user.get_username(),
            by_name=(user.get_full_name() or "").strip() or user.get_username(),
            at=row.marked_at,
            version=row.version,
        )


@dataclass(frozen=True)
class CriterionView:
    criterion: Criterion
    current: MarkView | None = None
    previous: MarkView | None = None  # the last mark on an earlier version: a hint
    fields_changed: bool = False  # the judged fields differ from the hint's version


@dataclass(frozen=True)
class ChecklistView:
    document: Document
    criteria: list[CriterionView]
    marks_visible: bool
    can_mark: bool

    @property
    def version(self) -> int:
        return self.document.version

    @property
    def marks(self) -> dict[str, MarkView]:
        return {c.criterion.key: c.current for c in self.criteria if c.current is not None}

    @property
    def unmarked(self) -> list[str]:
        return [c.criterion.key for c in self.criteria if c.current is None]

    @property
    def not_met(self) -> list[str]:
        return [
            c.criterion.key
            for c in self.criteria
            if c.current is not None and c.current.mark == Mark.NOT_MET
        ]

    @property
    def complete(self) -> bool:
        return not self.unmarked and not self.not_met


@dataclass(frozen=True)
class ChecklistState:
    """What approval needs to know: which criteria are unmarked and which are not met."""

    unmarked: list[str] = field(default_factory=list)
    not_met: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unmarked and not self.not_met


def checklist_state(definition: DocumentType, marks: Mapping[str, str]) -> ChecklistState:
    """``marks``: criterion -> mark. Criteria in the definition's order."""
    return ChecklistState(
        unmarked=[c.key for c in definition.checklist if c.key not in marks],
        not_met=[c.key for c in definition.checklist if marks.get(c.key) == Mark.NOT_MET],
    )


def current_marks(document: Document) -> dict[str, ChecklistMark]:
    """The marks of the document's current version, by criterion (one query)."""
    rows = ChecklistMark.objects.filter(document=document, version=document.version)
    return {row.criterion: row for row in rows.select_related("marked_by")}


# Every version's marks of one document, as a statement compiled once per connection: the
# approval and the request for changes read them under the row lock, where building the
# queryset cost more than the database spends answering it. No document has this id (uuid4).
_MARKS = Reusable(
    lambda pk: (
        ChecklistMark.objects.filter(document_id=pk)
        .order_by()
        .values_list("version", "criterion", "mark", "note")
    ),
    placeholder=UUID(int=0),
    prepare=Document._meta.pk.get_db_prep_value,
)


class MarkRow(NamedTuple):
    criterion: str
    mark: str
    note: str


def current_mark_rows(document: Document) -> list[MarkRow]:
    """The current version's marks (one query, no model rows built). The earlier versions'
    marks are read too (a few rows each) and left: a parameter fewer keeps the statement one
    compiled once."""
    return [
        MarkRow(criterion, mark, note)
        for version, criterion, mark, note in _MARKS.rows(document.pk)
        if version == document.version
    ]


def current_mark_values(document: Document) -> dict[str, str]:
    """criterion -> mark of the document's current version (what approval checks)."""
    return {row.criterion: row.mark for row in current_mark_rows(document)}


def can_mark(document: Document, user: User) -> bool:
    """Only the reviewer who claimed the document marks its checklist, while it is in review."""
    return (
        document.status == Status.UNDER_REVIEW
        and user.is_authenticated
        and document.assignee_id == user.pk
        and user_context(user).is_reviewer
    )


def marks_visible_to(document: Document, user: User) -> bool:
    return user_context(user).is_agency or document.status in DECIDED_STATUSES


def document_checklist(*, document: Document, user: User) -> ChecklistView:
    """The checklist of a document the caller can see (the caller checked visibility)."""
    definition = get_type(document.type)
    visible = marks_visible_to(document, user)
    current: dict[str, MarkView] = {}
    previous: dict[str, MarkView] = {}
    changed: dict[str, bool] = {}
    if visible and definition.checklist and document.submitted_at is not None:
        rows = (
            ChecklistMark.objects.filter(document=document, version__lte=document.version)
            .select_related("marked_by")
            .order_by("version", "id")
        )
        for row in rows:
            target = current if row.version == document.version else previous
            target[row.criterion] = MarkView.of(row)  # later versions overwrite earlier ones
        changed = _fields_changed(document, definition, previous)
    return ChecklistView(
        document=document,
        criteria=[
            CriterionView(
                criterion=criterion,
                current=current.get(criterion.key),
                previous=previous.get(criterion.key),
                fields_changed=changed.get(criterion.key, False),
            )
            for criterion in definition.checklist
        ],
        marks_visible=visible,
        can_mark=can_mark(document, user),
    )


def _fields_changed(
    document: Document, definition: DocumentType, previous: Mapping[str, MarkView]
) -> dict[str, bool]:
    """For each hinted criterion: did any field it judges change since the hint's version?"""
    versions = {mark.version for mark in previous.values()}
    if not versions:
        return {}
    snapshots = {
        number: data
        for number, data in DocumentVersion.objects.filter(
            document=document, number__in=versions
        ).values_list("number", "data")
    }
    result = {}
    for criterion in definition.checklist:
        hint = previous.get(criterion.key)
        if hint is None:
            continue
        old = snapshots.get(hint.version, {})
        result[criterion.key] = any(
            old.get(key) != document.data.get(key) for key in criterion.fields
        ) or (not criterion.fields and old != document.data)
    return result


def checklist_summary(*, document: Document, user: User) -> dict[str, Any]:
    """The document detail's ``checklist``: counts and what still stands in the way of
    approval, for the document's current version (one query at most)."""
    definition = get_type(document.type)
    visible = marks_visible_to(document, user)
    marks: dict[str, str] = {}
    if visible and definition.checklist and document.submitted_at is not None:
        marks = current_mark_values(document)  # compiled once per connection
    state = checklist_state(definition, marks)
    return {
        "version": document.version,
        "total": len(definition.checklist),
        "marked": sum(1 for key in marks if definition.criterion(key) is not None),
        "complete": state.complete,
        "unmarked": state.unmarked,
        "not_met": state.not_met,
        "marks_visible": visible,
    }


@dataclass(frozen=True)
class ChangesPrefill:
    """What a request for changes says when the reviewer leaves it to the checklist: the
    "not met" notes beside the fields they judge, and a comment listing every one."""

    comment: str
    field_comments: dict[str, str]
    criteria: list[str]


def checklist_prefill(*, document: Document) -> ChangesPrefill:
    """The request-changes pre-fill from the current version's "not met" marks, in the active
    language."""
    definition = get_type(document.type)
    rows = current_mark_rows(document)
    not_met = {row.criterion: row for row in rows if row.mark == Mark.NOT_MET}
    lang = current_lang()
    lines: list[str] = []
    by_field: dict[str, list[str]] = {}
    criteria: list[str] = []
    for criterion in definition.checklist:
        row = not_met.get(criterion.key)
        if row is None:
            continue
        criteria.append(criterion.key)
        lines.append(f"- {criterion.text.get(lang)} — {row.note}")
        for key in criterion.fields:
            notes = by_field.setdefault(key, [])
            if row.note not in notes:
                notes.append(row.note)
    comment = ""
    if lines:
        comment = _clip("\n".join([_("Checklist criteria not met:"), *lines]), COMMENT_MAX)
    return ChangesPrefill(
        comment=comment,
        field_comments={
            key: _clip("\n\n".join(notes), FIELD_COMMENT_MAX) for key, notes in by_field.items()
        },
        criteria=criteria,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
