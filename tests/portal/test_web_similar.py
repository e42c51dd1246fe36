"""Similar systems on the pages: beside a document on the agency's review, and beside the
concept note's section on existing systems while the officer writes it (approved projects and
existing systems only, titles and institutions: never another institution's draft)."""

from __future__ import annotations

import pytest

from portal.similar import highlight
from tests.portal.test_web_actions import text
from tests.portal.web_helpers import browser
from tests.similar.support import NEAR_DUPLICATE, PATIENTS, concept_note, staff

pytestmark = pytest.mark.django_db

HIDDEN = ["draft", "awaiting_signatures", "signed", "changes_requested", "rejected", "withdrawn"]


def panel(page: str) -> str:
    return page.split('id="similar"')[1].split("</section>")[0]


def test_the_reviewer_sees_the_near_duplicate_first_with_the_shared_words_marked(world):
    duplicate = concept_note(world, staff("TAMISEMI")["officer"], NEAR_DUPLICATE, "approved")
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    shown = panel(text(browser(world.reviewer).get(f"/documents/{document.pk}/")))
    first = shown.split("<li>")[1]
    assert f'href="/documents/{duplicate.pk}/"' in first
    assert "<mark>Wagonjwa</mark>" in first and "Ofisi ya Rais TAMISEMI" in first
    assert duplicate.reference in first


def test_the_officer_writing_sees_approved_titles_and_never_another_institutions_draft(world):
    duplicate = concept_note(world, staff("TAMISEMI")["officer"], NEAR_DUPLICATE, "approved")
    for status in [*HIDDEN, "under_review"]:
        concept_note(world, world.officer_moe, {**PATIENTS, "name": f"Siri {status}"}, status)
    draft = concept_note(world, world.officer, PATIENTS, "draft")
    page = text(browser(world.officer).get(f"/documents/{draft.pk}/edit/problem/"))
    shown = panel(page)
    assert shown.count("<li>") == 1
    assert duplicate.project.name.split()[0] in shown and "Ofisi ya Rais TAMISEMI" in shown
    assert "Siri" not in shown and "Wizara ya Elimu" not in shown
    assert "href=" not in shown  # another institution's document: its title, not a link
    # Only the section where the officer names existing systems has the panel.
    other = text(browser(world.officer).get(f"/documents/{draft.pk}/edit/solution/"))
    assert 'id="similar"' not in other


def test_the_officer_does_not_see_the_review_panel_on_the_document_page(world):
    concept_note(world, staff("TAMISEMI")["officer"], NEAR_DUPLICATE, "approved")
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    assert 'id="similar"' not in text(browser(world.officer).get(f"/documents/{document.pk}/"))


def test_highlighting_escapes_the_text_and_marks_whole_words_only():
    shown = highlight("Usajili <b>wa</b> Wagonjwa; wagonjwani", ["wagonjwa"])
    assert shown == "Usajili &lt;b&gt;wa&lt;/b&gt; <mark>Wagonjwa</mark>; wagonjwani"
