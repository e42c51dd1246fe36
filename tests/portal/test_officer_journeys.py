"""The officer's and the signatory's journeys in a real browser (Chromium, Playwright, against a
live server, JavaScript on, under the site's Content-Security-Policy), on a desktop (1366×768)
and on a 390-pixel phone; and axe-core on every page of these journeys: no serious or critical
violation.

Skipped when /usr/bin/chromium is absent. Set IDHINI_SCREENSHOT_DIR to keep a screenshot of each
page checked by axe.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forms_templates.docx import build_template
from forms_templates.registry import get_type
from portal.models import DraftAnswers, WordUpload
from tests.forms_templates import docx_files as files
from tests.helpers import PASSWORD, act, complete_data, ok, upload_required
from tests.portal.test_web_browser import CHROMIUM, REPORT_VIOLATIONS
from tests.portal.web_helpers import api_document, api_fill, awaiting_signatures, stored
from workflow.models import Document, Status

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


class Person:
    """One person's browser: JavaScript on, nothing fetched from outside the live server, every
    console error and CSP violation recorded."""

    def __init__(self, chromium, base: str, username: str, viewport: dict):
        self.base = base
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = chromium.new_context(locale="sw-TZ", viewport=viewport)
        self.context.route("**/*", self._only_ours)
        self.context.expose_binding("idhiniCspViolation", lambda s, t: self.errors.append(t))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(base + "/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form[action='/accounts/login/'] button")
        self.page.wait_for_url(base + "/")

    def _only_ours(self, route) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def top(self, selector: str) -> float:
        return self.page.locator(selector).first.bounding_box()["y"]

    def close(self) -> None:
        assert self.outside == [] and self.errors == [], (self.outside, self.errors)
        self.context.close()


def expect(locator):
    return pytest.importorskip("playwright.sync_api").expect(locator)


def scripts_run(page) -> bool:
    """Whether the page's context runs JavaScript. Playwright's public API does not say, and a
    ``page.evaluate`` in a context without scripts never returns (it hung CI once), so this
    reads the option the context was made with (absent means on, Playwright's default)."""
    return _options(page).get("javaScriptEnabled", True) is not False


def _options(page) -> dict:
    options = getattr(getattr(page.context, "_impl_obj", None), "_options", None)
    if options is None:  # Playwright changed its internals: say so rather than hang
        raise RuntimeError("cannot read this page's context options; update scripts_run()")
    return options


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now. A page without
    JavaScript is checked as a copy: the same address, signed in the same way, in a context
    that runs scripts (so only a page reached by GET is checked exactly as shown)."""
    if not scripts_run(page):
        browser = page.context.browser
        scripted = browser.new_context(
            storage_state=page.context.storage_state(),
            viewport=page.viewport_size,
            locale=_options(page).get("locale"),
        )
        try:
            copy = scripted.new_page()
            copy.goto(page.url)
            # Not the sign-in page it would redirect to were the session not carried over.
            assert copy.url == page.url, (copy.url, page.url)
            return axe_violations(copy)
        finally:
            scripted.close()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated by the test, not loaded by the page
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def autosave(page, document_id: str) -> None:
    """Let the page's 30 seconds pass, and wait for the autosave it sends."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/edit/problem/")
    ) as answer:
        page.clock.fast_forward(31_000)
    assert answer.value.status == 200 and answer.value.json()["problems"] == 0


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


