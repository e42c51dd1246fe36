"""Build the Word file of a document type: the blank template and the filled export are the same
code path (``build_docx``), so they always share one layout and one set of hidden keys."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from forms_templates import labels as shared
from forms_templates.definitions import DocumentType, Field, Section, T, Table
from forms_templates.docx import layout, paint
from forms_templates.docx.layout import marker
from forms_templates.docx.values import render, word_text
from forms_templates.identity import DEFAULT as DEFAULT_AGENCY
from forms_templates.identity import Agency

LABEL_FILL = "EDEDED"
HEADER_FILL = "D9D9D9"
CONTENT_WIDTH = Cm(16.6)
LABEL_WIDTH = Cm(6.0)
TEMPLATE_BLANK_ROWS = 3


@dataclass(frozen=True)
class SignatureLine:
    """What a signatory's block shows in a filled export (all empty: lines to sign by hand)."""

    name: str = ""
    job_title: str = ""
    signature: str = ""
    date: str = ""


@dataclass(frozen=True)
class ExportInfo:
    """Everything a filled export shows besides the answers."""

    title: str
    institution: T | None = None
    project: str | None = None  # the project's name, from the project
    form_version: int | None = None  # the form it was filled against: its signatory chain
    reference: str | None = None
    version: int = 1
    status: T | None = None
    signatures: tuple[SignatureLine | None, ...] = ()
    generated_at: datetime | None = None
    agency: Agency = DEFAULT_AGENCY  # the heading and emblem over the document


# --- the document ---------------------------------------------------------------------------


def _setup(document, definition: DocumentType, info: ExportInfo | None) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Arial")

    properties = document.core_properties
    properties.title = f"{definition.name.sw} / {definition.name.en}"
    properties.subject = info.title if info else layout.TEMPLATE.en
    properties.identifier = f"idhini:{definition.key}"
    properties.category = f"idhini:{definition.key}"
    properties.keywords = "idhini"
    properties.author = "Idhini"
    properties.last_modified_by = "Idhini"
    properties.comments = ""
    properties.revision = 1
    moment = (info.generated_at if info and info.generated_at else None) or datetime(2026, 1, 1)
    properties.created = properties.modified = moment.replace(tzinfo=None)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    where = info.reference if info and info.reference else None
    text = f"Idhini · {definition.name.sw} / {definition.name.en}"
    if where:
        text += f" · {where}"
    paint.run(footer, f"{text} · {layout.PAGE.sw} / {layout.PAGE.en} ", size=8, grey=True)
    paint.page_field(footer)


def _heading_block(
    document, definition: DocumentType, info: ExportInfo | None, agency: Agency
) -> None:
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paint.hidden(first, marker("doc", definition.key))
    if agency.emblem_png:  # the reader skips drawings: the emblem is never an answer
        emblem = first.add_run()
        emblem.add_picture(io.BytesIO(agency.emblem_png), height=Cm(2))
        emblem.add_break()
    paint.run(first, agency.heading.sw, bold=True, size=12)
    republic_en = document.add_paragraph()
    republic_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paint.tight(republic_en, after=6)
    paint.run(republic_en, agency.heading.en, italic=True, size=9, grey=True)

    institution = info.institution if info and info.institution else layout.INSTITUTION_PLACEHOLDER
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paint.run(name, word_text(institution.sw).upper(), bold=True, size=12)
    if institution.en and institution.en != institution.sw:
        name_en = document.add_paragraph()
        name_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paint.tight(name_en, after=10)
        paint.run(name_en, word_text(institution.en), italic=True, size=9, grey=True)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paint.run(title, definition.name.sw.upper(), bold=True, size=14)
    title_en = document.add_paragraph()
    title_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paint.tight(title_en, after=10)
    paint.run(title_en, definition.name.en, italic=True, size=10, grey=True)


