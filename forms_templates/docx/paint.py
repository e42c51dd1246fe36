"""Small python-docx helpers the Word builder paints with: shading, hidden keys, runs in the
house's sizes and grey, bilingual lines (Swahili bold, English italic under it), widths, the
page-number field and the grey notes under a label."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from forms_templates.definitions import Field, T
from forms_templates.docx import layout

GREY = RGBColor(0x59, 0x59, 0x59)


def shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def hidden(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.hidden = True


def run(paragraph, text: str, *, bold=False, italic=False, size: float | None = None, grey=False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    return run


def tight(paragraph, after: float) -> None:
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)


def bilingual(container, text: T, *, size: float | None = None, bold=True, first=None):
    """Swahili first, bold; English under it, italic."""
    paragraph = first if first is not None else container.add_paragraph()
    run(paragraph, text.sw, bold=bold, size=size)
    if text.en and text.en != text.sw:
        english = container.add_paragraph()
        run(english, text.en, italic=True, size=size, grey=True)
        return english
    return paragraph


def write_lines(cell, text: str) -> None:
    """Each line of an answer is a paragraph, as if typed with Enter."""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    if lines[0]:
        paragraph.add_run(lines[0])
    for line in lines[1:]:
        paragraph = cell.add_paragraph()
        if line:
            paragraph.add_run(line)


def set_widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def size_cells(row, widths) -> None:
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = width


def page_field(paragraph) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def hint(field: Field) -> T | None:
    if field.kind == "choice":
        options = [
            c.label.sw if c.label.sw == c.label.en else f"{c.label.sw} / {c.label.en}"
            for c in field.choices
        ]
        text = f"{layout.CHOOSE.sw} / {layout.CHOOSE.en}: {' · '.join(options)}"
        return T(text, text)
    return layout.KIND_HINTS.get(field.kind)


def small_note(cell_or_doc, text: T, *, size: float = 8) -> None:
    paragraph = cell_or_doc.add_paragraph()
    run(paragraph, text.sw, size=size, grey=True)
    if text.en != text.sw:
        run(paragraph, " / ", size=size, grey=True)
        run(paragraph, text.en, size=size, grey=True, italic=True)
