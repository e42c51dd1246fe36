"""The text of a Word body as a person reads it, from its lxml elements.

python-docx's ``cell.text`` misses text inside content controls, hyperlinks and tracked
insertions, and its table API re-computes the grid for every cell; these walk the elements once.
"""

from __future__ import annotations

from typing import Any

from forms_templates.docx import layout

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


def is_hidden(run) -> bool:
    properties = run.find(W_RPR)
    if properties is None:
        return False
    vanish = properties.find(W_VANISH)
    return vanish is not None and (vanish.get(W_VAL) or "true").lower() not in OFF


def walk(element, out: list[str], hidden: bool) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_R:
            if hidden or not is_hidden(child):
                walk(child, out, hidden)
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
            walk(child, out, hidden)


def paragraph_text(paragraph, *, hidden: bool = False) -> str:
    out: list[str] = []
    walk(paragraph, out, hidden)
    return "".join(out)


def paragraphs(cell):
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
    return "\n".join(paragraph_text(p, hidden=hidden) for p in paragraphs(cell))


def children(element, tag: str):
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS:
            yield from children(child, tag)


def int_attribute(parent, tag: str, default: int) -> int:
    if parent is None:
        return default
    element = parent.find(tag)
    if element is None:
        return default
    try:
        return max(int(element.get(W_VAL, default)), 0)
    except ValueError:
        return default


def rows(table):
    for row in children(table, W_TR):
        properties = row.find(W_TRPR)
        if properties is not None and properties.find(W_DEL) is not None:
            continue  # a deleted row (tracked change)
        yield row


def cells(row) -> list[tuple[int, Any]]:
    """(grid column, cell) of each cell of a row: merged cells keep later columns in place."""
    position = int_attribute(row.find(W_TRPR), W_GRIDBEFORE, 0)
    cells = []
    for cell in children(row, W_TC):
        cells.append((position, cell))
        position += max(int_attribute(cell.find(W_TCPR), W_GRIDSPAN, 1), 1)
    return cells


def markers(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in layout.MARKER.finditer(text)]


def hidden_keys(element) -> list[tuple[str, str]]:
    """The keys hidden in an element. Only hidden text counts: an answer that merely looks like
    a key is an answer (a lost key is found by its visible label instead)."""
    text = "".join(
        t.text or "" for run in element.iter(W_R) if is_hidden(run) for t in run.iter(W_T)
    )
    return markers(text)


def label_key(text: str) -> str:
    first = layout.MARKER.sub("", text.split("\n", 1)[0])
    return " ".join(first.replace("*", " ").split()).casefold()