def _meta_table(document, info: ExportInfo | None) -> None:
    widths = (LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH)
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    paint.set_widths(table, widths)
    if info is None:
        rows = [
            (layout.DOCUMENT_TITLE, T(layout.TITLE_PLACEHOLDER.sw, layout.TITLE_PLACEHOLDER.en)),
            (layout.REFERENCE, layout.REFERENCE_PENDING),
            (shared.VERSION, T("", "")),
            (shared.STATUS, layout.TEMPLATE),
            (layout.DATE, T("", "")),
        ]
    else:
        when = info.generated_at.strftime("%Y-%m-%d") if info.generated_at else ""
        rows = [
            (layout.DOCUMENT_TITLE, T(word_text(info.title), word_text(info.title))),
            *(
                [(shared.PROJECT, T(word_text(info.project), word_text(info.project)))]
                if info.project
                else []
            ),
            (
                layout.REFERENCE,
                T(info.reference, info.reference) if info.reference else layout.REFERENCE_PENDING,
            ),
            (shared.VERSION, T(str(info.version), str(info.version))),
            (shared.STATUS, info.status or T("", "")),
            (layout.DATE, T(when, when)),
        ]
    for index, (label, value) in enumerate(rows):
        row = table.add_row()
        label_cell, value_cell = row.cells
        paint.shade(label_cell, LABEL_FILL)
        paragraph = label_cell.paragraphs[0]
        if index == 0:
            paint.hidden(paragraph, marker("part", layout.PART_META))
        paint.run(paragraph, label.sw, bold=True, size=9)
        paint.run(paragraph, f" / {label.en}", italic=True, size=9, grey=True)
        paragraph = value_cell.paragraphs[0]
        paint.run(paragraph, value.sw, size=9)
        if value.en and value.en != value.sw:
            paint.run(paragraph, f" / {value.en}", italic=True, size=9, grey=True)


def _instructions(document, definition: DocumentType) -> None:
    heading = document.add_paragraph()
    paint.tight(heading, after=2)
    heading.paragraph_format.space_before = Pt(10)
    paint.run(heading, layout.INSTRUCTIONS.sw, bold=True)
    paint.run(heading, f" / {layout.INSTRUCTIONS.en}", italic=True, grey=True)
    texts = [definition.instructions] if definition.instructions else []
    texts.append(layout.HOW_TO_FILL)
    for text in texts:
        sw = document.add_paragraph()
        paint.tight(sw, after=2)
        paint.run(sw, text.sw, size=9)
        en = document.add_paragraph()
        paint.tight(en, after=6)
        paint.run(en, text.en, size=9, italic=True, grey=True)


def _section_heading(document, number: int, section: Section) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.keep_with_next = True
    paint.run(paragraph, f"{number}. {section.title.sw.upper()}", bold=True, size=11)
    english = document.add_paragraph()
    paint.tight(english, after=4)
    english.paragraph_format.keep_with_next = True
    paint.run(english, section.title.en, italic=True, size=10, grey=True)
    if section.help:
        paint.small_note(document, section.help, size=9)


def _label_cell(cell, item: Field | Table, *, hidden: str, size: float = 9) -> None:
    paragraph = cell.paragraphs[0]
    paint.hidden(paragraph, hidden)
    paint.run(paragraph, item.label.sw + (" *" if item.required else ""), bold=True, size=size)
    if item.label.en != item.label.sw:
        english = cell.add_paragraph()
        paint.run(english, item.label.en, italic=True, size=size, grey=True)
    if isinstance(item, Field):
        if item.help:
            paint.small_note(cell, item.help, size=7.5)
        hint = paint.hint(item)
        if hint:
            paint.small_note(cell, hint, size=7.5)


def _keep_apart(document) -> None:
    """A paragraph between two tables: with nothing between them, Word shows them as one and
    LibreOffice merges them on saving."""
    body = document.element.body
    children = [child for child in body if child.tag != qn("w:sectPr")]
    if children and children[-1].tag == qn("w:tbl"):
        paint.tight(document.add_paragraph(), after=4)


def _fields_table(document, fields: list[Field], data: dict[str, Any]) -> None:
    _keep_apart(document)
    widths = (LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH)
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    paint.set_widths(table, widths)
    for item in fields:
        row = table.add_row()
        if item.kind == "long_text":
            row.height = Cm(2.5)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, answer_cell = row.cells
        paint.shade(label_cell, LABEL_FILL)
        _label_cell(label_cell, item, hidden=marker("field", item.key))
        paint.write_lines(answer_cell, render(item, data.get(item.key)))


