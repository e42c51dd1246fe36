"""Issue 15 item 6: one Swahili word for each thing, everywhere it is written.

A table row is *mstari* (plural *mistari*), never *safu* (a column); the verification code is
*namba ya uhakiki* on the PDF, the web pages and in every message; a declined signature reads
*Amekataa kusaini*. Checked over the types' texts, the Word file's and the print's fixed texts
and the whole Swahili catalog.
"""

from __future__ import annotations

import dataclasses
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

import forms_templates.docx.layout as word_layout
import forms_templates.labels as shared_labels
import forms_templates.printing.labels as print_labels
from approvals.docx_export import DECLINED
from approvals.models import SignatureStatus
from forms_templates.definitions import T
from forms_templates.registry import all_types, get_type
from forms_templates.rules import rules_of

ROW = re.compile(r"\brows?\b", re.IGNORECASE)
MSTARI = re.compile(r"\bm(i)?stari\b", re.IGNORECASE)
SAFU = re.compile(r"\bsafu\b", re.IGNORECASE)
COLUMN = re.compile(r"\bcolumns?\b", re.IGNORECASE)


def _texts_in(value) -> list[T]:
    if isinstance(value, T):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts_in(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts_in(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f.name for f in dataclasses.fields(value) if f.name != "extra")
        return [t for name in fields for t in _texts_in(getattr(value, name))]
    return []


def program_texts() -> list[tuple[str, str]]:
    """(Swahili, English) of every type's texts and the Word and print fixed texts."""
    found: list[T] = []
    for key in all_types():
        definition = get_type(key)
        found += _texts_in(definition)
        found += [rule.message for rule in rules_of(definition)]
    for module in (shared_labels, word_layout, print_labels):
        found += _texts_in(list(vars(module).values()))
    return [(t.sw, t.en) for t in found]


def catalog_texts() -> list[tuple[str, str]]:
    """(Swahili, English) of every entry of the Swahili catalogs (plural forms included)."""
    pairs = []
    for directory in [*settings.LOCALE_PATHS, Path(settings.BASE_DIR) / "notifications/locale"]:
        mo = Path(directory) / "sw" / "LC_MESSAGES" / "django.mo"
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for msgid, msgstr in catalog.items():
            english = msgid[0] if isinstance(msgid, tuple) else msgid
            if english:
                pairs.append((msgstr, english))
    return pairs


def test_a_table_row_is_mstari_everywhere():
    texts = program_texts() + catalog_texts()
    rows = [(sw, en) for sw, en in texts if ROW.search(en)]
    assert len(rows) > 20  # the walk found the texts
    assert [(sw, en) for sw, en in rows if not MSTARI.search(sw)] == []
    # Safu is a column only.
    assert [(sw, en) for sw, en in texts if SAFU.search(sw) and not COLUMN.search(en)] == []


def test_the_verification_code_has_one_name_on_the_pdf_the_pages_and_in_messages():
    assert print_labels.VERIFICATION_CODE.sw == "Namba ya uhakiki"
    named = [(sw, en) for sw, en in catalog_texts() if "verification code" in en.lower()]
    assert len(named) >= 3
    # "namba ya uhakiki", or with a word between: "namba yake ya uhakiki", "namba hii ya uhakiki"
    term = re.compile(r"\bnamba( \w+)? ya uhakiki\b", re.IGNORECASE)
    assert [(sw, en) for sw, en in named if not term.search(sw)] == [], named
    with translation.override("sw"):
        assert translation.gettext("Verification code") == "Namba ya uhakiki"


def test_a_declined_signature_reads_amekataa_kusaini_on_the_pages_the_pdf_and_word():
    with translation.override("sw"):
        assert str(SignatureStatus.DECLINED.label) == "Amekataa kusaini"
    assert print_labels.SIGNATURE_STATUS["declined"].sw == "Amekataa kusaini"
    assert DECLINED.sw == "Amekataa kusaini"