def test_an_officer_fills_a_concept_note_section_by_section_and_finds_every_saved_answer(
    live_server, world, chromium, viewport
):
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    page = officer.page
    page.clock.install()
    officer.go(f"/documents/{document_id}/edit/")
    assert page.locator("ol.task-list li").count() == len(get_type("concept_note").sections)
    page.click("text=Taarifa za mradi")
    page.wait_for_url(f"**/documents/{document_id}/edit/project_information/")
    page.fill("#id_project_owner", "Mfumo wa Maabara")
    # An invalid e-mail does not block saving: the rest is stored, the e-mail kept with its error.
    page.fill("#id_contact_email", "asha@afya")
    page.click("p.buttons button[value='next']")
    page.wait_for_selector("#error-summary")
    expect(page.locator("#error-summary")).to_be_focused()  # once the deferred script has run
    assert stored(document_id).data == {"project_owner": "Mfumo wa Maabara"}
    # The error summary links to the field: the link moves the focus to the input.
    page.click("#error-summary a[href='#id_contact_email']")
    assert page.evaluate("document.activeElement.id") == "id_contact_email"
    page.fill("#id_contact_email", "asha@afya.go.tz")
    page.click("p.buttons button[value='next']")
    page.wait_for_url(f"**/documents/{document_id}/edit/problem/")
    assert "Imehifadhiwa saa" in page.locator("ul.messages").inner_text()
    # Section 2: typed, then saved by the autosave (30 s on the page's clock), not the button.
    page.fill("#id_problem_statement", "Majibu ya maabara yanachelewa.")
    autosave(page, document_id)
    expect(page.locator("#save-status")).to_contain_text("Imehifadhiwa saa")
    assert stored(document_id).data["problem_statement"] == "Majibu ya maabara yanachelewa."
    # Typed and not saved: leaving asks first.
    page.fill("#id_alternatives_considered", "Kutumia mfumo uliopo")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("header nav a[href='/']")
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/edit/problem/" in page.url
    # Left mid-way (after the autosave took the rest): every saved answer is there.
    autosave(page, document_id)
    officer.go("/")
    officer.go(f"/documents/{document_id}/edit/")
    statuses = page.locator("ol.task-list .task-status")
    assert statuses.nth(0).inner_text() == "Inaendelea"
    assert statuses.nth(1).inner_text() == "Imekamilika"
    page.click("text=Taarifa za mradi")
    assert page.input_value("#id_contact_email") == "asha@afya.go.tz"
    assert page.input_value("#id_project_owner") == "Mfumo wa Maabara"
    officer.go(f"/documents/{document_id}/edit/problem/")
    assert page.input_value("#id_alternatives_considered") == "Kutumia mfumo uliopo"
    assert DraftAnswers.objects.get(document_id=document_id).answers == {}
    officer.close()


def test_a_word_file_filled_offline_is_uploaded_through_the_page_and_its_answers_appear(
    live_server, world, chromium, viewport, tmp_path
):
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    content = files.open_docx(build_template(get_type("concept_note")))
    files.type_answer(content, "project_owner", "Mfumo wa Maabara (Word)")
    files.type_answer(content, "total_budget", "120,000,000")
    files.fill_row(content, "milestones", 0, ["Uchambuzi", "2027-02-28", "TEHAMA"])
    path = tmp_path / "dhana.docx"
    path.write_bytes(files.save_docx(content))
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    page = officer.page
    officer.go(f"/documents/{document_id}/edit/")
    page.click("a[href$='/word/']")
    page.set_input_files("#id_file", str(path))
    page.click("#word-upload button")
    page.wait_for_url("**/word/*/")
    changes = page.locator("table.changes").inner_text()
    assert "Mfumo wa Maabara (Word)" in changes and "120,000,000" in changes
    page.click("text=Rudi kwenye hati")
    body = page.locator("#answers ~ section").all_inner_texts()
    assert any("Mfumo wa Maabara (Word)" in text for text in body)
    assert any("Uchambuzi" in text for text in body)
    assert WordUpload.objects.filter(document_id=document_id).count() == 1
    officer.close()


def declined_document(world) -> str:
    document_id = awaiting_signatures(world)
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    ok(
        act(
            world,
            world.ict_head,  # the servant's supervisor, who signs after the servant
            document_id,
            "decline",
            {"reason": "Ongeza gharama za mafunzo."},
        )
    )
    return document_id


