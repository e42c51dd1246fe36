"""What changed between two versions, as the pages show it: the API's one diff
(workflow.versions, forms_templates.diff), named by the form's labels and shown in the page's
language — old and new side by side, changed words marked with <ins>/<del>.

Which version a person compares with by default: the one they last signed or reviewed, when it is
older than the document's current version; otherwise the version before the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from approvals.selectors import last_version_seen
from forms_templates.answers import display_value
from forms_templates.definitions import DocumentType, Field, Table, current_lang
from forms_templates.diff import TITLE, Change, change_label
from forms_templates.registry import get_type
from workflow.models import AuditEvent, Document
from workflow.versions import VersionDiff, document_version_diff

if TYPE_CHECKING:
    from django.contrib.auth.models import User

KIND_LABELS = {
    "added": pgettext_lazy("a change", "Added"),
    "removed": pgettext_lazy("a change", "Removed"),
    "changed": pgettext_lazy("a change", "Changed"),
}


@dataclass(frozen=True)
class ShownChange:
    """One change for a page: where (the form's label, a link to the answer), what kind, the old
    and the new value as text (a whole row as its cells), the newer text's words marked."""

    label: str
    kind: str
    kind_label: str
    old: str
    new: str
    old_cells: list[tuple[str, str]]
    new_cells: list[tuple[str, str]]
    words: tuple[tuple[str, str], ...] | None
    anchor: str


@dataclass(frozen=True)
class ShownDiff:
    old_number: int
    new_number: int
    changes: list[ShownChange]
    fields: list[tuple[str, str]]  # (label, anchor) of each changed field, once, in order


def answer_anchor(key: str) -> str:
    return "summary" if key == TITLE else f"answer-{key}"


def field_label(definition: DocumentType, key: str) -> str:
    if key == TITLE:
        return _("Title")
    item = definition.item(key)
    return item.label.get(current_lang()) if item is not None else key


def _value(item: Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if item is not None and not isinstance(value, dict | list):
        return display_value(item, value, current_lang())
    return str(value)


def _cells(table: Table, row: Any) -> list[tuple[str, str]]:
    if not isinstance(row, dict):
        return [("", str(row))] if row not in (None, "") else []
    lang = current_lang()
    return [
        (column.label.get(lang), _value(column, row.get(column.key)))
        for column in table.columns
        if row.get(column.key) not in (None, "", [])
    ]


def _shown(definition: DocumentType, change: Change) -> ShownChange:
    item = definition.item(change.key) if change.key != TITLE else None
    old_cells: list[tuple[str, str]] = []
    new_cells: list[tuple[str, str]] = []
    value_item: Field | None = item if isinstance(item, Field) else None
    if isinstance(item, Table):
        if change.column is None:
            old_cells, new_cells = _cells(item, change.old), _cells(item, change.new)
        else:
            value_item = next((c for c in item.columns if c.key == change.column), None)
    return ShownChange(
        label=change_label(definition, change),
        kind=change.kind,
        kind_label=str(KIND_LABELS[change.kind]),
        old="" if old_cells else _value(value_item, change.old),
        new="" if new_cells else _value(value_item, change.new),
        old_cells=old_cells,
        new_cells=new_cells,
        words=change.words,
        anchor=answer_anchor(change.key),
    )


def shown_diff(definition: DocumentType, diff: VersionDiff) -> ShownDiff:
    changes = [_shown(definition, change) for change in diff.changes]
    keys = list(dict.fromkeys(change.key for change in diff.changes))
    return ShownDiff(
        old_number=diff.old.number,
        new_number=diff.new.number,
        changes=changes,
        fields=[(field_label(definition, key), answer_anchor(key)) for key in keys],
    )


def default_base(document: Document, user: User) -> int | None:
    """The version to compare the current one with for this person (None: only one version)."""
    current = document.version
    if current < 2:
        return None
    seen = last_version_seen(document=document, user=user)
    return seen if seen is not None and seen < current else current - 1


def changes_since(document: Document, user: User) -> ShownDiff | None:
    """The panel "what changed since version N" of the document page, or None."""
    base = default_base(document, user)
    if base is None:
        return None
    diff = document_version_diff(
        document_id=document.pk, by=user, from_version=base, to_version=document.version
    )
    return shown_diff(get_type(document.type), diff)


def edited_fields(definition: DocumentType, payload: dict) -> list[tuple[str, str]]:
    """(label, anchor) of the fields an ``edit`` audit event changed."""
    return [
        (field_label(definition, key), answer_anchor(key))
        for key in payload.get("changed_fields") or []
    ]


def history(document: Document, definition: DocumentType) -> list[AuditEvent]:
    """The audit trail, oldest first, each edit with the answers it changed (``edited_fields``):
    the document page's and the review page's history."""
    events = list(
        AuditEvent.objects.filter(document=document).select_related("actor").order_by("seq")
    )
    for event in events:
        if event.action == "edit":
            event.edited_fields = edited_fields(definition, event.payload or {})
    return events
