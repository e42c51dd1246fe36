"""A document's answers as a person reads them: labels in the reader's language, choices by their
label, money with thousands separators, tables as rows of cells, and a reviewer's comments beside
the field (or table row and column) they are about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from forms_templates.definitions import DocumentType, Field, Table

# A review's field-comment key or an error's path: ``table[row]`` or ``table[row].column``.
CELL_PATH = re.compile(r"^(?P<table>[A-Za-z0-9_]+)\[(?P<row>[0-9]+)\](?:\.(?P<column>\w+))?$")


@dataclass
class AnswerView:
    key: str
    label: str
    kind: str
    value: Any = None  # display text for a field
    columns: list[str] = field(default_factory=list)  # a table's column labels
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (column label, text)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    answered: bool = False


@dataclass
class AnswerSection:
    key: str
    title: str
    answers: list[AnswerView]


def display_value(item: Field, value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    if item.kind == "choice":
        choice = next((c for c in item.choices if c.value == value), None)
        return choice.label.get(lang) if choice else str(value)
    if item.kind == "money" and isinstance(value, int | float):
        return f"{value:,}"
    if item.kind == "number" and isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"
    return str(value)


def _comment_location(definition: DocumentType, key: str, lang: str) -> tuple[str, str]:
    """(item key, where in the item) for a review's field-comment key."""
    match = CELL_PATH.match(key)
    if not match:
        return key, ""
    table = definition.item(match["table"])
    where = _("row %(row)s") % {"row": match["row"]}
    if isinstance(table, Table) and match["column"]:
        column = next((c for c in table.columns if c.key == match["column"]), None)
        if column is not None:
            where = f"{where} · {column.label.get(lang)}"
    return match["table"], where


def comment_label(definition: DocumentType, key: str, lang: str) -> str:
    """The label a person reads for a review's field-comment key (``title``, a field key, or
    ``table[row].column``)."""
    if key == "title":
        return _("Title")
    item_key, where = _comment_location(definition, key, lang)
    item = definition.item(item_key)
    label = item.label.get(lang) if item is not None else key
    return f"{label} ({where})" if where else label


def comments_by_item(
    definition: DocumentType, field_comments: dict[str, str] | None, lang: str
) -> dict[str, list[tuple[str, str]]]:
    """A review's per-field comments, grouped under the field (or table) they are about."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for key, text in (field_comments or {}).items():
        item_key, where = _comment_location(definition, key, lang)
        grouped.setdefault(item_key, []).append((where, text))
    return grouped


def answers(
    definition: DocumentType,
    data: dict[str, Any],
    lang: str,
    field_comments: dict[str, str] | None = None,
) -> list[AnswerSection]:
    """Every section's answers for the document page: labels in ``lang``, choices by their
    label, money with thousands separators, tables as rows of cells."""
    comments = comments_by_item(definition, field_comments, lang)
    sections: list[AnswerSection] = []
    for section in definition.sections:
        views: list[AnswerView] = []
        for item in section.items:
            view = _answer_view(item, data.get(item.key), lang)
            view.comments = comments.get(item.key, [])
            views.append(view)
        sections.append(
            AnswerSection(key=section.key, title=section.title.get(lang), answers=views)
        )
    return sections


def _answer_view(item: Field | Table, value: Any, lang: str) -> AnswerView:
    if isinstance(item, Table):
        rows = [
            [
                (column.label.get(lang), display_value(column, row.get(column.key), lang))
                for column in item.columns
            ]
            for row in (value or [])
        ]
        return AnswerView(
            key=item.key,
            label=item.label.get(lang),
            kind="table",
            columns=[column.label.get(lang) for column in item.columns],
            rows=rows,
            answered=bool(rows),
        )
    shown = display_value(item, value, lang)
    return AnswerView(
        key=item.key, label=item.label.get(lang), kind=item.kind, value=shown, answered=shown != ""
    )