def test_a_declined_document_shows_the_reason_at_the_top(live_server, world, chromium, viewport):
    document_id = declined_document(world)
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    officer.go(f"/documents/{document_id}/")
    reason = officer.page.locator("#reason")
    assert "Ongeza gharama za mafunzo." in reason.inner_text()
    assert officer.top("#reason") < officer.top("#progress") < officer.top("#answers")
    # On the first screen, not thousands of pixels down.
    assert officer.top("#reason") < VIEWPORTS[viewport]["height"]
    officer.go("/")
    assert "Ongeza gharama za mafunzo." in officer.page.locator("#attention").inner_text()
    officer.close()


def test_signing_shows_the_summary_then_the_declaration_then_the_password(
    live_server, world, chromium, viewport
):
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    api_fill(world, document_id, complete_data("concept_note"))
    upload_required(world, world.officer, document_id, "concept_note")
    ok(act(world, world.officer, document_id, "request-signatures"))
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.system_owner, document_id, "sign", {"password": PASSWORD}))
    signatory = Person(chromium, live_server.url, "ict_head", VIEWPORTS[viewport])
    signatory.go(f"/documents/{document_id}/")
    order = [signatory.top(s) for s in ("#summary", "#answers", "#declaration", "#id_password")]
    assert order == sorted(order)
    assert signatory.top("#summary") < 2 * VIEWPORTS[viewport]["height"]
    page = signatory.page
    assert page.locator("#declaration").inner_text() == (
        "Nimesoma hati hii na ninaiidhinisha kama Mkuu wa Kitengo cha TEHAMA."
    )
    page.click("#your-signature a[href='#sign']")
    page.fill("#id_password", PASSWORD)
    page.click("#action-sign button")
    page.wait_for_url(f"**/documents/{document_id}/signed/")
    assert "Hakuna kingine kinachokusubiri" in page.locator("#next-document").inner_text()
    assert stored(document_id).next_signer == world.accounting_officer
    signatory.close()


def test_every_page_of_these_journeys_has_no_serious_or_critical_accessibility_violation(
    live_server, world, chromium, viewport, use_broker, clean_cache, tmp_path
):
    draft = api_document(world, "concept_note", title="Dhana ya maabara")
    api_fill(world, draft, {"project_owner": "Mfumo wa Maabara"})
    waiting = api_document(world, "concept_note", title="Dhana ya kusaini")
    api_fill(world, waiting, complete_data("concept_note", rows=2))
    upload_required(world, world.officer, waiting, "concept_note")
    ok(act(world, world.officer, waiting, "request-signatures"))
    ok(act(world, world.officer, waiting, "sign", {"password": PASSWORD}))
    ok(act(world, world.system_owner, waiting, "sign", {"password": PASSWORD}))
    declined = declined_document(world)
    folder = Path(os.environ.get("IDHINI_SCREENSHOT_DIR") or "")
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    pages = {
        "home": "/",
        "types": "/document-types/",
        "new document": "/documents/new/",
        "task list": f"/documents/{draft}/edit/",
        "section": f"/documents/{draft}/edit/project_information/",
        "section with a table": f"/documents/{draft}/edit/implementation_plan/",
        "check your answers": f"/documents/{draft}/check/",
        "word upload": f"/documents/{draft}/word/",
        "document (draft)": f"/documents/{draft}/",
        "document (declined)": f"/documents/{declined}/",
        "whole form": f"/documents/{draft}/edit/?all=1",
    }
    problems = {}

    def check(person: Person, name: str) -> None:
        found = axe_violations(person.page)
        if found:
            problems[name] = found
        if os.environ.get("IDHINI_SCREENSHOT_DIR"):
            folder.mkdir(parents=True, exist_ok=True)
            shot = folder / f"{name.replace(' ', '-')}-{viewport}.png"
            person.page.screenshot(path=str(shot), full_page=True)

    for name, path in pages.items():
        officer.go(path)
        check(officer, name)
    # A section saved with an error: the summary, the error messages, aria-invalid.
    officer.go(f"/documents/{draft}/edit/project_information/")
    officer.page.fill("#id_contact_email", "si-barua-pepe")
    officer.page.click("p.buttons button[value='next']")
    officer.page.wait_for_selector("#error-summary")
    check(officer, "section with errors")
    # After a Word upload: what changed.
    path = tmp_path / "dhana.docx"
    content = files.open_docx(build_template(get_type("concept_note")))
    files.type_answer(content, "project_owner", "Mfumo wa Word")
    path.write_bytes(files.save_docx(content))
    officer.go(f"/documents/{draft}/word/")
    officer.page.set_input_files("#id_file", str(path))
    officer.page.click("#word-upload button")
    officer.page.wait_for_url("**/word/*/")
    check(officer, "word changes")
    # A PDF being prepared (a broker, and no worker).
    use_broker("memory://")
    officer.go(f"/documents/{draft}/pdf/?lang=en")
    assert officer.page.locator("#pdf-status[hx-trigger]").count() == 1
    check(officer, "pdf being prepared")
    officer.close()
    signatory = Person(chromium, live_server.url, "ict_head", VIEWPORTS[viewport])
    signatory.go(f"/documents/{waiting}/")
    check(signatory, "signing")
    signatory.page.fill("#id_password", PASSWORD)
    signatory.page.click("#action-sign button")
    signatory.page.wait_for_url("**/signed/")
    check(signatory, "signed")
    signatory.close()
    assert problems == {}
    assert Document.objects.get(pk=waiting).status == Status.AWAITING_SIGNATURES


