"""What the builder writes and the reader looks for: the hidden keys and the fixed texts."""

from __future__ import annotations

import re

from forms_templates.definitions import T

# A key hidden in a label or header cell: {{idhini:field:project_title}}. Written as hidden text
# (w:vanish), which Word and LibreOffice keep; the reader also finds it if it became visible.
MARKER = re.compile(r"\{\{idhini:(doc|field|table|column|part):([A-Za-z0-9_]{1,100})\}\}")

PART_META = "meta"
PART_SIGNATURES = "sign"


def marker(kind: str, key: str) -> str:
    return "{{idhini:%s:%s}}" % (kind, key)  # noqa: UP031 (braces would need doubling)


INSTITUTION_PLACEHOLDER = T("[JINA LA TAASISI]", "[INSTITUTION NAME]")
TITLE_PLACEHOLDER = T(
    "[Kichwa cha hati: kinawekwa kwenye Idhini]", "[Document title: set in Idhini]"
)
DOCUMENT_TITLE = T("Kichwa cha hati", "Document title")
REFERENCE = T("Kumbukumbu Na.", "Reference")
REFERENCE_PENDING = T("Itatolewa hati itakapowasilishwa", "Given when the document is submitted")
DATE = T("Tarehe", "Date")
TEMPLATE = T("Kiolezo (hakijajazwa)", "Template (blank)")
INSTRUCTIONS = T("Maelekezo", "Instructions")
HOW_TO_FILL = T(
    "Jinsi ya kujaza: andika majibu kwenye safu ya kulia ya kila jedwali la fomu. Kuongeza mstari "
    "kwenye jedwali, weka kishale kwenye kisanduku cha mwisho kisha bonyeza Tab. Usifute mistari "
    "ya fomu wala vichwa vya majedwali. Hifadhi kama “Word Document (.docx)” na upakie kwenye "
    "Idhini.",
    "How to fill: type your answers in the right-hand column of each form table. To add a row "
    "to a table, put the cursor in its last cell and press Tab. Do not delete the form's rows or "
    "the tables' header rows. Save as “Word Document (.docx)” and upload it to Idhini.",
)
JOB_TITLE = T("Cheo", "Title")
SIGNATURE = T("Sahihi", "Signature")
SIGNED_IN_IDHINI = T("Imesainiwa kidijitali kwenye Idhini", "Signed digitally in Idhini")
PAGE = T("Ukurasa", "Page")
CHOOSE = T("Chagua", "Choose")
KIND_HINTS = {
    "date": T("Tarehe: 2027-01-15 au 15/01/2027", "Date: 2027-01-15 or 15/01/2027"),
    "money": T("Shilingi nzima, mf. 1,500,000", "Whole shillings, e.g. 1,500,000"),
    "number": T("Namba, mf. 12 au 2.5", "A number, e.g. 12 or 2.5"),
}
