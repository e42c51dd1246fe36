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
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from forms_templates import labels as shared
from forms_templates.definitions import DocumentType, Field, Section, T, Table
from forms_templates.docx import layout
from forms_templates.docx.layout import marker
from forms_templates.docx.values import render, word_text
from forms_templates.identity import DEFAULT as DEFAULT_AGENCY
from forms_templates.identity import Agency

GREY = RGBColor(0x59, 0x59, 0x59)
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


# --- small python-docx helpers --------------------------------------------------------------


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _hidden(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.hidden = True


def _run(paragraph, text: str, *, bold=False, italic=False, size: float | None = None, grey=False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    return run


def _tight(paragraph, after: float) -> None:
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)


def _bilingual(container, text: T, *, size: float | None = None, bold=True, first=None):
    """Swahili first, bold; English under it, italic."""
    paragraph = first if first is not None else container.add_paragraph()
    _run(paragraph, text.sw, bold=bold, size=size)
    if text.en and text.en != text.sw:
        english = container.add_paragraph()
        _run(english, text.en, italic=True, size=size, grey=True)
        return english
    return paragraph


def _write_lines(cell, text: str) -> None:
    """Each line of an answer is a paragraph, as if typed with Enter."""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    if lines[0]:
        paragraph.add_run(lines[0])
    for line in lines[1:]:
        paragraph = cell.add_paragraph()
        if line:
            paragraph.add_run(line)


def _set_widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _size_cells(row, widths) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width


def _page_field(paragraph) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _hint(field: Field) -> T | None:
    if field.kind == "choice":
        options = [
            c.label.sw if c.label.sw == c.label.en else f"{c.label.sw} / {c.label.en}"
            for c in field.choices
        ]
        text = f"{layout.CHOOSE.sw} / {layout.CHOOSE.en}: {' · '.join(options)}"
        return T(text, text)
    return layout.KIND_HINTS.get(field.kind)


def _small_note(cell_or_doc, text: T, *, size: float = 8) -> None:
    paragraph = cell_or_doc.add_paragraph()
    _run(paragraph, text.sw, size=size, grey=True)
    if text.en != text.sw:
        _run(paragraph, " / ", size=size, grey=True)
        _run(paragraph, text.en, size=size, grey=True, italic=True)


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
    _run(footer, f"{text} · {layout.PAGE.sw} / {layout.PAGE.en} ", size=8, grey=True)
    _page_field(footer)


def _heading_block(
    document, definition: DocumentType, info: ExportInfo | None, agency: Agency
) -> None:
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _hidden(first, marker("doc", definition.key))
    if agency.emblem_png:  # the reader skips drawings: the emblem is never an answer
        emblem = first.add_run()
        emblem.add_picture(io.BytesIO(agency.emblem_png), height=Cm(2))
        emblem.add_break()
    _run(first, agency.heading.sw, bold=True, size=12)
    republic_en = document.add_paragraph()
    republic_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(republic_en, after=6)
    _run(republic_en, agency.heading.en, italic=True, size=9, grey=True)

    institution = info.institution if info and info.institution else layout.INSTITUTION_PLACEHOLDER
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(name, word_text(institution.sw).upper(), bold=True, size=12)
    if institution.en and institution.en != institution.sw:
        name_en = document.add_paragraph()
        name_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _tight(name_en, after=10)
        _run(name_en, word_text(institution.en), italic=True, size=9, grey=True)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, definition.name.sw.upper(), bold=True, size=14)
    title_en = document.add_paragraph()
    title_en.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(title_en, after=10)
    _run(title_en, definition.name.en, italic=True, size=10, grey=True)


def _meta_table(document, info: ExportInfo | None) -> None:
    widths = (LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH)
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths)
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
        _shade(label_cell, LABEL_FILL)
        paragraph = label_cell.paragraphs[0]
        if index == 0:
            _hidden(paragraph, marker("part", layout.PART_META))
        _run(paragraph, label.sw, bold=True, size=9)
        _run(paragraph, f" / {label.en}", italic=True, size=9, grey=True)
        paragraph = value_cell.paragraphs[0]
        _run(paragraph, value.sw, size=9)
        if value.en and value.en != value.sw:
            _run(paragraph, f" / {value.en}", italic=True, size=9, grey=True)


def _instructions(document, definition: DocumentType) -> None:
    heading = document.add_paragraph()
    _tight(heading, after=2)
    heading.paragraph_format.space_before = Pt(10)
    _run(heading, layout.INSTRUCTIONS.sw, bold=True)
    _run(heading, f" / {layout.INSTRUCTIONS.en}", italic=True, grey=True)
    texts = [definition.instructions] if definition.instructions else []
    texts.append(layout.HOW_TO_FILL)
    for text in texts:
        sw = document.add_paragraph()
        _tight(sw, after=2)
        _run(sw, text.sw, size=9)
        en = document.add_paragraph()
        _tight(en, after=6)
        _run(en, text.en, size=9, italic=True, grey=True)


