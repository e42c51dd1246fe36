"""Read a filled Word template (or an export) back into form data.

:func:`read_docx` guards the bytes (``safety.inspect_docx``), opens them with python-docx and walks
the body's lxml elements: python-docx's ``cell.text`` misses text inside content controls,
hyperlinks and tracked insertions, and its table API re-computes the grid for every cell.
The result is a :class:`FilledForm` (the text of every answer cell, by key);
:meth:`FilledForm.to_data` turns it into data and validates it with the type's JSON Schema.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from typing import Any

import docx
from django.conf import settings
from django.utils.translation import gettext as _

from forms_templates.definitions import DocumentType, Field, Table
from forms_templates.docx import wordxml
from forms_templates.docx.conformance import check_conformance, preview
from forms_templates.docx.errors import DocxError, UnsafeFile
from forms_templates.docx.safety import DEFAULT_LIMITS, ZipLimits, inspect_docx
from forms_templates.docx.values import parse, render
from forms_templates.validation import validate_data

# --- the form -------------------------------------------------------------------------------


@dataclass
class FilledForm:
    """The answer cells of a filled template, by key: a field's text, a table's rows (each a
    dict of column key to text, blank rows included, in the order of the file)."""

    definition: DocumentType
    fields: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def to_data(self, current: dict[str, Any] | None = None) -> dict[str, Any]:
        """The form data, validated; raise :class:`DocxError` (``errors`` by field) if invalid.

        An answer whose cell still reads exactly what the export wrote for ``current`` keeps its
        stored value as is (so an export imported unchanged changes nothing, even where Word
        cannot hold the stored text byte for byte); anything else is read from the cell.
        """
        current = current or {}
        data: dict[str, Any] = {}
        checked: dict[str, Any] = {}
        for item in self.definition.items():
            stored = current.get(item.key)
            if isinstance(item, Table):
                rows, checked_rows = _table_rows(item, self.tables.get(item.key, []), stored)
                if rows:
                    data[item.key] = rows
                elif isinstance(stored, list) and not stored:
                    data[item.key] = []
                if checked_rows:
                    checked[item.key] = checked_rows
                elif item.key in data:
                    checked[item.key] = data[item.key]
                continue
            text = self.fields.get(item.key, "")
            if stored is not None and render(item, stored) == text:
                value = stored
            else:
                value = parse(item, text)
            if value is not None:
                data[item.key] = value
                checked[item.key] = value
        for retired in self.definition.retired:  # not in today's file: kept as stored
            if retired.key in current:
                data[retired.key] = current[retired.key]
        errors = validate_data(self.definition, checked)
        if errors:
            raise DocxError(_("Some answers are not valid."), code="invalid", errors=errors)
        return data


def _row_rendering(columns: tuple[Field, ...], row: Any) -> tuple[str, ...] | None:
    if not isinstance(row, dict):
        return None
    return tuple(render(column, row.get(column.key)) for column in columns)


def _table_rows(
    table: Table, texts: list[dict[str, str]], stored: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows to keep, and the rows to validate (blank rows between filled ones kept as {}, so
    that a row number in a message is the row's number in the file)."""
    columns = table.columns
    unused: dict[tuple[str, ...], list[int]] = {}
    stored_rows = stored if isinstance(stored, list) else []
    for index, row in enumerate(stored_rows):
        rendering = _row_rendering(columns, row)
        if rendering is not None:
            unused.setdefault(rendering, []).append(index)
    entries: list[tuple[str, dict[str, Any]]] = []
    for row_texts in texts:
        rendering = tuple(row_texts.get(column.key, "") for column in columns)
        candidates = unused.get(rendering)
        if candidates:
            entries.append(("stored", stored_rows[candidates.pop(0)]))
            continue
        if not any(rendering):
            entries.append(("blank", {}))
            continue
        values = {}
        for column, text in zip(columns, rendering, strict=True):
            value = parse(column, text)
            if value is not None:
                values[column.key] = value
        entries.append(("read", values))
    while entries and entries[-1][0] == "blank":
        entries.pop()
    checked = [values for _kind, values in entries]
    rows = [values for kind, values in entries if kind != "blank"]
    return rows, checked


# --- reading the file -----------------------------------------------------------------------


@dataclass
class _Found:
    doc_types: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)


def _open(content: bytes):
    try:
        return docx.Document(io.BytesIO(content))
    except Exception:  # python-docx raises anything (KeyError, ValueError, lxml errors) on junk
        raise UnsafeFile(
            _(
                "The file is damaged: it could not be opened as a Word document. Save it again "
                "in Word or LibreOffice and upload the new copy."
            ),
            code="damaged",
        ) from None


