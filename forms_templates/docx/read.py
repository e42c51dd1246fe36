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

from forms_templates.definitions import DocumentType, Field, Table, current_lang
from forms_templates.docx import layout
from forms_templates.docx.errors import DocxError, UnsafeFile
from forms_templates.docx.safety import DEFAULT_LIMITS, ZipLimits, inspect_docx
from forms_templates.docx.values import parse, render
from forms_templates.registry import all_types
from forms_templates.validation import validate_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_P, W_R, W_T, W_TBL, W_TR, W_TC = (f"{W}{t}" for t in ("p", "r", "t", "tbl", "tr", "tc"))
W_TAB, W_PTAB, W_BR, W_CR = (f"{W}{t}" for t in ("tab", "ptab", "br", "cr"))
W_RPR, W_VANISH, W_VAL, W_TYPE = f"{W}rPr", f"{W}vanish", f"{W}val", f"{W}type"
W_TRPR, W_TCPR, W_GRIDSPAN, W_GRIDBEFORE = f"{W}trPr", f"{W}tcPr", f"{W}gridSpan", f"{W}gridBefore"
W_DEL, W_NOBREAKHYPHEN, W_SOFTHYPHEN = f"{W}del", f"{W}noBreakHyphen", f"{W}softHyphen"
W_TXBX = f"{W}txbxContent"
WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"}
# Not answer text: deleted or moved-away revisions, properties, field codes, drawings and the
# fallback copy of alternate content (text boxes are written twice).
SKIP = {
    W_DEL,
    f"{W}moveFrom",
    f"{W}pPr",
    W_RPR,
    f"{W}instrText",
    f"{W}delText",
    f"{W}delInstrText",
    f"{W}fldChar",
    f"{W}drawing",
    f"{W}pict",
    f"{W}object",
    f"{W}sdtPr",
    f"{W}sdtEndPr",
    f"{MC}Fallback",
    W_TXBX,
}
OFF = {"0", "false", "off"}


# --- text -----------------------------------------------------------------------------------


def _is_hidden(run) -> bool:
    properties = run.find(W_RPR)
    if properties is None:
        return False
    vanish = properties.find(W_VANISH)
    return vanish is not None and (vanish.get(W_VAL) or "true").lower() not in OFF


def _walk(element, out: list[str], hidden: bool) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_R:
            if hidden or not _is_hidden(child):
                _walk(child, out, hidden)
        elif tag in (W_TAB, W_PTAB):
            out.append("\t")
        elif tag == W_BR:
            if child.get(W_TYPE) in (None, "textWrapping"):
                out.append("\n")
        elif tag == W_CR:
            out.append("\n")
        elif tag == W_NOBREAKHYPHEN:
            out.append("\u2011")
        elif tag == W_SOFTHYPHEN:
            out.append("\u00ad")
        else:
            _walk(child, out, hidden)


def paragraph_text(paragraph, *, hidden: bool = False) -> str:
    out: list[str] = []
    _walk(paragraph, out, hidden)
    return "".join(out)


def _paragraphs(cell):
    for paragraph in cell.iter(W_P):
        inside_box = False
        for ancestor in paragraph.iterancestors():
            if ancestor is cell:
                break
            if ancestor.tag in (W_TXBX, f"{MC}Fallback"):
                inside_box = True
                break
        if not inside_box:
            yield paragraph


def cell_text(cell, *, hidden: bool = False) -> str:
    """The cell's text as typed: its paragraphs joined by line breaks (``\\n``)."""
    return "\n".join(paragraph_text(p, hidden=hidden) for p in _paragraphs(cell))


def _children(element, tag: str):
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _int_attribute(parent, tag: str, default: int) -> int:
    if parent is None:
        return default
    element = parent.find(tag)
    if element is None:
        return default
    try:
        return max(int(element.get(W_VAL, default)), 0)
    except ValueError:
        return default


def _rows(table):
    for row in _children(table, W_TR):
        properties = row.find(W_TRPR)
        if properties is not None and properties.find(W_DEL) is not None:
            continue  # a deleted row (tracked change)
        yield row


def _cells(row) -> list[tuple[int, Any]]:
    """(grid column, cell) of each cell of a row: merged cells keep later columns in place."""
    position = _int_attribute(row.find(W_TRPR), W_GRIDBEFORE, 0)
    cells = []
    for cell in _children(row, W_TC):
        cells.append((position, cell))
        position += max(_int_attribute(cell.find(W_TCPR), W_GRIDSPAN, 1), 1)
    return cells


def _markers(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in layout.MARKER.finditer(text)]


def hidden_keys(element) -> list[tuple[str, str]]:
    """The keys hidden in an element. Only hidden text counts: an answer that merely looks like
    a key is an answer (a lost key is found by its visible label instead)."""
    text = "".join(
        t.text or "" for run in element.iter(W_R) if _is_hidden(run) for t in run.iter(W_T)
    )
    return _markers(text)


def _label_key(text: str) -> str:
    first = layout.MARKER.sub("", text.split("\n", 1)[0])
    return " ".join(first.replace("*", " ").split()).casefold()


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


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
        keys = [key for kind, key in hidden_keys(cell) if kind == "column"]
        if not keys:
            key = labels.get(("column", table_key, _label_key(cell_text(cell))))
            if key is None:
                text = cell_text(cell)
                if text.strip():
                    found.columns.setdefault(table_key, set()).add(f"?{_preview(text)}")
                continue
            keys = [key]
        positions[position] = keys[0]
        found.columns.setdefault(table_key, set()).add(keys[0])
    return positions


