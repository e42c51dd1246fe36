"""End-to-end runs in a real browser: Chromium, driven by Playwright, against a live server. The
main run has JavaScript switched off — the pages must work without it; a second one switches it on
and checks that htmx swaps parts of a page in place, with nothing fetched from anywhere else.

Skipped when /usr/bin/chromium is absent (Debian package ``chromium``, see .ci/apt-packages).
Set IDHINI_SCREENSHOT_DIR to keep the phone-width screenshot of the document page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifications.models import Notification
from tests.helpers import PASSWORD, act, ok
from tests.portal.conftest import CHROMIUM
from tests.portal.test_web_notifications import the_officers_two
from tests.portal.web_helpers import api_document, awaiting_signatures, submitted
from workflow.models import Document, Project

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(
        java_script_enabled=False, locale="sw-TZ", viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


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
    # The edit page lists the sections; this run fills the whole form on one page.
    page.click("text=Jaza fomu yote kwenye ukurasa mmoja")
    page.wait_for_url(f"{base}/documents/{document.pk}/edit/?all=1")

    # Some answers, a table row, more rows without JavaScript, then save.
    page.fill("#id_project_owner", "Mfumo wa Taarifa za Maabara")
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
        "project_owner": "Mfumo wa Taarifa za Maabara",
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
    page.goto(f"{base}/documents/{document.pk}/edit/?all=1")
    page.screenshot(path=str(folder / "edit-390.png"), full_page=True)


def test_the_next_signatory_sees_their_turn_in_the_header_and_opens_it(
    live_server, world, browser_page
):
    page = browser_page
    base = live_server.url
    # The servant sent a request for signature and signed first: their supervisor's turn.
    document_id = awaiting_signatures(world)
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "ict_head")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(base + "/")
    assert page.locator("#notifications-link").text_content() == "Taarifa 1 haijasomwa"

    page.click("#notifications-link")
    page.wait_for_url(base + "/notifications/")
    item = page.locator("ul.notifications li")
    assert item.count() == 1
    assert item.locator(".tag").inner_text() == "Haijasomwa"
    assert item.locator(".headline").inner_text().startswith("Haijasomwa Sahihi yako inahitajika:")
    # "Open" is a form: it marks the notification read, then shows the document.
    item.get_by_role("button", name="Fungua hati").click()
    page.wait_for_url(f"{base}/documents/{document_id}/")
    assert page.locator("#notifications-link").text_content() == "Taarifa"
    note = Notification.objects.get(recipient=world.ict_head)
    assert note.read_at is not None
    page.goto(base + "/notifications/")
    assert item.locator(".tag").count() == 0
    assert item.get_by_role("link", name="Fungua hati").get_attribute("href") == (
        f"/documents/{document_id}/"
    )


# --- With JavaScript: htmx swaps parts of the page ---------------------------------------------


# The pages run under the site's own Content-Security-Policy (config/middleware.py): an inline
# script or style (htmx injects one unless told not to) is refused, and reported here.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.idhiniCspViolation(
  [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" ")
));
"""


