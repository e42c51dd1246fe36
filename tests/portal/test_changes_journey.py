"""In Chromium, on a desktop (1366×768) and a 390-pixel phone: a document returned by the agency
shows the comment, is edited through the section pages and sent again, and the signatory who signs
again sees exactly the changed answers, after the summary and before the declaration. axe-core
finds no serious or critical violation on the pages of what changed and of a broken rule
(IDHINI_SCREENSHOT_DIR=… keeps a screenshot of each)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, act, complete_data, ok, upload_required
from tests.portal.test_officer_journeys import VIEWPORTS, Person, axe_violations
from tests.portal.test_web_browser import CHROMIUM
from tests.portal.web_helpers import api_document, api_fill, stored
from workflow.models import Status

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")

COMMENT = "Eleza tatizo kwa undani zaidi."
FIELD_COMMENT = "Taja idadi ya wagonjwa wanaoathirika."
NEW_STATEMENT = "Wagonjwa 4,000 kwa mwezi husubiri majibu ya maabara kwa siku tatu."


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def returned_document(world) -> str:
    """A concept note signed by everyone, submitted, and returned with a comment on one answer."""
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    api_fill(world, document_id, complete_data("concept_note", rows=2))
    upload_required(world, world.officer, document_id, "concept_note")
    ok(act(world, world.officer, document_id, "request-signatures"))
    for signer in (world.officer, world.system_owner, world.ict_head, world.accounting_officer):
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, document_id, "submit"))
    ok(act(world, world.reviewer, document_id, "claim"))
    body = {"comment": COMMENT, "field_comments": {"problem_statement": FIELD_COMMENT}}
    ok(act(world, world.reviewer, document_id, "request-changes", body))
    return document_id


def screenshot(person: Person, name: str, viewport: str) -> None:
    folder = os.environ.get("IDHINI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        person.page.screenshot(path=f"{folder}/{name}-{viewport}.png", full_page=True)


def test_a_returned_document_is_edited_and_the_signatory_sees_exactly_what_changed(
    live_server, world, chromium, viewport
):
    document_id = returned_document(world)
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    officer.go(f"/documents/{document_id}/")
    page = officer.page
    assert COMMENT in page.locator("#change-request").inner_text()
    assert officer.top("#change-request") < VIEWPORTS[viewport]["height"]
    page.click("#change-request a.button")
    page.wait_for_url(f"**/documents/{document_id}/edit/")
    officer.go(f"/documents/{document_id}/edit/problem/")
    assert FIELD_COMMENT in page.locator("#field-problem_statement").inner_text()
    page.fill("#id_problem_statement", NEW_STATEMENT)
    page.click("p.buttons button[value='next']")
    page.wait_for_url(f"**/documents/{document_id}/edit/*/")
    officer.go(f"/documents/{document_id}/check/")
    page.click("#send form button")
    page.wait_for_url(f"**/documents/{document_id}/")
    assert stored(document_id).status == Status.AWAITING_SIGNATURES
    # The author's own history names the answer the edit changed.
    assert "Tatizo linalotatuliwa" in page.locator("#history").inner_text()
    officer.close()
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.system_owner, document_id, "sign", {"password": PASSWORD}))

    signatory = Person(chromium, live_server.url, "ict_head", VIEWPORTS[viewport])
    signatory.go(f"/documents/{document_id}/")
    page = signatory.page
    panel = page.locator("#changes-since")
    assert "Kilichobadilika tangu toleo 1" in panel.locator("h2").inner_text()
    assert panel.locator(".changed-fields a").all_inner_texts() == ["Tatizo linalotatuliwa"]
    assert panel.locator("tbody tr").count() == 1
    assert page.locator("#changes-since ins").count() >= 1
    order = [signatory.top(s) for s in ("#summary", "#changes-since", "#declaration")]
    assert order == sorted(order)
    assert axe_violations(page) == []
    screenshot(signatory, "signing-again", viewport)
    page.click("#changes-since a[href*='/changes/']")
    page.wait_for_url("**/changes/?from=1&to=2")
    assert page.locator("#changes tbody tr").count() == 1
    assert axe_violations(page) == []
    screenshot(signatory, "compare-versions", viewport)
    # Another pair, chosen with the plain form.
    page.select_option("#from", "2")
    page.click(".compare-form button")
    page.wait_for_url("**/changes/?from=2&to=2")
    assert "Hakuna kilichobadilika" in page.locator("#changes").inner_text()
    signatory.close()


def test_the_pages_of_a_broken_rule_have_no_serious_accessibility_violation(
    live_server, world, chromium, viewport
):
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    data = complete_data("concept_note", rows=2)
    data["total_budget"] = 999
    api_fill(world, document_id, data)
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    problems = {}
    for name, path in {
        "section-broken-rule": f"/documents/{document_id}/edit/budget/",
        "check-broken-rule": f"/documents/{document_id}/check/",
    }.items():
        officer.go(path)
        assert officer.page.locator(".rule-message").count() >= 1
        found = axe_violations(officer.page)
        if found:
            problems[name] = found
        screenshot(officer, name, viewport)
    # The error summary's link takes the person to the input the rule is about.
    officer.go(f"/documents/{document_id}/edit/budget/")
    officer.page.click("#error-summary a")
    focused = officer.page.evaluate("document.activeElement.id")
    assert focused.startswith("id_") and "budget" in focused
    officer.close()
    assert problems == {}
