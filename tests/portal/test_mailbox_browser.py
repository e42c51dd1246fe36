"""The mail administrator's journey in a real browser with JavaScript off: the queue, claim, a
wrong domain refused beside the field, the address recorded; then the servant's own page."""

from __future__ import annotations

import pytest

from approvals.models import MailboxProvisioning
from tests.helpers import PASSWORD, drive, make_user, new_document
from tests.portal.conftest import CHROMIUM
from workflow.models import Role

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")

ADDRESS = "asha.juma@afya.go.tz"


def signed_in(chromium, base: str, username: str):
    context = chromium.new_context(java_script_enabled=False, locale="sw-TZ")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    return context, page


def test_a_mail_administrator_creates_the_mailbox_and_the_servant_sees_it(
    live_server, world, chromium
):
    make_user("mail_admin", world.ega, Role.MAIL_ADMIN, first_name="Neema")
    document = drive(world, new_document(world, "email_account_request"), "approved")
    base = live_server.url

    context, page = signed_in(chromium, base, "mail_admin")
    page.wait_for_url(base + "/mailboxes/")
    assert document.reference in page.inner_text("#mailboxes")
    page.click(f"form[action='/mailboxes/{document.pk}/claim/'] button")
    page.wait_for_url(f"{base}/mailboxes/{document.pk}/")
    assert "Umelichukua" in page.inner_text(".messages")

    page.fill("#id_address", "asha@gmail.com")
    page.click("#mailbox-provision button")
    error = page.inner_text("#mailbox-provision .errorlist")
    assert "gmail.com" in error and "afya.go.tz" in error
    assert MailboxProvisioning.objects.get(document=document).status == "claimed"

    page.fill("#id_address", ADDRESS)
    page.click("#mailbox-provision button")
    page.wait_for_url(f"{base}/mailboxes/{document.pk}/")
    assert "Akaunti ya barua pepe imefunguliwa" in page.inner_text("main")
    context.close()
    assert MailboxProvisioning.objects.get(document=document).address == ADDRESS

    context, page = signed_in(chromium, base, "officer")  # filed it, and signed first
    page.goto(f"{base}/documents/{document.pk}/")
    panel = page.inner_text("#mailbox")
    assert ADDRESS in panel and "Akaunti ya barua pepe imefunguliwa" in panel
    context.close()
