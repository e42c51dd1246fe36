"""What changed between two versions of a document: field by field, tables row by row, and for
text, word by word. Pure: no database, no request; the type's definition says which fields are
tables and which are text, and names them for people (:func:`change_label`).

A change is named by its path, as validation errors are (rows counted from 1):

- ``title`` or a field key (``scope``) — an answer added, removed or changed;
- ``risks[3]`` — a whole row added (numbered in the newer version) or removed (numbered in the
  older one); ``old`` / ``new`` is the whole row;
- ``risks[3].mitigation`` — one cell of a row that is in both versions (numbered in the newer).

Rows are aligned with :class:`difflib.SequenceMatcher` over each row's JSON, so a row inserted in
the middle is one added row, not every later row changed. Rows replaced one for one become cell
changes; where a replaced run has more rows on one side, rows are paired by the cells they share
and the rest are added or removed.

An answer that is absent, null, ``""`` or ``[]`` counts as unanswered: giving it is ``added``,
clearing it ``removed``. ``changed_fields`` and ``diff_versions`` agree: a field is listed as
changed exactly when the diff has at least one change under it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from django.utils.translation import gettext

from forms_templates.definitions import DocumentType, Field, Table, current_lang

ChangeKind = Literal["added", "removed", "changed"]
WordOp = Literal["equal", "delete", "insert"]
TITLE = "title"
# Field kinds whose changes carry word marks.
WORDED_KINDS = ("text", "long_text")
# Above this many row pairs in one replaced run, rows are paired by position (cost bound).
_PAIRING_LIMIT = 40_000
# A word or a run of punctuation, with the whitespace after it; leading whitespace alone.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")


@dataclass(frozen=True)
class Change:
    """One difference. ``row`` is 1-based (in the newer version, or the older for a removed row);
    ``old_row`` is the row's number in the older version when it is in both. ``words`` (text only,
    when both sides are text) is the newer text as segments ``(op, text)``, op one of ``equal``,
    ``delete`` (only in the older: render as <del>) and ``insert`` (only in the newer: <ins>)."""

    field: str
    kind: ChangeKind
    old: Any
    new: Any
    key: str
    row: int | None = None
    old_row: int | None = None
    column: str | None = None
    words: tuple[tuple[WordOp, str], ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "field": self.field,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
        }
        if self.words is not None:
            result["words"] = [list(segment) for segment in self.words]
        return result


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean_row(row: Any) -> Any:
    if isinstance(row, dict):
        return {key: value for key, value in row.items() if not _blank(value)}
    return row


def _normal(item: Field | Table | None, value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(item, Table) and isinstance(value, list):
        return [_clean_row(row) for row in value]
    return value


def _keys_in_order(definition: DocumentType | None, *datas: dict[str, Any]) -> list[str]:
    known = [item.key for item in definition.items()] if definition is not None else []
    seen = set(known)
    unknown = sorted({key for data in datas for key in data if key not in seen})
    return known + unknown


def _item(definition: DocumentType | None, key: str) -> Field | Table | None:
    return definition.item(key) if definition is not None else None


def changed_fields(
    definition: DocumentType | None,
    *,
    old_title: str,
    old_data: dict[str, Any],
    new_title: str,
    new_data: dict[str, Any],
) -> list[str]:
    """The top-level fields that differ, ``title`` first, then in the form's order (answers of
    fields the type no longer has last, by key)."""
    fields = [TITLE] if _normal(None, old_title) != _normal(None, new_title) else []
    for key in _keys_in_order(definition, old_data, new_data):
        item = _item(definition, key)
        if _normal(item, old_data.get(key)) != _normal(item, new_data.get(key)):
            fields.append(key)
    return fields


def word_diff(old: str, new: str) -> list[tuple[WordOp, str]]:
    """The newer text as segments marking the words removed and added since the older.

    Words and punctuation are compared apart ("mkoa." to "mkoa na wilaya." inserts "na wilaya")
    and keep the whitespace after them, so joining the ``equal`` and ``insert`` segments gives the
    newer text exactly. Whitespace alone (a new line break, a double space) is not marked."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(
        None, [t.strip() for t in old_tokens], [t.strip() for t in new_tokens], autojunk=False
    )
    segments: list[tuple[WordOp, str]] = []

    def emit(op: WordOp, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", new_tokens[j1:j2])
        else:
            emit("delete", old_tokens[i1:i2])
            emit("insert", new_tokens[j1:j2])
    return segments


def _kind(old: Any, new: Any) -> ChangeKind:
    if _blank(old):
        return "added"
    if _blank(new):
        return "removed"
    return "changed"


def _words(kind: str | None, old: Any, new: Any) -> tuple[tuple[WordOp, str], ...] | None:
    if kind not in WORDED_KINDS:
        return None
    if not (isinstance(old, str) and isinstance(new, str) and old and new):
        return None
    return tuple(word_diff(old, new))


def _value_change(
    path: str, key: str, field_kind: str | None, old: Any, new: Any, **where: Any
) -> Change:
    old = None if _blank(old) else old
    new = None if _blank(new) else new
    return Change(
        field=path,
        kind=_kind(old, new),
        old=old,
        new=new,
        key=key,
        words=_words(field_kind, old, new),
        **where,
    )


def _row_similarity(old_row: Any, new_row: Any) -> int:
    if not (isinstance(old_row, dict) and isinstance(new_row, dict)):
        return 0
    return sum(1 for key, value in old_row.items() if new_row.get(key) == value)


def _pair_rows(old_rows: list[Any], new_rows: list[Any]) -> list[tuple[int | None, int | None]]:
    """Pairs (old offset, new offset) in order; None on one side is a row only on the other.

    One for one when the counts are equal; otherwise the order-keeping pairing that shares the
    most cells (rows sharing no cell are not paired)."""
    n, m = len(old_rows), len(new_rows)
    if n == m or n * m > _PAIRING_LIMIT:
        pairs: list[tuple[int | None, int | None]] = list(zip(range(n), range(m), strict=False))
        pairs += [(i, None) for i in range(m, n)] + [(None, j) for j in range(n, m)]
        return pairs
    score = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            shared = _row_similarity(old_rows[i], new_rows[j])
            paired = shared + score[i + 1][j + 1] if shared else -1
            score[i][j] = max(paired, score[i + 1][j], score[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        shared = _row_similarity(old_rows[i], new_rows[j])
        if shared and score[i][j] == shared + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


def _cell_changes(table: Table, old_row: Any, new_row: Any, row: int, old_row_no: int) -> list:
    if not (isinstance(old_row, dict) and isinstance(new_row, dict)):
        return [_value_change(f"{table.key}[{row}]", table.key, None, old_row, new_row, row=row)]
    columns = {column.key: column for column in table.columns}
    extra = sorted((set(old_row) | set(new_row)) - set(columns))
    changes = []
    for column in [*columns, *extra]:
        old, new = old_row.get(column), new_row.get(column)
        if _normal(None, old) != _normal(None, new):
            changes.append(
                _value_change(
                    f"{table.key}[{row}].{column}",
                    table.key,
                    columns[column].kind if column in columns else None,
                    old,
                    new,
                    row=row,
                    old_row=old_row_no,
                    column=column,
                )
            )
    return changes


def _row_change(table: Table, kind: ChangeKind, row: Any, number: int) -> Change:
    return Change(
        field=f"{table.key}[{number}]",
        kind=kind,
        old=row if kind == "removed" else None,
        new=row if kind == "added" else None,
        key=table.key,
        row=number,
        old_row=number if kind == "removed" else None,
    )


def _table_changes(table: Table, old_rows: list[Any], new_rows: list[Any]) -> list[Change]:
    def signature(row: Any) -> str:
        return json.dumps(_clean_row(row), sort_keys=True, ensure_ascii=False)

    matcher = SequenceMatcher(
        None, [signature(r) for r in old_rows], [signature(r) for r in new_rows], autojunk=False
    )
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i, j in _pair_rows(old_rows[i1:i2], new_rows[j1:j2]):
            if i is not None and j is not None:
                changes += _cell_changes(
                    table, old_rows[i1 + i], new_rows[j1 + j], j1 + j + 1, i1 + i + 1
                )
            elif i is not None:
                changes.append(_row_change(table, "removed", old_rows[i1 + i], i1 + i + 1))
            else:
                changes.append(_row_change(table, "added", new_rows[j1 + j], j1 + j + 1))
    return changes


def diff_versions(
    definition: DocumentType | None,
    *,
    old_title: str,
    old_data: dict[str, Any],
    new_title: str,
    new_data: dict[str, Any],
) -> list[Change]:
    """Every change from the older content to the newer, in the form's order (title first)."""
    changes: list[Change] = []
    if _normal(None, old_title) != _normal(None, new_title):
        changes.append(_value_change(TITLE, TITLE, "text", old_title, new_title))
    for key in changed_fields(
        definition, old_title="", old_data=old_data, new_title="", new_data=new_data
    ):
        item = _item(definition, key)
        old, new = old_data.get(key), new_data.get(key)
        if isinstance(item, Table) and isinstance(old or [], list) and isinstance(new or [], list):
            changes += _table_changes(item, old or [], new or [])
        else:
            kind = item.kind if isinstance(item, Field) else None
            changes.append(_value_change(key, key, kind, old, new))
    return changes


def change_label(definition: DocumentType | None, change: Change) -> str:
    """Where a change is, in words of the active language, as the form names it:
    "Kichwa", "Wigo wa mradi", "Vihatarishi, mstari 2", "Vihatarishi, mstari 2, Kihatarishi"."""
    lang = current_lang()
    if change.key == TITLE and change.row is None:
        return gettext("Title")
    item = _item(definition, change.key)
    name = item.label.get(lang) if item is not None else change.key
    if change.row is None:
        return name
    if change.column is None:
        return gettext("%(table)s, row %(row)d") % {"table": name, "row": change.row}
    columns = {c.key: c for c in item.columns} if isinstance(item, Table) else {}
    column = columns.get(change.column)
    return gettext("%(table)s, row %(row)d, %(column)s") % {
        "table": name,
        "row": change.row,
        "column": column.label.get(lang) if column is not None else change.column,
    }
