"""What an e-mail says: the recipient's language, a plain-text and an HTML part, one link to the
document and nothing that acts when opened, people's words escaped, a stable Message-ID."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.core import mail

from approvals import services as approvals
from notifications.models import Outbox, Preference
from tests.helpers import PASSWORD, act, drive, new_document, ok
from tests.portal.test_web_language import po_entries

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parents[2] / "notifications" / "locale" / "sw" / "LC_MESSAGES"


def signed_by_officer(world, committed):
    document = drive(world, new_document(world), "awaiting_signatures")
    with committed():
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    return document


def test_each_email_is_in_its_recipients_language_swahili_by_default(world, committed):
    Preference.objects.create(user=world.reviewer2, language="en")
    document = drive(world, new_document(world), "signed")
    with committed():
        ok(act(world, world.officer, document.pk, "submit"))
    by_person = {m.to[0].split("@")[0]: m for m in mail.outbox}
    swahili, english = by_person["reviewer"], by_person["reviewer2"]

    assert swahili.extra_headers["Content-Language"] == "sw"
    assert "Dhana ya Uanzishaji wa Mfumo/Mradi" in swahili.body  # the type's Swahili name
    assert "Wizara ya Afya" in swahili.body
    assert "New in the review queue" not in swahili.subject
    assert "Concept note" not in swahili.body

    assert english.extra_headers["Content-Language"] == "en"
    assert english.subject.startswith("[Idhini] New in the review queue: EGA/CN/")
    assert "Project Concept Note" in english.body and "Ministry of Health" in english.body
    assert english.subject != swahili.subject
    html = dict((mime, body) for body, mime in english.alternatives)["text/html"]
    assert '<html lang="en">' in html


def test_an_email_has_a_text_and_an_html_part_with_one_plain_link_to_the_document(
    world, committed, settings
):
    settings.SITE_URL = "https://idhini.ega.go.tz"
    document = signed_by_officer(world, committed)
    (email,) = mail.outbox
    link = f"https://idhini.ega.go.tz/documents/{document.pk}/"
    assert link in email.body
    ((html, mime),) = email.alternatives
    assert mime == "text/html"
    assert re.findall(r'href="([^"]*)"', html) == [link]
    # Nothing that acts or reports by being opened: no images, scripts, forms or query strings.
    for forbidden in ("<img", "<script", "<form", "?", "src="):
        assert forbidden not in html.split("<body", 1)[1].replace("?</", "</"), forbidden
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_peoples_words_are_escaped_in_html_and_kept_as_written_in_text(world, committed):
    document = drive(world, new_document(world), "under_review")
    reason = 'Bajeti <script>alert("x")</script> & "makadirio"'
    with committed():
        ok(act(world, world.reviewer, document.pk, "reject", {"reason": reason}))
    (email,) = mail.outbox
    assert reason in email.body
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;makadirio&quot;" in html


def test_a_title_with_a_line_break_still_makes_a_one_line_subject(world, committed):
    document = new_document(world)
    type(document).objects.filter(pk=document.pk).update(title="Mfumo\nwa  Hospitali")
    drive(world, document, "awaiting_signatures")
    with committed():
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    (email,) = mail.outbox
    assert "\n" not in email.subject
    assert email.subject.endswith("Mfumo wa Hospitali")


def test_each_outbox_row_keeps_its_own_message_id_on_the_email(world, committed):
    with committed():
        drive(world, new_document(world), "submitted")
    rows = list(Outbox.objects.order_by("id"))
    assert len(rows) == 6  # three signatories, the author, two reviewers
    assert len({row.message_id for row in rows}) == 6
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        row.message_id for row in rows
    )
    for row in rows:
        assert re.fullmatch(r"<[0-9a-f]{32}@[\w.-]+>", row.message_id)


def test_every_notification_message_has_a_swahili_translation_in_the_compiled_catalog():
    entries = po_entries(CATALOG / "django.po")
    with (CATALOG / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if "fuzzy" in entry.get("flags", ""):
            problems.append(f"fuzzy: {msgid}")
        if "msgid_plural" in entry:
            translated = entry.get("msgstr[0]", "")
            compiled_form = catalog.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            translated = entry.get("msgstr", "")
            compiled_form = catalog.gettext(msgid)
        if not translated:
            problems.append(f"untranslated: {msgid}")
        elif compiled_form != translated:
            problems.append(f"not compiled: {msgid}")
    assert len(entries) > 50
    assert problems == []