def test_the_accessibility_check_sees_a_violation(live_server, world, chromium):
    # The check itself can fail: an input without a label, text without contrast.
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS["desktop"])
    officer.go("/document-types/")
    officer.page.evaluate(
        """() => {
        const input = document.createElement("input");
        document.querySelector("main").append(input);
        const faint = document.createElement("p");
        faint.textContent = "Maandishi yasiyoonekana";
        faint.style.color = "#eeeeee";
        document.querySelector("main").append(faint);
    }"""
    )
    found = {v["id"] for v in axe_violations(officer.page)}
    assert {"label", "color-contrast"} <= found
    officer.close()


def test_the_accessibility_check_of_a_page_without_javascript_returns(live_server, world, chromium):
    # A page without scripts is checked in a scripted copy, signed in the same way (before,
    # the check never returned and the test waited for ever).
    context = chromium.new_context(java_script_enabled=False, locale="sw-TZ")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/documents/new/")
    assert not scripts_run(page)
    assert axe_violations(page) == []
    context.close()


def test_the_officer_attaches_the_cover_letter_through_the_page_and_sends_the_concept_note(
    live_server, world, chromium, viewport, tmp_path
):
    from tests.attachment_files import pdf_bytes

    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    api_fill(world, document_id, complete_data("concept_note"))
    letter = tmp_path / "barua-ya-utangulizi.pdf"
    letter.write_bytes(pdf_bytes(note="barua ya utangulizi"))
    officer = Person(chromium, live_server.url, "officer", VIEWPORTS[viewport])
    page = officer.page
    officer.go(f"/documents/{document_id}/check/")
    # Not sendable yet: the summary names the missing cover letter and links to the annexes.
    expect(page.locator("#error-summary")).to_contain_text("Barua ya utangulizi")
    assert page.locator("#send button").count() == 0
    officer.go(f"/documents/{document_id}/edit/")
    expect(page.locator("#annex-status-cover_letter")).to_have_text("Hakijaambatishwa")
    page.select_option("#id_annex_kind", "cover_letter")
    page.set_input_files("#id_annex_file", str(letter))
    page.click("#annex-upload button")
    page.wait_for_url(f"**/documents/{document_id}/edit/#annexes")
    expect(page.locator("#annex-status-cover_letter")).to_have_text("Kimeambatishwa")
    expect(page.locator("#annexes table")).to_contain_text("barua-ya-utangulizi.pdf")
    violations = axe_violations(page)
    assert violations == [], violations
    page.click("#send a.button")
    page.wait_for_url(f"**/documents/{document_id}/check/")
    page.click("#send button")
    page.wait_for_url(f"**/documents/{document_id}/")
    assert stored(document_id).status == Status.AWAITING_SIGNATURES
    assert stored(document_id).attachment_manifest[0]["kind"] == "cover_letter"
    officer.close()