class Visit:
    """A person's browser with JavaScript on; every request it makes is recorded, and any that
    would leave the live server is refused (and recorded as such). Console errors (a CSP
    violation, a script error), the CSP violations the pages report and each page's
    Content-Security-Policy header are recorded too. Without a username nobody signs in."""

    def __init__(self, chromium, base: str, username: str | None):
        self.base = base
        self.requests: list = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []
        self.policies: dict[str, str | None] = {}
        self.context = chromium.new_context(
            java_script_enabled=True, locale="sw-TZ", viewport={"width": 1100, "height": 900}
        )
        self.context.route("**/*", self._only_our_server)
        self.context.expose_binding(
            "idhiniCspViolation", lambda source, text: self.violations.append(text)
        )
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        if username is not None:
            self.page.goto(base + "/accounts/login/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.click("form[action='/accounts/login/'] button")
            self.page.wait_for_url(base + "/")
            self.page.wait_for_function("window.htmx !== undefined")

    def _only_our_server(self, route) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _response(self, response) -> None:
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy")

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def mark(self) -> int:
        """A marker on the window, and the page loads so far: both stay if nothing navigates."""
        self.page.evaluate("window.idhiniMarker = 'still here'")
        return self.loads()

    def loads(self) -> int:
        return sum(1 for request in self.requests if request.resource_type == "document")

    def still_marked(self) -> bool:
        return self.page.evaluate("window.idhiniMarker") == "still here"

    def htmx_requests(self) -> list:
        return [r for r in self.requests if r.headers.get("hx-request") == "true"]


def test_with_javascript_the_queue_filter_and_more_rows_swap_in_place(live_server, world, chromium):
    expect = pytest.importorskip("playwright.sync_api").expect
    base = live_server.url
    request_id = submitted(world)
    note_id = submitted(world, "concept_note")
    Document.objects.filter(pk=request_id).update(title="Ombi la barua pepe")
    Document.objects.filter(pk=note_id).update(title="Dhana ya maabara")

    # The reviewer filters the queue: the list changes, the page stays.
    reviewer = Visit(chromium, base, "reviewer")
    page = reviewer.page
    results = page.locator("#queue-results")
    expect(results).to_contain_text("Ombi la barua pepe")
    expect(results).to_contain_text("Dhana ya maabara")
    loads = reviewer.mark()
    page.select_option("#queue select[name='type']", "concept_note")
    page.click("#queue form.filters button")
    expect(results).not_to_contain_text("Ombi la barua pepe")
    expect(results).to_contain_text("Dhana ya maabara")
    page.wait_for_url("**/?*type=concept_note*")  # the address follows, for reload and bookmarks
    assert reviewer.still_marked() and reviewer.loads() == loads
    (filtered,) = reviewer.htmx_requests()
    assert filtered.url.startswith(base + "/?") and "type=concept_note" in filtered.url
    assert page.locator("h1").inner_text() == "Foleni ya uhakiki"
    assert page.locator("#queue-results").count() == 1

    # The officer asks for more rows: that table grows, everything typed stays, and saving
    # afterwards is the ordinary form post.
    document_id = api_document(world, "concept_note", title="Dhana ya dawa")
    officer = Visit(chromium, base, "officer")
    page = officer.page
    page.goto(f"{base}/documents/{document_id}/edit/?all=1")
    page.fill("#id_project_owner", "Mfumo wa Dawa")  # outside the table, not saved yet
    page.fill("input[name='milestones-0-milestone']", "Uchambuzi wa mahitaji")
    page.fill("input[name='milestones-2-due_date']", "2027-05-31")
    loads = officer.mark()
    page.click("button[name='more_rows'][value='milestones']")
    page.wait_for_selector("input[name='milestones-5-milestone']")
    assert officer.still_marked() and officer.loads() == loads
    # A keyboard user is still on the button (it keeps its id across the swap).
    assert page.evaluate("document.activeElement.id") == "more-rows-milestones"
    (more_rows,) = officer.htmx_requests()
    assert more_rows.method == "POST" and more_rows.url == f"{base}/documents/{document_id}/edit/"
    assert page.input_value("#id_project_owner") == "Mfumo wa Dawa"
    assert page.input_value("input[name='milestones-0-milestone']") == "Uchambuzi wa mahitaji"
    assert page.input_value("input[name='milestones-2-due_date']") == "2027-05-31"
    assert page.input_value("input[name='milestones-rows']") == "6"
    assert page.locator("#field-milestones").count() == 1
    assert page.locator("input[name='risks-3-risk']").count() == 0  # the other tables as they were
    page.fill("input[name='milestones-5-milestone']", "Mafunzo")
    page.click("button[name='then'][value='view']:visible")
    page.wait_for_url(f"{base}/documents/{document_id}/")
    assert Document.objects.get(pk=document_id).data == {
        "project_owner": "Mfumo wa Dawa",
        "milestones": [
            {"milestone": "Uchambuzi wa mahitaji"},
            {"due_date": "2027-05-31"},
            {"milestone": "Mafunzo"},
        ],
    }

    # htmx came from our own static files, nothing left the live server, nothing broke the CSP.
    for visit in (reviewer, officer):
        assert visit.outside == []
        assert visit.errors == [] and visit.violations == []
        assert all(visit.policies.values())
        assert all(request.url.startswith(base + "/") for request in visit.requests)
        assert any(r.url.startswith(base + "/static/vendor/htmx/") for r in visit.requests)
        visit.context.close()


def test_with_javascript_marking_read_swaps_the_item_and_the_counts_in_place(
    live_server, world, chromium
):
    expect = pytest.importorskip("playwright.sync_api").expect
    signed, returned = the_officers_two(world)
    officer = Visit(chromium, live_server.url, "officer")
    page = officer.page
    page.goto(live_server.url + "/notifications/")
    badge = page.locator("#notifications-link .badge")
    expect(badge).to_have_text("2 hazijasomwa")
    loads = officer.mark()

    # One: that notification loses its mark, the counts above follow, the page stays.
    page.locator(f"#notification-{returned.pk}").get_by_role(
        "button", name="Weka kuwa imesomwa"
    ).click()
    expect(page.locator(f"#notification-{returned.pk} .tag")).to_have_count(0)
    expect(badge).to_have_text("1 haijasomwa")
    expect(page.locator("#notification-summary")).to_have_text(
        "Taarifa 1 haijasomwa Weka zote kuwa zimesomwa"
    )
    expect(page.locator(f"#notification-{signed.pk} .tag")).to_have_text("Haijasomwa")
    # All: the list is answered again, the badge goes.
    page.get_by_role("button", name="Weka zote kuwa zimesomwa").click()
    expect(badge).to_have_count(0)
    expect(page.locator("#notification-results .tag")).to_have_count(0)
    expect(page.locator("#notification-results .messages")).to_have_text(
        "Taarifa 1 imewekwa kuwa imesomwa."
    )
    assert officer.still_marked() and officer.loads() == loads
    assert [r.method for r in officer.htmx_requests()] == ["POST", "POST"]
    assert page.locator("#notifications-link").count() == 1
    assert page.locator("#notification-summary").count() == 1
    assert Notification.objects.filter(recipient=world.officer, read_at=None).count() == 0
    assert officer.outside == [] and officer.errors == []
    officer.context.close()