def _section_heading(document, number: int, section: Section) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, f"{number}. {section.title.sw.upper()}", bold=True, size=11)
    english = document.add_paragraph()
    _tight(english, after=4)
    english.paragraph_format.keep_with_next = True
    _run(english, section.title.en, italic=True, size=10, grey=True)
    if section.help:
        _small_note(document, section.help, size=9)


def _label_cell(cell, item: Field | Table, *, hidden: str, size: float = 9) -> None:
    paragraph = cell.paragraphs[0]
    _hidden(paragraph, hidden)
    _run(paragraph, item.label.sw + (" *" if item.required else ""), bold=True, size=size)
    if item.label.en != item.label.sw:
        english = cell.add_paragraph()
        _run(english, item.label.en, italic=True, size=size, grey=True)
    if isinstance(item, Field):
        if item.help:
            _small_note(cell, item.help, size=7.5)
        hint = _hint(item)
        if hint:
            _small_note(cell, hint, size=7.5)


def _keep_apart(document) -> None:
    """A paragraph between two tables: with nothing between them, Word shows them as one and
    LibreOffice merges them on saving."""
    body = document.element.body
    children = [child for child in body if child.tag != qn("w:sectPr")]
    if children and children[-1].tag == qn("w:tbl"):
        _tight(document.add_paragraph(), after=4)


def _fields_table(document, fields: list[Field], data: dict[str, Any]) -> None:
    _keep_apart(document)
    widths = (LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH)
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths)
    for item in fields:
        row = table.add_row()
        if item.kind == "long_text":
            row.height = Cm(2.5)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, answer_cell = row.cells
        _shade(label_cell, LABEL_FILL)
        _label_cell(label_cell, item, hidden=marker("field", item.key))
        _write_lines(answer_cell, render(item, data.get(item.key)))


def _repeating_table(document, item: Table, rows: list[dict[str, Any]], blank_rows: int) -> None:
    caption = document.add_paragraph()
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(0)
    caption.paragraph_format.keep_with_next = True
    _run(caption, item.label.sw + (" *" if item.required else ""), bold=True, size=10)
    if item.label.en != item.label.sw:
        _run(caption, f" / {item.label.en}", italic=True, size=10, grey=True)
    if item.help:
        _small_note(document, item.help, size=8)

    count = len(item.columns)
    width = CONTENT_WIDTH // count
    widths = tuple(width for _ in range(count))
    table = document.add_table(rows=1, cols=count)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths)
    header = table.rows[0]
    _repeat_as_header(header)
    _size_cells(header, widths)
    for index, (cell, column) in enumerate(zip(header.cells, item.columns, strict=True)):
        _shade(cell, HEADER_FILL)
        hidden = marker("column", column.key)
        if index == 0:
            hidden = marker("table", item.key) + hidden
        _label_cell(cell, column, hidden=hidden, size=8)
    for values in rows:
        row = table.add_row()
        for cell, column in zip(row.cells, item.columns, strict=True):
            _write_lines(cell, render(column, values.get(column.key)))
    for _ in range(blank_rows):
        table.add_row()


def _signature_block(document, definition: DocumentType, info: ExportInfo | None) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(14)
    heading.paragraph_format.space_after = Pt(4)
    heading.paragraph_format.keep_with_next = True
    _run(heading, shared.SIGNATURES.sw.upper(), bold=True, size=11)
    _run(heading, f" / {shared.SIGNATURES.en}", italic=True, size=10, grey=True)

    widths = (Cm(4.0), CONTENT_WIDTH - Cm(4.0))
    table = document.add_table(rows=0, cols=2)
    table._tbl.tblStyle_val = "TableGrid"  # "Table Grid": by id, a name lookup costs ~1 ms
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths)
    lines = info.signatures if info else ()
    for order, signatory in definition.signatories_in_order(info.form_version if info else None):
        filled = lines[order - 1] if order - 1 < len(lines) else None
        filled = filled or SignatureLine()
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[1])
        _shade(merged, HEADER_FILL)
        paragraph = merged.paragraphs[0]
        if order == 1:
            _hidden(paragraph, marker("part", layout.PART_SIGNATURES))
        _run(paragraph, f"{signatory.title.sw} / {signatory.title.en}", bold=True, size=9)
        _run(
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
            _run(paragraph, label.sw, bold=True, size=9)
            _run(paragraph, f" / {label.en}", italic=True, size=9, grey=True)
            paragraph = value_cell.paragraphs[0]
            if value:
                _run(paragraph, word_text(value), size=9)


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
