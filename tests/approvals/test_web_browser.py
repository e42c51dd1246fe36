"""One end-to-end run in a real browser: Chromium, driven by Playwright, against a live server,
with JavaScript switched off — the pages must work without it.

Skipped when /usr/bin/chromium is absent (Debian package ``chromium``, see .ci/apt-packages).
Set IDHINI_SCREENSHOT_DIR to keep the phone-width screenshot of the document page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.helpers import PASSWORD
from workflow.models import Document, Project

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (and the fixtures) would otherwise refuse to run.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = chromium.new_context(
            java_script_enabled=False, locale="sw-TZ", viewport={"width": 1100, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            context.close()
            chromium.close()
            # While Playwright's loop runs, the ORM keeps this test's connection apart from the
            # thread's usual one; close it, or PostgreSQL cannot drop the test database.
            connections.close_all()


def test_an_officer_prepares_a_document_in_a_real_browser(
    live_server, world, browser_page, tmp_path
):
    page = browser_page
    base = live_server.url

    # Signing in: the dashboard sends an anonymous person to the login page.
    page.goto(base + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(base + "/")
    assert page.locator("html").get_attribute("lang") == "sw"
    assert page.locator("h1").inner_text() == "Mwanzo"  # "Home", in Swahili

    # A project, then a concept note in it.
    page.fill("#id_name", "Mfumo wa Taarifa za Maabara")
    page.click("form[action='/projects/new/'] button")
    page.wait_for_url(f"{base}/projects/*/")
    project = Project.objects.get(name="Mfumo wa Taarifa za Maabara")
    page.select_option("#id_type", "concept_note")
    page.fill("#id_title", "Dhana ya mfumo wa maabara")
    page.click("form[action='/documents/new/'] button")
    page.wait_for_url(f"{base}/documents/*/edit/")
    document = Document.objects.get(title="Dhana ya mfumo wa maabara")
    assert document.project == project

    # Some answers, a table row, more rows without JavaScript, then save.
    page.fill("#id_project_title", "Mfumo wa Taarifa za Maabara")
    page.fill("#id_problem_statement", "Majibu ya maabara yanachelewa.\nKumbukumbu zinapotea.")
    page.fill("#id_total_budget", "120000000")
    page.select_option("#id_funding_source", "government")
    page.fill("#id_start_date", "2027-01-15")
    page.fill("input[name='milestones-0-milestone']", "Uchambuzi wa mahitaji")
    page.fill("input[name='milestones-0-due_date']", "2027-02-28")
    page.click("button[name='more_rows'][value='milestones']")
    page.wait_for_selector("input[name='milestones-5-milestone']")
    assert page.input_value("input[name='milestones-0-milestone']") == "Uchambuzi wa mahitaji"
    page.fill("input[name='milestones-4-milestone']", "Mafunzo kwa watumiaji")
    page.click("button[name='then'][value='view']:visible")
    page.wait_for_url(f"{base}/documents/{document.pk}/")

    document.refresh_from_db()
    assert document.data == {
        "project_title": "Mfumo wa Taarifa za Maabara",
        "problem_statement": "Majibu ya maabara yanachelewa.\nKumbukumbu zinapotea.",
        "total_budget": 120000000,
        "funding_source": "government",
        "start_date": "2027-01-15",
        "milestones": [
            {"milestone": "Uchambuzi wa mahitaji", "due_date": "2027-02-28"},
            {"milestone": "Mafunzo kwa watumiaji"},
        ],
    }
    body = page.locator("main").inner_text()
    assert "Mfumo wa Taarifa za Maabara" in body
    assert "120,000,000" in body and "Serikali" in body
    assert "Mafunzo kwa watumiaji" in body

    # The document page on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    # Nothing is wider than the phone: tables stack into cards.
    for element in page.locator("main, main table, main form, main dl").all():
        box = element.bounding_box()
        assert box is None or box["x"] + box["width"] <= 390 + 1, box
    folder = Path(os.environ.get("IDHINI_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "document-390.png"), full_page=True)
    assert (folder / "document-390.png").stat().st_size > 10_000
    page.goto(f"{base}/documents/{document.pk}/edit/")
    page.screenshot(path=str(folder / "edit-390.png"), full_page=True)
