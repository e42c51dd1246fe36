"""The mailbox pages as their users see them (issue 15): the mail administrator's queue and
request page, and the mailbox panel on the document page for the servant and for a reviewer, in
every state, on a desktop (1366×768) and a 390-pixel phone, with JavaScript on and off. Nothing
is wider than the screen, each page has its headings, and axe-core finds no serious or critical
violation. Set IDHINI_SCREENSHOT_DIR to keep a full-page screenshot of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, drive, make_user, new_document, ok
from tests.portal.conftest import CHROMIUM
from tests.portal.test_officer_journeys import AXE, VIEWPORTS
from workflow.models import Role

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")

# Elements whose right edge passes the viewport's (a table cell, a long address, a button row).
TOO_WIDE = """(width) => [document.documentElement, ...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > width + 1
               && getComputedStyle(e).position !== "fixed")
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className)
  .concat(document.documentElement.scrollWidth > width ? ["scrollWidth"] : [])"""


def _approved(world, title: str):
    document = new_document(world, "email_account_request")
    document.title = title
    document.save(update_fields=["title"])
    return drive(world, document, "approved")


def _step(world, document, action: str, body: dict | None = None):
    url = f"/api/v1/documents/{document.pk}/mailbox/{action}/"
    ok(world.client(world.mail_admin).post(url, body or {}, format="json"))


@pytest.fixture
def mailboxes(world):
    world.mail_admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN, first_name="Neema")
    waiting = _approved(world, "Barua pepe ya Afisa Mpya wa Kitengo cha Ununuzi na Ugavi")
    claimed = _approved(world, "Barua pepe ya Mhasibu")
    _step(world, claimed, "claim")
    provisioned = _approved(world, "Barua pepe ya Asha")
    _step(world, provisioned, "claim")
    _step(world, provisioned, "provision", {"address": "asha.juma.mwinyimkuu@afya.go.tz"})
    refused = _approved(world, "Barua pepe ya Juma")
    _step(world, refused, "claim")
    _step(world, refused, "refuse", {"reason": "Mtumishi huyu ana akaunti tayari."})
    return {
        "mail_admin": [
            ("queue", "/mailboxes/"),
            ("queue-created", "/mailboxes/?status=provisioned"),
            ("waiting", f"/mailboxes/{waiting.pk}/"),
            ("claimed", f"/mailboxes/{claimed.pk}/"),
            ("provisioned", f"/mailboxes/{provisioned.pk}/"),
            ("document-refused", f"/documents/{refused.pk}/"),
        ],
        "officer": [  # filed them and signed first, as the servant
            ("document-provisioned", f"/documents/{provisioned.pk}/"),
            ("document-waiting", f"/documents/{waiting.pk}/"),
        ],
        "reviewer": [
            ("document-provisioned", f"/documents/{provisioned.pk}/"),
            ("document-refused", f"/documents/{refused.pk}/"),
        ],
        "": [  # anyone, from the QR code: the mailbox's state, not its address
            ("verify-provisioned", f"/verify/{provisioned.verification_code}/"),
            ("verify-waiting", f"/verify/{waiting.verification_code}/"),
        ],
    }


def _signed_in(chromium, base: str, username: str, viewport: dict, javascript: bool):
    context = chromium.new_context(
        java_script_enabled=javascript, locale="sw-TZ", viewport=viewport
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    if not username:
        return context, page
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_load_state()
    return context, page


def _shot(page, name: str) -> None:
    folder = os.environ.get("IDHINI_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_mailbox_pages_fit_and_pass_axe(live_server, mailboxes, chromium, size):
    viewport = VIEWPORTS[size]
    problems: list = []
    for username, pages in mailboxes.items():
        for javascript in (True, False):
            context, page = _signed_in(chromium, live_server.url, username, viewport, javascript)
            for name, path in pages:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (username, path)
                main = page.inner_text("main")
                assert page.locator("main h1").count() == 1, (username, path)
                if "mailboxes/" not in path or path.count("/") > 3:
                    assert page.locator("#mailbox, .facts").count() >= 1, (username, path)
                if name.startswith("verify-"):
                    assert "afya.go.tz" not in main, name
                _shot(
                    page, f"{username or 'public'}-{name}-{size}-{'js' if javascript else 'nojs'}"
                )
                if name == "claimed":  # the form to record the address, named and near the top
                    heading = page.inner_text("#mailbox-provision h2")
                    assert heading == "Hifadhi akaunti uliyoifungua", heading
                    assert "afya.go.tz" in page.inner_text("#mailbox-provision")
                if javascript:  # page.evaluate hangs in a context with JavaScript off
                    if name in ("claimed", "waiting"):
                        action = page.locator("#mailbox-provision, #mailbox-claim").bounding_box()
                        answers = page.locator("#answers-title").bounding_box()
                        assert action["y"] < answers["y"] < 10 * viewport["height"]
                        # On the phone too, the action starts on the first screen or the second.
                        assert action["y"] < 2 * viewport["height"], (name, action)
                    wide = page.evaluate(TOO_WIDE, viewport["width"])
                    if wide:
                        problems.append((username, name, "too wide", wide[:5]))
                    if not page.evaluate("typeof window.axe !== 'undefined'"):
                        page.evaluate(AXE.read_text())
                    found = page.evaluate(
                        """async () => (await axe.run(document, {resultTypes: ["violations"]}))
                        .violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.map(n => n.target.join(" "))}))"""
                    )
                    bad = [v for v in found if v["impact"] in ("serious", "critical")]
                    if bad:
                        problems.append((username, name, "axe", bad))
                assert "%(" not in main and "{{" not in main, (username, path)
            context.close()
    assert problems == []
