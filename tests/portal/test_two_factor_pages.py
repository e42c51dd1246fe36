"""Two-step verification in the pages: enrolment (QR code drawn here, the secret to type,
confirmed by a code, ten recovery codes shown once and downloadable), the login's second step
with and without the code and with a recovery code (once), the signatory sent to enrolment when
it is required, the code beside the password at signing and on the approval, and removing it.
A Chromium journey enrols and signs in with a code computed by the test (RFC 6238, django-otp's
maths), with axe-core on each page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from approvals.models import Signature, SignatureStatus
from tests.helpers import PASSWORD, act, drive, fill_checklist, new_document
from tests.portal.test_officer_journeys import Person, axe_violations
from tests.portal.web_helpers import browser
from tests.workflow.test_second_factor import code_of, enrol, fresh_code, wrong
from workflow.models import AuditEvent, Document
from workflow.recovery_codes import RecoveryCode, digests_of


def shown_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)


def text_file_of(html: str) -> str:
    href = re.search(r'id="recovery-codes-file" href="([^"]+)"', html).group(1)
    prefix = "data:text/plain;charset=utf-8,"
    assert unescape(href).startswith(prefix)
    return unquote(unescape(href)[len(prefix) :])


def password_step(client: Client, username: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, **extra})


def signed_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id).username if user_id else None


def test_enrolment_shows_the_qr_code_and_secret_and_gives_recovery_codes_once(world):
    client = browser(world.ict_head)
    page = client.get("/account/two-factor/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=world.ict_head, confirmed=False)

    assert page.status_code == 200
    assert '<svg width="' in html and 'class="qr"' in html  # drawn inline, nothing fetched
    assert "<img" not in html and "style=" not in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    assert len(secret.replace(" ", "")) == 32

    refused = client.post("/account/two-factor/", {"otp": wrong(code_of(device))})
    assert refused.status_code == 400 and "haulingani" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=world.ict_head, confirmed=True).exists()

    done = client.post("/account/two-factor/", {"otp": code_of(device)})
    html = done.content.decode()
    codes = shown_codes(html)
    stored = set(
        RecoveryCode.objects.filter(device__user=world.ict_head).values_list("digest", flat=True)
    )
    assert done.status_code == 200 and len(codes) == 10
    assert stored == {digests_of(code.replace("-", ""))[0] for code in codes}
    assert "no-store" in done["Cache-Control"]
    assert set(text_file_of(html).split()) >= set(codes)
    # Shown once: nothing kept in the session, and the old address shows nothing.
    assert not any(code in str(dict(client.session)) for code in codes)
    again = client.get("/account/two-factor/recovery-codes/")
    assert again.status_code == 302 and again["Location"] == "/account/two-factor/"
    assert not shown_codes(client.get("/account/two-factor/").content.decode())


def test_login_asks_the_code_after_the_password(world):
    enrol(world.reviewer)
    client = Client()

    first = password_step(client, "reviewer")
    assert first.status_code == 302 and first["Location"] == "/accounts/login/code/"
    assert signed_in_as(client) is None
    assert client.get("/").status_code == 302  # not signed in between the two steps

    without = client.post("/accounts/login/code/", {"otp": ""})
    bad = client.post("/accounts/login/code/", {"otp": wrong(fresh_code(world.reviewer))})
    assert without.status_code == 400 and "tarakimu 6" in without.content.decode()
    assert bad.status_code == 400 and "si sahihi" in bad.content.decode()
    assert signed_in_as(client) is None

    good = client.post("/accounts/login/code/", {"otp": fresh_code(world.reviewer)})
    assert good.status_code == 302 and signed_in_as(client) == "reviewer"


def test_login_without_an_authenticator_is_the_password_alone(world):
    client = Client()
    assert password_step(client, "officer")["Location"] == "/"
    assert signed_in_as(client) == "officer"


def test_a_recovery_code_signs_in_once(world):
    codes = enrol(world.reviewer)
    first = Client()
    password_step(first, "reviewer")
    assert first.post("/accounts/login/code/", {"otp": codes[3]}).status_code == 302
    assert signed_in_as(first) == "reviewer"

    second = Client()
    password_step(second, "reviewer")
    assert second.post("/accounts/login/code/", {"otp": codes[3]}).status_code == 400
    assert signed_in_as(second) is None


def test_ten_wrong_codes_at_login_lock_the_account(world):
    enrol(world.reviewer)
    client = Client()
    statuses = []
    for _ in range(10):
        password_step(client, "reviewer")
        statuses.append(client.post("/accounts/login/code/", {"otp": "123456"}).status_code)
    assert statuses[:9] == [400] * 9 and statuses[9] == 429
    assert password_step(client, "reviewer").status_code == 429  # the right password too


def test_a_signatory_without_an_authenticator_is_sent_to_enrolment_when_required(world, settings):
    document = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    if document.next_signer_id == world.officer.pk:
        act(world, world.officer, document.pk, "sign", {"password": PASSWORD})
    signer = get_user_model().objects.get(pk=Document.objects.get(pk=document.pk).next_signer_id)
    settings.REQUIRE_2FA = True
    client = Client()

    landed = password_step(client, signer.username)
    assert landed["Location"] == "/account/two-factor/" and signed_in_as(client) == signer.username

    refused = client.post(f"/documents/{document.pk}/actions/sign/", {"password": PASSWORD})
    assert refused.status_code == 403 and "hatua mbili" in refused.content.decode()
    signature = Signature.objects.get(document=document, signer=signer, active=True)
    assert signature.status == SignatureStatus.PENDING

    enrol(signer)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    sign_form = page.split('id="action-sign"')[1].split("</form>")[0]
    assert 'name="otp"' in sign_form and 'name="password"' in sign_form
    without = client.post(f"/documents/{document.pk}/actions/sign/", {"password": PASSWORD})
    assert without.status_code == 400
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING
    done = client.post(
        f"/documents/{document.pk}/actions/sign/", {"password": PASSWORD, "otp": fresh_code(signer)}
    )
    assert done.status_code == 302
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.SIGNED


def test_the_approval_asks_the_code_on_the_review_pages_confirmation(world):
    """The review page's decision panel: approving leads to the confirmation page, which asks
    the code; without it (or with a wrong one) the page again, 400, nothing decided."""
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    enrol(world.reviewer)
    client = browser(world.reviewer)
    decide = f"/documents/{document.pk}/review/decide/"

    confirm = client.post(decide, {"decision": "approve", "comment": "Sawa"})
    html = confirm.content.decode()
    assert (
        confirm.status_code == 200
        and 'name="otp"' in html
        and 'autocomplete="one-time-code"' in html
    )
    assert Document.objects.get(pk=document.pk).status == "under_review"
    confirmed = {"decision": "approve", "comment": "Sawa", "confirmed": "yes"}
    without = client.post(decide, confirmed)
    assert without.status_code == 400 and 'name="otp"' in without.content.decode()
    wrong_code = client.post(decide, {**confirmed, "otp": wrong(fresh_code(world.reviewer))})
    assert wrong_code.status_code == 400
    assert Document.objects.get(pk=document.pk).status == "under_review"
    done = client.post(decide, {**confirmed, "otp": fresh_code(world.reviewer)})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Document.objects.get(pk=document.pk).status == "approved"
    approval = AuditEvent.objects.filter(document=document, action="approve").get()
    assert approval.payload.get("comment") == "Sawa"


def test_the_person_removes_their_authenticator_with_a_code(world):
    enrol(world.reviewer)
    client = browser(world.reviewer)
    refused = client.post("/account/two-factor/remove/", {"otp": "000000"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=world.reviewer).exists()

    removed = client.post("/account/two-factor/remove/", {"otp": fresh_code(world.reviewer)})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.reviewer).exists()
    assert not RecoveryCode.objects.filter(device__user=world.reviewer).exists()


def test_new_recovery_codes_replace_the_old(world):
    old = enrol(world.reviewer)
    client = browser(world.reviewer)
    response = client.post("/account/two-factor/recovery-codes/new/", {"otp": old[0]})
    new = shown_codes(response.content.decode())
    assert response.status_code == 200 and len(set(new)) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(device__user=world.reviewer).count() == 10
    assert not any(code in str(dict(client.session)) for code in new)
    login = Client()
    password_step(login, "reviewer")
    assert login.post("/accounts/login/code/", {"otp": old[1]}).status_code == 400
    assert login.post("/accounts/login/code/", {"otp": new[1]}).status_code == 302


def test_in_english_the_pages_speak_english(world):
    client = browser(world.ict_head, language="en")
    html = client.get("/account/two-factor/").content.decode()
    assert "Set up two-step verification" in html and "Weka uthibitisho" not in html


@pytest.mark.django_db(transaction=True)
def test_enrolment_and_login_with_the_code_in_a_real_browser(live_server, world, chromium):
    base = live_server.url
    person = Person(chromium, base, "reviewer", {"width": 390, "height": 844})
    page = person.page
    page.click("header a[href='/account/two-factor/']")
    page.wait_for_url(base + "/account/two-factor/")
    assert page.locator("svg.qr").count() == 1
    assert axe_violations(page) == []
    device = TOTPDevice.objects.get(user=world.reviewer, confirmed=False)
    page.fill("#id_otp", code_of(device))
    page.click("form[action='/account/two-factor/'] button")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click("#recovery-codes-file")
    saved = download.value.path().read_text(encoding="utf-8")
    assert all(code in saved for code in page.locator("#recovery-codes code").all_inner_texts())
    page.click("main a[href='/']")
    page.wait_for_url(base + "/")
    page.click("form.logout button")

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/accounts/login/'] button")
    page.wait_for_url(base + "/accounts/login/code/")
    assert axe_violations(page) == []
    page.fill("#id_otp", fresh_code(world.reviewer))
    page.click("form[action='/accounts/login/code/'] button")
    page.wait_for_url(base + "/")
    assert page.locator("header .who").inner_text().strip() != ""
    person.close()


def test_the_admins_own_login_sends_a_person_with_an_authenticator_to_ours(world):
    admin = get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", PASSWORD)
    enrol(admin)
    client = Client()
    refused = client.post("/admin/login/", {"username": "msimamizi", "password": PASSWORD})
    assert signed_in_as(client) is None and "/accounts/login/" in refused.content.decode()
    password_step(client, "msimamizi", next="/admin/")
    done = client.post("/accounts/login/code/", {"otp": fresh_code(admin)})
    assert done["Location"] == "/admin/" and signed_in_as(client) == "msimamizi"
