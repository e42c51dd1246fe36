"""Word in and out: the official template of every document type, the filled export of a
document, and the import of a filled file back into form data — built with python-docx.

Finding the answers again after a person has edited the file
------------------------------------------------------------
People fill these files offline in Word or LibreOffice: they type into cells, press Enter inside
an answer, add table rows (Tab in the last cell), delete rows, and save again in either program.
The import must find every answer after that, so the layout is **labelled tables with stable
keys hidden in the file**:

* every section's fields are a two-column table, label | answer; the label cell starts with the
  field's key as *hidden text* (``{{idhini:field:project_title}}``, ``w:vanish``);
* a repeating section is a table whose header row holds a hidden key per column
  (``{{idhini:table:objectives}}{{idhini:column:objective}}``); each row below it is one row of
  data, however many a person adds or deletes; cells are mapped by grid column, so merged cells
  do not shift the columns;
* the first paragraph carries ``{{idhini:doc:<type>}}``, and the core properties
  ``identifier``/``category`` say ``idhini:<type>`` as a second copy.

Why not content controls (``w:sdt``, the "Word way")? python-docx 1.2 has no API for them and its
``cell.text`` does not see text inside them; LibreOffice before 7.5 (Debian 12 ships 7.4) does not
keep block content controls on a round trip, so a file saved there would lose its keys; and a
person who deletes a control's content by selecting the cell deletes the control with it. Hidden
text in a label cell survives both programs (tested with LibreOffice 7.4), is never where a
person types, and is invisible when printed. If the hidden key of a label is lost anyway, the
visible Swahili label (when unique in the type) finds the field. Only hidden text counts as a
key: an answer that happens to look like one is read as an answer.

What the import refuses, with a message that says so: another type's template, a template whose
fields no longer match the definition (an old template, or rows of the form deleted), a file with
no recognisable fields, text typed outside any answer cell, a field that appears twice — and,
before python-docx opens anything, every unsafe file (``safety.py``).

Values round-trip exactly: the export writes ``values.render`` of each stored value, the import
reads ``values.parse`` of each cell; an answer whose cell still reads what the export wrote keeps
its stored value byte for byte (a ``\\r\\n`` or an empty string, which Word cannot hold as such,
included).
"""

import re
import unicodedata

from forms_templates.docx.build import (
    ExportInfo,
    SignatureLine,
    build_document,
    build_docx,
    build_template,
)
from forms_templates.docx.errors import DocxError, FileTooLarge, UnsafeFile
from forms_templates.docx.read import FilledForm, read_docx
from forms_templates.docx.safety import ZipLimits, check_size, inspect_docx

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def ascii_filename(text: str, *, limit: int = 80) -> str:
    """A file name part safe in any Content-Disposition header: ASCII letters, digits, ``-_.``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-.")[:limit].strip("-.")


__all__ = [
    "DOCX_CONTENT_TYPE",
    "DocxError",
    "ExportInfo",
    "FileTooLarge",
    "FilledForm",
    "SignatureLine",
    "UnsafeFile",
    "ZipLimits",
    "ascii_filename",
    "build_document",
    "build_docx",
    "build_template",
    "check_size",
    "inspect_docx",
    "read_docx",
]
