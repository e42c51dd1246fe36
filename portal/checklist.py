"""The review checklist beside the document: what its panel shows, and what a page posts to it.

The assignee marks each criterion met, not met or not applicable, with a note; everybody else
who sees the marks reads them. Who sees the marks is the selector's rule
(``approvals.checklist_selectors.marks_visible_to``): the agency's staff always, institution
staff once the agency has decided — while the document is with the agency the marks are the
reviewer's working notes, and a half-marked list must not read to the officer as a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from approvals.checklist_selectors import ChecklistView, CriterionView, document_checklist
from approvals.models import Mark
from forms_templates.definitions import CHECKLIST_GROUPS, DocumentType
from forms_templates.registry import get_type
from workflow.models import Document

MARK_PREFIX = "mark-"
NOTE_PREFIX = "note-"


@dataclass
class CriterionRow:
    view: CriterionView
    text: str
    fields: list[tuple[str, str]]  # (label, the answer's anchor on the page)
    mark: str = ""  # what the radios show: the posted mark, else the current one
    note: str = ""
    errors: list[str] = field(default_factory=list)
    source: str = ""  # where the criterion comes from

    @property
    def key(self) -> str:
        return self.view.criterion.key


@dataclass
class GroupRows:
    key: str
    title: str
    rows: list[CriterionRow]


@dataclass
class ChecklistPanel:
    checklist: ChecklistView
    groups: list[GroupRows]
    marks: list[tuple[str, Any]]

    @property
    def can_mark(self) -> bool:
        return self.checklist.can_mark

    @property
    def total(self) -> int:
        return len(self.checklist.criteria)

    @property
    def marked(self) -> int:
        return len(self.checklist.marks)

    def named(self, keys: list[str]) -> list[CriterionRow]:
        rows = {row.key: row for group in self.groups for row in group.rows}
        return [rows[key] for key in keys if key in rows]

    @property
    def unmarked_rows(self) -> list[CriterionRow]:
        return self.named(self.checklist.unmarked)

    @property
    def not_met_rows(self) -> list[CriterionRow]:
        return self.named(self.checklist.not_met)


def checklist_panel(
    document: Document,
    user,
    lang: str,
    *,
    posted: QueryDict | None = None,
    errors: dict[str, Any] | None = None,
) -> ChecklistPanel | None:
    """The panel for this person, or None: no checklist for the type, never submitted, or the
    marks are not theirs to see yet."""
    definition = get_type(document.type)
    if not definition.checklist or document.submitted_at is None:
        return None
    checklist = document_checklist(document=document, user=user)
    if not checklist.marks_visible:
        return None
    groups: dict[str, GroupRows] = {}
    for view in checklist.criteria:
        row = _row(definition, view, lang, posted, errors or {})
        group = view.criterion.group
        if group not in groups:
            groups[group] = GroupRows(group, CHECKLIST_GROUPS[group].get(lang), [])
        groups[group].rows.append(row)
    return ChecklistPanel(checklist, list(groups.values()), list(Mark.choices))


def _row(
    definition: DocumentType,
    view: CriterionView,
    lang: str,
    posted: QueryDict | None,
    errors: dict[str, Any],
) -> CriterionRow:
    criterion = view.criterion
    fields = []
    for key in criterion.fields:
        item = definition.item(key)
        if item is not None:
            fields.append((item.label.get(lang), f"#answer-{key}"))
    current = view.current
    row = CriterionRow(
        view,
        criterion.text.get(lang),
        fields,
        mark=current.mark if current else "",
        note=current.note if current else "",
        source="; ".join(criterion.source_names(lang)),
    )
    if posted is not None:
        row.mark = posted.get(MARK_PREFIX + criterion.key, row.mark)
        row.note = posted.get(NOTE_PREFIX + criterion.key, row.note)
    problem = errors.get(criterion.key)
    if problem:
        row.errors = [str(m) for m in (problem if isinstance(problem, list) else [problem])]
    return row


def posted_marks(definition: DocumentType, data: QueryDict) -> dict[str, dict[str, str]]:
    """The service's ``marks`` from a posted panel: every criterion given a mark, with its
    note. A criterion left without a mark is left as it is."""
    marks = {}
    for criterion in definition.checklist:
        mark = data.get(MARK_PREFIX + criterion.key, "")
        if mark:
            marks[criterion.key] = {
                "mark": mark,
                "note": data.get(NOTE_PREFIX + criterion.key, ""),
            }
    return marks
