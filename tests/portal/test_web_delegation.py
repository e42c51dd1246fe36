"""Kaimu on the person's own page (the notifications page): list, name an acting officer with
date inputs, errors beside the inputs and linked from the summary, withdraw; the acting officer's
inbox says for whom, the document page names both people. Without JavaScript; a browser run
walks the journey (name an acting officer, the acting officer signs in the page)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from approvals.models import Delegation
from tests.helpers import PASSWORD, act, make_user, ok
from tests.portal.conftest import CHROMIUM
from tests.portal.test_officer_journeys import axe_violations
from tests.portal.web_helpers import awaiting_signatures, browser
from workflow.models import Document, Role

pytestmark = pytest.mark.django_db


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def deputy(world):
    return make_user("naibu", world.moh, Role.OFFICER, first_name="Asha", last_name="Juma")


def test_a_signatory_names_an_acting_officer_and_withdraws_it(world, deputy):
    client = browser(world.accounting_officer)
    page = client.get("/notifications/").content.decode()
    assert 'id="kaimu"' in page and 'type="date"' in page
    assert '<option value="naibu">Asha Juma</option>' in page
    response = client.post(
        "/kaimu/", {"acting": "naibu", "starts_on": _day(0), "ends_on": _day(4)}, follow=True
    )
    assert "Asha Juma atasaini kwa niaba yako" in response.content.decode()
    delegation = Delegation.objects.get()
    assert (delegation.principal_id, delegation.acting_id) == (
        world.accounting_officer.pk,
        deputy.pk,
    )
    assert "Unatumika" in response.content.decode()
    response = client.post(f"/kaimu/{delegation.pk}/withdraw/", follow=True)
    assert "Ukaimu umeondolewa." in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.withdrawn_by_id == world.accounting_officer.pk


def test_a_refused_delegation_shows_the_error_beside_the_input_and_in_the_summary(world, deputy):
    client = browser(world.accounting_officer)
    response = client.post("/kaimu/", {"acting": "naibu", "starts_on": _day(3), "ends_on": _day(1)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert '<a href="#id_ends_on">Siku ya mwisho haiwezi kuwa kabla ya siku ya kwanza.</a>' in page
    assert 'id="id_ends_on-error"' in page
    assert Delegation.objects.count() == 0


def test_naming_a_kaimu_who_is_away_themself_is_refused_beside_the_input(world, deputy):
    ok(
        world.client(world.ict_head).post(
            "/api/v1/delegations/",
            {"acting": "naibu", "starts_on": _day(0), "ends_on": _day(5)},
            format="json",
        ),
        201,
    )
    client = browser(world.accounting_officer)
    body = {"acting": "ict_head", "starts_on": _day(2), "ends_on": _day(3)}
    response = client.post("/kaimu/", body)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_acting-error"' in page and '<a href="#id_acting">' in page
    assert "kaimu hawezi kukabidhi ukaimu kwa mwingine" in page
    assert Delegation.objects.filter(principal=world.accounting_officer).count() == 0


def test_an_officer_who_does_not_sign_sees_no_kaimu_form(world):
    page = browser(world.officer).get("/notifications/").content.decode()
    assert 'id="kaimu"' not in page


def test_the_acting_officers_inbox_and_the_document_page_name_both(world, deputy):
    ok(
        world.client(world.hr_head).post(
            "/api/v1/delegations/",
            {"acting": "naibu", "starts_on": _day(0), "ends_on": _day(2)},
            format="json",
        ),
        201,
    )
    document_id = awaiting_signatures(world)
    # The servant and their supervisor sign: the head of human resources' turn.
    for signer in (world.officer, world.ict_head):
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    client = browser(deputy)
    home = client.get("/").content.decode()
    assert "kaimu kwa hr_head" in home
    page = client.get(f"/documents/{document_id}/").content.decode()
    assert 'id="action-sign"' in page
    assert "kaimu kwa hr_head" in page
    response = client.post(
        f"/documents/{document_id}/actions/sign/", {"password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert Document.objects.get(pk=document_id).status == "signed"
    page = client.get(f"/documents/{document_id}/").content.decode()
    assert "Imesainiwa na Asha Juma, kaimu kwa hr_head" in page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_in_a_browser_a_signatory_names_a_kaimu_who_then_signs(live_server, world, chromium):
    deputy = make_user("naibu", world.moh, Role.OFFICER, first_name="Asha", last_name="Juma")
    document_id = awaiting_signatures(world)
    # The servant and their supervisor sign: the head of human resources' turn.
    for signer in (world.officer, world.ict_head):
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    context = chromium.new_context(java_script_enabled=False, locale="sw-TZ")
    page = context.new_page()
    page.set_default_timeout(20_000)
    base = live_server.url

    def login(username):
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("form[action='/accounts/login/'] button")
        page.wait_for_url(base + "/")

    try:
        login("hr_head")
        page.goto(base + "/notifications/")
        page.select_option("#id_acting", "naibu")
        page.fill("#id_starts_on", _day(0))
        page.fill("#id_ends_on", _day(3))
        page.click("#kaimu form[action='/kaimu/'] button")
        page.wait_for_url(base + "/notifications/")
        assert "Asha Juma" in page.locator("#kaimu table").inner_text()
        assert axe_violations(page) == []  # checked in a copy that runs scripts
        page.click("form[action='/accounts/logout/'] button")

        login(deputy.username)
        inbox = page.locator("#inbox")
        assert "kaimu kwa hr_head" in inbox.inner_text()
        inbox.locator("a").first.click()
        page.wait_for_url(f"{base}/documents/{document_id}/")
        page.fill("#action-sign input[type=password]", PASSWORD)
        page.click("#action-sign button")
        page.wait_for_load_state()
        assert Document.objects.get(pk=document_id).status == "signed"
        page.goto(f"{base}/documents/{document_id}/")
        assert "kaimu kwa hr_head" in page.locator("#signatures").inner_text()
    finally:
        context.close()