def _data_row(cells, positions: dict[int, str], found: _Found) -> dict[str, str]:
    values: dict[str, str] = {}
    for position, cell in cells:
        key = positions.get(position)
        text = cell_text(cell)
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
    for row in _rows(table):
        cells = _cells(row)
        if not cells:
            continue
        markers = hidden_keys(cells[0][1])
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
            key = labels.get(("field", _label_key(cell_text(cells[0][1]))))
            keys = [key] if key else []
        if not keys:
            text = "\n".join(cell_text(cell) for _position, cell in cells)
            if text.strip():
                found.stray.append(text)
            continue
        mode = "fields"
        key = keys[0]
        if key in found.fields:
            found.duplicates.append(key)
        found.fields[key] = "\n".join(cell_text(cell) for _position, cell in cells[1:])


def _labels(definition: DocumentType) -> dict:
    """Visible labels, for a label cell whose hidden key was lost: only those that are unique."""
    counts: dict[Any, list[str]] = {}
    for item in definition.items():
        if isinstance(item, Table):
            for column in item.columns:
                counts.setdefault(("column", item.key, _label_key(column.label.sw)), []).append(
                    column.key
                )
        else:
            counts.setdefault(("field", _label_key(item.label.sw)), []).append(item.key)
    return {label: keys[0] for label, keys in counts.items() if len(keys) == 1}


def _scan(document, definition: DocumentType) -> _Found:
    found = _Found()
    body = document.element.body
    for paragraph in itertools.islice(_children(body, W_P), 20):
        keys = [key for kind, key in hidden_keys(paragraph) if kind == "doc"]
        if keys:
            found.doc_types.extend(keys)
            break
    if not found.doc_types:
        for value in (document.core_properties.identifier, document.core_properties.category):
            if value and value.startswith("idhini:"):
                found.doc_types.append(value.split(":", 1)[1])
                break
    labels = _labels(definition)
    for table in body.iter(W_TBL):
        if any(ancestor.tag == W_TBL for ancestor in table.iterancestors()):
            continue
        _read_table(table, found, labels)
    return found


def _name(definition: DocumentType) -> str:
    return definition.name.get(current_lang())


def _label(definition: DocumentType, key: str) -> str:
    item = definition.item(key)
    return item.label.get(current_lang()) if item else key


def _check(found: _Found, definition: DocumentType) -> None:
    keys = set(found.fields) | set(found.tables)
    known = {item.key for item in definition.items()}
    if not keys and not found.doc_types:
        raise DocxError(
            _(
                "This file has no Idhini form fields. Download the Word template of the "
                "“%(type)s” from Idhini, fill it in and upload it."
            )
            % {"type": _name(definition)},
            code="no_fields",
        )
    other_type = next((key for key in found.doc_types if key != definition.key), None)
    if other_type is None and keys and not keys <= known:
        # No type mark left: the keys tell whose template it is.
        other_type = next(
            (
                key
                for key, other in all_types().items()
                if key != definition.key and keys <= {item.key for item in other.items()}
            ),
            None,
        )
    if other_type is not None:
        other = all_types().get(other_type)
        if other is None:
            raise DocxError(
                _(
                    "This file is a template for a document type Idhini no longer has. "
                    "Download the Word template of the “%(type)s” and copy your answers into it."
                )
                % {"type": _name(definition)},
                code="wrong_type",
            )
        raise DocxError(
            _(
                "This file is the Word template of a “%(found)s”, but this document is a "
                "“%(expected)s”. Download the template of the “%(expected)s” from Idhini."
            )
            % {"found": _name(other), "expected": _name(definition)},
            code="wrong_type",
        )
    if not keys:
        raise DocxError(
            _(
                "This file has no Idhini form fields. Download the Word template of the "
                "“%(type)s” from Idhini, fill it in and upload it."
            )
            % {"type": _name(definition)},
            code="no_fields",
        )
    if found.duplicates:
        key = found.duplicates[0]
        raise DocxError(
            _(
                "“%(field)s” appears twice in the file (was a row or table copied?). Keep one "
                "and upload the file again."
            )
            % {"field": _label(definition, key)},
            code="duplicate_field",
        )
    unknown = sorted(keys - known)
    missing = [item.key for item in definition.items() if item.key not in keys]
    changed_tables: list[str] = []
    for item in definition.items():
        if isinstance(item, Table) and item.key in found.tables:
            expected = {column.key for column in item.columns}
            if found.columns.get(item.key, set()) != expected:
                changed_tables.append(item.key)
    if unknown or missing or changed_tables:
        details = []
        if unknown:
            details.append(
                _("it has fields the form no longer asks for (%(fields)s)")
                % {"fields": ", ".join(unknown)}
            )
        if missing:
            details.append(
                _("it lacks fields the form asks for (%(fields)s)")
                % {"fields": ", ".join(_label(definition, key) for key in missing)}
            )
        if changed_tables:
            details.append(
                _("the columns of these tables differ (%(tables)s)")
                % {"tables": ", ".join(_label(definition, key) for key in changed_tables)}
            )
        raise DocxError(
            _(
                "This file does not match the current “%(type)s” form: %(details)s. It was made "
                "from an older template, or parts of the form were deleted. Download a new "
                "template and copy your answers into it."
            )
            % {"type": _name(definition), "details": "; ".join(details)},
            code="outdated_template",
        )
    if found.stray:
        raise DocxError(
            _(
                "The file has text outside the form's answer cells: “%(text)s”. Move it into "
                "the answer cell it belongs to (or delete it) and upload the file again."
            )
            % {"text": _preview(found.stray[0])},
            code="stray_text",
        )


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
    _check(found, definition)
    return FilledForm(definition=definition, fields=found.fields, tables=found.tables)