def _header_positions(header_cells, found: _Found, table_key: str, labels: dict) -> dict:
    """Grid column -> column key, from the hidden keys of a header row (or its labels)."""
    positions: dict[int, str] = {}
    for position, cell in header_cells:
        keys = [key for kind, key in wordxml.hidden_keys(cell) if kind == "column"]
        if not keys:
            key = labels.get(("column", table_key, wordxml.label_key(wordxml.cell_text(cell))))
            if key is None:
                text = wordxml.cell_text(cell)
                if text.strip():
                    found.columns.setdefault(table_key, set()).add(f"?{preview(text)}")
                continue
            keys = [key]
        positions[position] = keys[0]
        found.columns.setdefault(table_key, set()).add(keys[0])
    return positions


def _data_row(cells, positions: dict[int, str], found: _Found) -> dict[str, str]:
    values: dict[str, str] = {}
    for position, cell in cells:
        key = positions.get(position)
        text = wordxml.cell_text(cell)
        if key is None:
            if text.strip():
                found.stray.append(text)
            continue
        values[key] = text if key not in values else f"{values[key]}\n{text}"
    return values


def _read_table(table, found: _Found, labels: dict) -> None:
    """Row by row, as the hidden keys say: a repeating table's header starts its rows, a field's
    label starts a form row. Tables that Word or LibreOffice merged (two tables with nothing
    between them become one) read the same as when they were apart."""
    mode = None  # None, "part", "fields" or the key of the repeating table being read
    positions: dict[int, str] = {}
    for row in wordxml.rows(table):
        cells = wordxml.cells(row)
        if not cells:
            continue
        markers = wordxml.hidden_keys(cells[0][1])
        kinds = {kind for kind, _key in markers}
        if "part" in kinds:
            mode = "part"  # the reference and signature blocks: written by Idhini, not read
            continue
        if "table" in kinds:
            mode = next(key for kind, key in markers if kind == "table")
            if mode in found.tables:
                found.duplicates.append(mode)
            found.tables[mode] = []
            positions = _header_positions(cells, found, mode, labels)
            continue
        keys = [key for kind, key in markers if kind == "field"]
        if not keys and mode not in (None, "fields", "part"):
            found.tables[mode].append(_data_row(cells, positions, found))
            continue
        if mode == "part" and not keys:
            continue
        if not keys:
            key = labels.get(("field", wordxml.label_key(wordxml.cell_text(cells[0][1]))))
            keys = [key] if key else []
        if not keys:
            text = "\n".join(wordxml.cell_text(cell) for _position, cell in cells)
            if text.strip():
                found.stray.append(text)
            continue
        mode = "fields"
        key = keys[0]
        if key in found.fields:
            found.duplicates.append(key)
        found.fields[key] = "\n".join(wordxml.cell_text(cell) for _position, cell in cells[1:])


def _labels(definition: DocumentType) -> dict:
    """Visible labels, for a label cell whose hidden key was lost: only those that are unique."""
    counts: dict[Any, list[str]] = {}
    for item in definition.items():
        if isinstance(item, Table):
            for column in item.columns:
                counts.setdefault(
                    ("column", item.key, wordxml.label_key(column.label.sw)), []
                ).append(column.key)
        else:
            counts.setdefault(("field", wordxml.label_key(item.label.sw)), []).append(item.key)
    return {label: keys[0] for label, keys in counts.items() if len(keys) == 1}


def _scan(document, definition: DocumentType) -> _Found:
    found = _Found()
    body = document.element.body
    for paragraph in itertools.islice(wordxml.children(body, wordxml.W_P), 20):
        keys = [key for kind, key in wordxml.hidden_keys(paragraph) if kind == "doc"]
        if keys:
            found.doc_types.extend(keys)
            break
    if not found.doc_types:
        for value in (document.core_properties.identifier, document.core_properties.category):
            if value and value.startswith("idhini:"):
                found.doc_types.append(value.split(":", 1)[1])
                break
    labels = _labels(definition)
    for table in body.iter(wordxml.W_TBL):
        if any(ancestor.tag == wordxml.W_TBL for ancestor in table.iterancestors()):
            continue
        _read_table(table, found, labels)
    return found


def read_docx(
    definition: DocumentType,
    content: bytes,
    *,
    max_bytes: int | None = None,
    limits: ZipLimits = DEFAULT_LIMITS,
) -> FilledForm:
    """The answers in a Word file made from ``definition``'s template (or exported by Idhini).

    Raises :class:`DocxError`: ``UnsafeFile`` before anything is parsed, or a refusal that says
    what is wrong with the form (another type's template, an outdated one, no fields at all).
    """
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    inspect_docx(content, max_bytes=limit, limits=limits)
    document = _open(content)
    found = _scan(document, definition)
    check_conformance(definition, found)
    return FilledForm(definition=definition, fields=found.fields, tables=found.tables)