def _repeating_table(document, item: Table, rows: list[dict[str, Any]], blank_rows: int) -> None:
    caption = document.add_paragraph()
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(0)
    caption.paragraph_format.keep_with_next = True
    paint.run(caption, item.label.sw + (" *" if item.required else ""), bold=True, size=10)
    if item.label.en != item.label.sw:
        paint.run(caption, f" / {item.label.en}", italic=True, size=10, grey=True)
    if item.help:
        paint.small_note(document, item.help, size=8)

    count = len(item.columns)
    width = CONTENT_WIDTH // count
    widths = tuple(width for _ in range(count))
    table = document.add_table(rows=1, cols=count)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    paint.set_widths(table, widths)
    header = table.rows[0]
    paint.repeat_as_header(header)
    paint.size_cells(header, widths)
    for index, (cell, column) in enumerate(zip(header.cells, item.columns, strict=True)):
        paint.shade(cell, HEADER_FILL)
        hidden = marker("column", column.key)
        if index == 0:
            hidden = marker("table", item.key) + hidden
        _label_cell(cell, column, hidden=hidden, size=8)
    for values in rows:
        row = table.add_row()
        for cell, column in zip(row.cells, item.columns, strict=True):
            paint.write_lines(cell, render(column, values.get(column.key)))
    for _ in range(blank_rows):
        table.add_row()


def _signature_block(document, definition: DocumentType, info: ExportInfo | None) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(14)
    heading.paragraph_format.space_after = Pt(4)
    heading.paragraph_format.keep_with_next = True
    paint.run(heading, shared.SIGNATURES.sw.upper(), bold=True, size=11)
    paint.run(heading, f" / {shared.SIGNATURES.en}", italic=True, size=10, grey=True)

    widths = (Cm(4.0), CONTENT_WIDTH - Cm(4.0))
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    paint.set_widths(table, widths)
    lines = info.signatures if info else ()
    for order, signatory in definition.signatories_in_order(info.form_version if info else None):
        filled = lines[order - 1] if order - 1 < len(lines) else None
        filled = filled or SignatureLine()
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[1])
        paint.shade(merged, HEADER_FILL)
        paragraph = merged.paragraphs[0]
        if order == 1:
            paint.hidden(paragraph, marker("part", layout.PART_SIGNATURES))
        paint.run(paragraph, f"{signatory.title.sw} / {signatory.title.en}", bold=True, size=9)
        paint.run(
            paragraph,
            f" — {signatory.role_name.sw} / {signatory.role_name.en}",
            italic=True,
            size=9,
        )
        for label, value in (
            (shared.NAME, filled.name),
            (layout.JOB_TITLE, filled.job_title),
            (layout.SIGNATURE, filled.signature),
            (layout.DATE, filled.date),
        ):
            line = table.add_row()
            line.height = Cm(0.8)
            line.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            label_cell, value_cell = line.cells
            paragraph = label_cell.paragraphs[0]
            paint.run(paragraph, label.sw, bold=True, size=9)
            paint.run(paragraph, f" / {label.en}", italic=True, size=9, grey=True)
            paragraph = value_cell.paragraphs[0]
            if value:
                paint.run(paragraph, word_text(value), size=9)


def build_docx(
    definition: DocumentType,
    *,
    data: dict[str, Any] | None = None,
    info: ExportInfo | None = None,
    agency: Agency = DEFAULT_AGENCY,
) -> bytes:
    """The Word file: a blank template when ``info`` is None, else the filled document (whose
    ``info.agency`` then says who issues it)."""
    data = data or {}
    document = docx.Document()
    _setup(document, definition, info)
    _heading_block(document, definition, info, info.agency if info else agency)
    _meta_table(document, info)
    _instructions(document, definition)
    for number, section in enumerate(definition.sections, start=1):
        _section_heading(document, number, section)
        pending: list[Field] = []
        for item in section.items:
            if isinstance(item, Table):
                if pending:
                    _fields_table(document, pending, data)
                    pending = []
                rows = data.get(item.key) or []
                # The template offers blank rows to type into; an export one if it has none.
                blank = TEMPLATE_BLANK_ROWS if info is None else (0 if rows else 1)
                _repeating_table(document, item, rows, blank)
            else:
                pending.append(item)
        if pending:
            _fields_table(document, pending, data)
    _signature_block(document, definition, info)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_templates: dict[str, tuple[DocumentType, Agency, bytes]] = {}


def build_template(definition: DocumentType, agency: Agency = DEFAULT_AGENCY) -> bytes:
    """The blank template of a type (built once per process and agency identity)."""
    cached = _templates.get(definition.key)
    if cached is None or cached[0] is not definition or cached[1] != agency:
        built = build_docx(definition, agency=agency)
        cached = _templates[definition.key] = (definition, agency, built)
    return cached[2]


def build_document(definition: DocumentType, data: dict[str, Any], info: ExportInfo) -> bytes:
    return build_docx(definition, data=data, info=info)
