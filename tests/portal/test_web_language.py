"""Swahili first, English second: the pages, the forms from the definitions, and the message
catalog that a machine without gettext still reads (the compiled .mo is in the repository)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

from tests.portal.web_helpers import api_document, browser

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def text(response) -> str:
    return response.content.decode()


def test_swahili_is_the_default(world):
    client = browser(world.officer)
    page = text(client.get("/"))
    assert '<html lang="sw">' in page
    assert "Inasubiri sahihi yako" in page  # "Waiting for your signature"
    assert "Waiting for your signature" not in page
    login = text(browser().get("/accounts/login/"))
    assert "Ingia" in login and "Sign in" not in login


def test_english_after_switching_and_back(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = text(client.get("/"))
    assert '<html lang="en">' in page and "Waiting for your signature" in page
    form = text(client.get(f"/documents/{document_id}/edit/"))
    assert "Problem statement" in form and "Tatizo linalotatuliwa" not in form
    client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    assert "Inasubiri sahihi yako" in text(client.get("/"))


def test_the_language_switch_is_on_every_page(world):
    document_id = api_document(world)
    client = browser(world.officer)
    for url in ("/", f"/documents/{document_id}/", f"/documents/{document_id}/edit/"):
        page = text(client.get(url))
        assert 'action="/i18n/setlang/"' in page and 'value="en"' in page, url


def po_entries(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file (the header left out): msgid, msgid_plural, msgstr, msgstr[n],
    msgctxt, and "flags" (the "#," line)."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, quoted = line.partition(" ")
            entry[key] = ast.literal_eval(quoted)
    return entries


def test_every_swahili_message_is_translated_and_the_compiled_catalog_is_current():
    po = LOCALE / "sw" / "LC_MESSAGES" / "django.po"
    mo = LOCALE / "sw" / "LC_MESSAGES" / "django.mo"
    entries = po_entries(po)
    assert len(entries) > 300
    with mo.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if "fuzzy" in entry.get("flags", ""):
            problems.append(f"fuzzy: {msgid}")
        if "msgid_plural" in entry:
            forms = [entry.get("msgstr[0]", ""), entry.get("msgstr[1]", "")]
            if not all(forms):
                problems.append(f"untranslated: {msgid}")
            elif (
                "msgctxt" not in entry
                and catalog.ngettext(msgid, entry["msgid_plural"], 1) != (forms[0])
            ):
                problems.append(f"not compiled: {msgid}")
            continue
        if not entry.get("msgstr"):
            problems.append(f"untranslated: {msgid}")
        elif "msgctxt" in entry:
            if catalog.pgettext(entry["msgctxt"], msgid) != entry["msgstr"]:
                problems.append(f"not compiled: {msgid}")
        elif catalog.gettext(msgid) != entry["msgstr"]:
            problems.append(f"not compiled: {msgid}")
    assert problems == [], "\n".join(problems[:20])
