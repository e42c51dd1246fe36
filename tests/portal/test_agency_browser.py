"""The agency at work, in Chromium (Playwright) against a live server: two reviewers racing for
a claim, a resubmission coming back to its reviewer, field comments that survive "approve", an
approval that answers at once while the seal is made after it, the archive and its exports;
axe-core on every agency page, their weight, and screenshots at 1366×768 and 390 px.

Skipped without /usr/bin/chromium. IDHINI_SCREENSHOT_DIR keeps the screenshots.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest

from approvals import services as approvals
from approvals.models import Review, SealedPdf
from config.after_response import wait_idle
from notifications.models import Notification
from tests.approvals.test_reservation import signed_again
from tests.helpers import PASSWORD, drive, fill_checklist, new_document
from tests.portal.conftest import CHROMIUM
from tests.portal.test_queue import queued
from workflow.models import Document, Status

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PAGE_WEIGHT_LIMIT = 100 * 1024


def named(world) -> None:
    for user, first, last in (
        (world.reviewer, "Asha", "Juma"),
        (world.reviewer2, "Neema", "Mushi"),
        (world.officer, "Amina", "Mollel"),
    ):
        user.first_name, user.last_name = first, last
        user.save()


def person(chromium, base: str, username: str, *, js: bool = False, width: int = 1366):
    context = chromium.new_context(
        java_script_enabled=js,
        locale="sw-TZ",
        viewport={"width": width, "height": 768 if width > 500 else 844},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(base + "/")
    return page


def test_two_reviewers_race_for_a_claim_and_the_loser_sees_who_has_it(live_server, world, chromium):
    named(world)
    document = drive(world, new_document(world), "submitted")
    base = live_server.url
    asha, neema = person(chromium, base, "reviewer"), person(chromium, base, "reviewer2")
    claim = f"form[action='/documents/{document.pk}/actions/claim/'] button"
    assert asha.locator(claim).count() == 1 and neema.locator(claim).count() == 1
    asha.click(claim)
    asha.wait_for_url(f"{base}/documents/{document.pk}/")
    assert "Rudisha kwenye foleni" in asha.locator("#decision-panel").inner_text()
    neema.click(claim)  # her queue still shows it unclaimed
    message = neema.locator("ul.messages li.error").inner_text()
    assert message.startswith("Hati hii tayari imechukuliwa na Asha Juma")
    assert "Chagua hati nyingine kwenye foleni." in message
    assert Document.objects.get(pk=document.pk).assignee == world.reviewer


def test_a_returned_document_comes_back_to_the_reviewer_who_returned_it(
    live_server, world, chromium
):
    named(world)
    document = drive(world, new_document(world), "under_review")
    base = live_server.url
    asha = person(chromium, base, "reviewer")
    asha.goto(f"{base}/documents/{document.pk}/")
    asha.locator("#answer-total_budget summary").click()
    asha.fill("#decision-fc-total_budget", "Bajeti haijumlishi")
    asha.fill("#decision-comment", "Rekebisha bajeti")
    asha.click("button[name='decision'][value='request-changes']")
    asha.wait_for_url(f"{base}/documents/{document.pk}/")
    review = Review.objects.get(document=document)
    assert review.field_comments == {"total_budget": "Bajeti haijumlishi"}

    signed_again(world, document)
    approvals.document_submit(document_id=document.pk, by=world.officer)

    asha.goto(base + "/")
    row = asha.locator("table.queue tbody tr", has_text=document.reference)
    assert "Imerudi kwako" in row.inner_text() and "Imewasilishwa upya" in row.inner_text()
    assert Notification.objects.filter(recipient=world.reviewer, kind="resubmitted").exists()
    assert not Notification.objects.filter(recipient=world.reviewer2, kind="resubmitted").exists()
    neema = person(chromium, base, "reviewer2")
    row = neema.locator("table.queue tbody tr", has_text=document.reference)
    assert "Imehifadhiwa kwa Asha Juma" in row.inner_text()
    assert row.locator("button").count() == 0
    # She may release it to the pool; then anyone may claim it.
    asha.goto(f"{base}/documents/{document.pk}/")
    asha.click("#state button:has-text('Rudisha kwenye foleni')")
    asha.wait_for_url(f"{base}/documents/{document.pk}/")
    neema.goto(base + "/")
    row = neema.locator("table.queue tbody tr", has_text=document.reference)
    assert row.locator("button").inner_text() == "Chukua"


def test_field_comments_survive_a_press_of_approve(live_server, world, chromium):
    document = drive(world, new_document(world), "under_review")
    base = live_server.url
    page = person(chromium, base, "reviewer", js=True)
    page.goto(f"{base}/documents/{document.pk}/")
    page.locator("#answer-problem_statement summary").click()
    page.fill("#decision-fc-problem_statement", "Eleza tatizo kwa takwimu")
    # Collected in the panel as it is typed.
    assert "Eleza tatizo kwa takwimu" in page.locator("#collected-list").inner_text()
    page.click("button[name='decision'][value='approve']")
    page.wait_for_selector("#unsent-comments")
    assert "Eleza tatizo kwa takwimu" in page.locator("#unsent-comments").inner_text()
    page.click("button[name='decision'][value='back']")
    page.wait_for_selector(".review-layout")
    assert page.input_value("#decision-fc-problem_statement") == "Eleza tatizo kwa takwimu"
    assert Document.objects.get(pk=document.pk).status == Status.UNDER_REVIEW


def test_approve_asks_answers_at_once_and_the_pdf_appears_when_ready(
    live_server,
    world,
    chromium,
    dev_seal,
    settings,
):
    settings.AFTER_RESPONSE = "thread"
    document = drive(world, new_document(world), "under_review")
    fill_checklist(document.pk, by=world.reviewer)  # complete: approving asks no override
    base = live_server.url
    page = person(chromium, base, "reviewer", js=True)
    page.goto(f"{base}/documents/{document.pk}/")
    page.fill("#decision-comment", "Imekamilika")
    page.click("button[name='decision'][value='approve']")
    asked = page.locator(".confirm").inner_text()
    assert "Uidhinishe" in asked and "muhuri" in asked and "Wizara ya Afya itaarifiwa" in asked
    started = time.monotonic()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button[name='decision'][value='approve']")
    assert posted.value.status == 302
    answered = time.monotonic() - started  # the decision's own answer, before the page loads
    page.wait_for_selector("#seal-status")
    assert "Imeidhinishwa" in page.locator("ul.messages").inner_text()
    page.wait_for_selector("#seal-status.ready", timeout=90_000)  # polled in place, no reload
    ready = time.monotonic() - started
    print(f"approve answered in {answered:.2f} s; the sealed PDF shown after {ready:.2f} s")
    assert answered < 2.0 and answered < ready
    href = page.locator("#seal-status a.button").first.get_attribute("href")
    assert href == f"/documents/{document.pk}/pdf/?lang=sw"
    assert wait_idle(30)
    sealed = SealedPdf.objects.get(document=document, lang="sw")
    with page.expect_download() as download:
        page.click("#seal-status a.button[hreflang='sw']")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == sealed.sha256


@pytest.fixture
def decided_mailbox(world, dev_seal):
    # Sealed here, before the test asks for ``chromium``: pyHanko would not run inside
    # Playwright's event loop.
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    Document.objects.filter(pk=document.pk).update(title="Sanduku la barua pepe la Katibu Mkuu")
    fill_checklist(document.pk, by=world.reviewer)  # an approval needs it complete
    approvals.document_approve(document_id=document.pk, by=world.reviewer, comment="Sawa")
    queued(world, "Mfumo wa shule", institution=world.moe, status=Status.REJECTED)
    queued(world, "Mfumo wa maabara", status=Status.APPROVED)
    return Document.objects.get(pk=document.pk)


def test_the_archive_finds_a_decided_mailbox_request_by_text(
    live_server,
    world,
    decided_mailbox,
    chromium,
):
    base = live_server.url
    page = person(chromium, base, "reviewer")
    page.click("header.site a:has-text('Kumbukumbu')")
    page.fill("input[name='q']", "katibu")
    page.click("#archive form.filters button")
    page.wait_for_url(f"{base}/archive/?*q=katibu*")
    rows = page.locator("table.archive tbody tr")
    assert rows.count() == 1
    assert "Sanduku la barua pepe la Katibu Mkuu" in rows.inner_text()
    assert "Imeidhinishwa" in rows.inner_text() and decided_mailbox.reference in rows.inner_text()


def test_the_csv_and_excel_exports_open_and_match_the_filters(
    live_server,
    world,
    decided_mailbox,
    chromium,
):
    base = live_server.url
    page = person(chromium, base, "reviewer")
    page.goto(f"{base}/archive/?status=approved&sort=reference")
    shown = page.locator("table.archive tbody td:first-child code").all_inner_texts()
    assert len(shown) == 2
    with page.expect_download() as download:
        page.click("a:has-text('Pakua CSV')")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == shown
    assert {row[6] for row in rows[1:]} == {"Imeidhinishwa"}
    with page.expect_download() as download:
        page.click("a:has-text('Pakua Excel')")
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert [row[0] for row in cells[1:]] == shown
    assert cells[0][0] == "Kumbukumbu namba"


# --- axe-core, weight and screenshots -----------------------------------------------------------


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser: not a page script
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _weigh(chromium, base: str, path: str, username: str) -> tuple[int, list]:
    """Bytes transferred on a first load with JavaScript on and an empty cache (signed in
    elsewhere: only the session cookie is carried over), and by which file."""
    signed_in = person(chromium, base, username).context.storage_state()
    context = chromium.new_context(java_script_enabled=True, storage_state=signed_in)
    page = context.new_page()
    loaded: list = []
    page.on("requestfinished", lambda request: loaded.append(request))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    files = []
    for request in loaded:
        sizes = request.sizes()
        files.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    context.close()
    return sum(size for _url, size in files), files


@pytest.fixture
def agency_pages(world, dev_seal):
    named(world)
    for index in range(12):
        queued(world, f"Ombi la sanduku la barua pepe {index}", days=index % 6)
    reviewed = drive(world, new_document(world), "under_review")
    for index in range(6):
        queued(world, f"Mfumo uliokwisha amuliwa {index}", status=Status.APPROVED, days=20 + index)
    return {
        "queue": "/",
        "review": f"/documents/{reviewed.pk}/",
        "figures": "/figures/",
        "archive": "/archive/",
    }


def test_agency_pages_pass_axe_stay_light_and_are_looked_at(
    live_server,
    world,
    chromium,
    agency_pages,
    tmp_path,
):
    base = live_server.url
    folder = Path(os.environ.get("IDHINI_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    report, weights_of = {}, {}
    for name, path in agency_pages.items():
        page = person(chromium, base, "reviewer", js=True)
        page.goto(base + path)
        serious = _axe(page)
        assert serious == [], (name, serious)
        weight, files = _weigh(chromium, base, path, "reviewer")
        report[name] = weight
        weights_of[name] = files
        if name != "archive":
            assert weight <= PAGE_WEIGHT_LIMIT, (name, weight, files)
        for width in (1366, 390):
            shot = person(chromium, base, "reviewer", width=width)
            shot.goto(base + path)
            shot.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=width == 390)
    print("page weight (bytes, first load):", json.dumps(report))
    for name, files in weights_of.items():
        print(name, [(url.rsplit("/", 2)[-2:], size) for url, size in files])
