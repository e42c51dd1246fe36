"""The document page for its author and its signatories: the reason at the top when it came back
(declined, rejected, returned) and in the author's home list, where it stands among the steps and
what happens next, a signing page that shows what is signed before the declaration and the
password, the page after signing, the PDF being prepared, names and dates as people read them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from approvals import services
from approvals.models import Signature
from portal import dates
from tests.helpers import PASSWORD, act, complete_data, fill_checklist, ok, upload_required
from tests.portal.web_helpers import (
    api_document,
    api_fill,
    awaiting_signatures,
    browser,
    stored,
    submitted,
)
from workflow.models import AuditEvent, Status

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def page_of(user, document_id: str, language: str | None = None) -> str:
    response = browser(user, language=language).get(f"/documents/{document_id}/")
    assert response.status_code == 200
    return text(response)


def declined(world) -> str:
    """The servant signs their mailbox request; their supervisor (ict_head) declines it."""
    document_id = awaiting_signatures(world)
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    reason = "Bajeti haijaeleza gharama za mafunzo."
    ok(act(world, world.ict_head, document_id, "decline", {"reason": reason}))
    return document_id


def under_review(world) -> str:
    document_id = submitted(world)
    ok(act(world, world.reviewer, document_id, "claim"))
    return document_id


@pytest.fixture(autouse=True)
def _fixtures(clean_cache):
    """The PDF tests render real previews; the pending marks live in the cache."""


def name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Reasons where people look ------------------------------------------------------------


def test_a_declined_document_shows_the_reason_who_when_and_what_next_at_the_top(world):
    world.ict_head.first_name, world.ict_head.last_name = "Neema", "Swai"
    world.ict_head.save()
    document_id = declined(world)
    page = page_of(world.officer, document_id)
    box = page.split('id="reason"')[1].split("</div>")[0]
    assert "Imekataliwa kusainiwa na Msimamizi wa mtumishi" in box
    assert "Bajeti haijaeleza gharama za mafunzo." in box
    assert "Neema Swai" in box and "ict_head" not in box
    assert dates.day(timezone.now(), "sw") in box
    assert "sasa hivi" in box or "iliyopita" in box
    assert f'href="/documents/{document_id}/edit/"' in box
    # At the top: before the steps, the summary and the answers.
    assert page.index('id="reason"') < page.index('id="progress"') < page.index('id="answers"')
    # And in the author's home list.
    home = text(browser(world.officer).get("/"))
    attention = home.split('id="attention"')[1].split("</section>")[0]
    assert "Bajeti haijaeleza gharama za mafunzo." in attention
    assert f'href="/documents/{document_id}/"' in attention
    # Sent again: the reason is history, not news.
    ok(act(world, world.officer, document_id, "request-signatures"))
    assert 'id="reason"' not in page_of(world.officer, document_id)
    assert 'id="attention"' not in text(browser(world.officer).get("/"))


def test_a_rejected_document_shows_the_reason_at_the_top_and_in_the_home_list(world):
    document_id = under_review(world)
    ok(act(world, world.reviewer, document_id, "reject", {"reason": "Mfumo kama huu upo tayari."}))
    page = page_of(world.officer, document_id)
    box = page.split('id="reason"')[1].split("</div>")[0]
    assert "Imekataliwa na Mamlaka" in box and "Mfumo kama huu upo tayari." in box
    assert "Andaa hati mpya" in box
    home = text(browser(world.officer).get("/"))
    assert "Mfumo kama huu upo tayari." in home.split('id="attention"')[1]
    # Only the author is told what to do; a colleague sees the reason without the button.
    colleague = page_of(world.ict_head, document_id).split('id="reason"')[1].split("</div>")[0]
    assert "Mfumo kama huu upo tayari." in colleague and "Andaa hati mpya" not in colleague


def test_a_returned_document_shows_the_agencys_comment_at_the_top(world):
    document_id = under_review(world)
    ok(act(world, world.reviewer, document_id, "request-changes", {"comment": "Eleza zaidi."}))
    page = page_of(world.officer, document_id)
    assert page.index('id="change-request"') < page.index('id="progress"')
    box = page.split('id="change-request"')[1].split("</div>")[0]
    assert "Imerudishwa na Mamlaka kwa marekebisho" in box and "Eleza zaidi." in box


def test_the_home_list_of_reasons_costs_the_same_for_one_and_for_many(world):
    declined(world)
    client = browser(world.officer)
    client.get("/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    one = count()
    for _ in range(4):
        declined(world)
    assert count() == one
    assert text(client.get("/")).split('id="attention"')[1].count('class="reason-box') == 5


# --- Steps and next steps -----------------------------------------------------------------


def steps_of(page: str) -> list[tuple[str, str]]:
    block = page.split('<ol class="steps">')[1].split("</ol>")[0]
    return re.findall(r'<li class="step (\w+)"[^>]*>.*?</span>([^<]+)</li>', block, re.S)


def test_every_document_page_shows_the_steps_and_who_holds_it(world):
    draft = api_document(world)
    assert [s for s, _ in steps_of(page_of(world.officer, draft))] == [
        "current",
        "todo",
        "todo",
        "todo",
        "todo",
    ]
    waiting = awaiting_signatures(world)
    page = page_of(world.officer, waiting)
    assert steps_of(page)[1] == ("current", "Sahihi")
    assert 'aria-current="step"' in page
    progress = page.split('id="progress"')[1].split("</section>")[0]
    assert name(world.officer) in progress  # the author signs first
    sent = under_review(world)
    page = page_of(world.officer, sent)
    assert [s for s, _ in steps_of(page)] == ["done", "done", "done", "current", "todo"]
    fill_checklist(sent, by=world.reviewer)
    ok(act(world, world.reviewer, sent, "approve", {"comment": ""}))
    assert steps_of(page_of(world.officer, sent))[-1] == ("done", "Imeidhinishwa")


def test_after_each_action_the_page_says_what_happens_next(world):
    document_id = api_document(world)
    api_fill(world, document_id, complete_data("email_account_request"))
    client = browser(world.officer)
    response = client.post(f"/documents/{document_id}/check/", follow=True)
    assert "Imetumwa kwa ajili ya sahihi." in text(response)
    assert "unasaini kwanza" in text(response)
    # The mailbox chain: the servant, their supervisor, the head of human resources.
    for signer in (world.officer, world.ict_head, world.hr_head):
        browser(signer).post(f"/documents/{document_id}/actions/sign/", {"password": PASSWORD})
    response = client.post(f"/documents/{document_id}/actions/submit/", follow=True)
    reference = stored(document_id).reference
    assert f"Imewasilishwa kwa Mamlaka kwa namba {reference}" in text(response)


# --- Signing ------------------------------------------------------------------------------


def test_the_signatory_sees_the_summary_then_the_document_then_the_declaration_and_password(world):
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    data = complete_data("concept_note")
    data["total_budget"] = 250_000_000
    # One line of 250,000,000 (quantity × unit cost), adding up to the total.
    data["budget_items"][0].update(quantity=1, unit_cost=250_000_000, amount=250_000_000)
    api_fill(world, document_id, data)
    upload_required(world, world.officer, document_id, "concept_note")
    ok(act(world, world.officer, document_id, "request-signatures"))
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    ok(act(world, world.system_owner, document_id, "sign", {"password": PASSWORD}))
    page = page_of(world.ict_head, document_id)
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "250,000,000" in summary and "Dhana ya maabara" in summary
    assert "Wizara ya Afya" in summary and "2027-01-15" in summary
    positions = [
        page.index('id="your-signature"'),
        page.index('id="summary"'),
        page.index('id="answers"'),
        page.index('id="declaration"'),
        page.index('name="password"'),
    ]
    assert positions == sorted(positions)
    declaration = page.split('id="declaration">')[1].split("</p>")[0]
    assert declaration == "Nimesoma hati hii na ninaiidhinisha kama Mkuu wa Kitengo cha TEHAMA."
    sign = page.split('id="sign"')[1].split("</section>")[0]
    assert 'id="action-decline"' in sign and 'name="reason"' in sign
    english = page_of(world.ict_head, document_id, language="en")
    assert "I have read this document and I approve it as Head of ICT." in english
    # Only the one whose turn it is.
    assert 'id="declaration"' not in page_of(world.accounting_officer, document_id)


def test_after_signing_the_next_document_waiting_is_offered_or_nothing_else_waits(world):
    first, second = awaiting_signatures(world), awaiting_signatures(world)
    for document_id in (first, second):
        for signer in (world.officer, world.ict_head):  # the servant, their supervisor
            ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    client = browser(world.hr_head)
    response = client.post(f"/documents/{first}/actions/sign/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == f"/documents/{first}/signed/"
    assert Signature.objects.get(document_id=first, signer=world.hr_head).signed_at
    assert AuditEvent.objects.filter(document_id=first, action="sign").count() == 3
    page = text(client.get(response["Location"]))
    assert "Mkuu wa Idara ya Utawala na Usimamizi wa Rasilimali Watu" in page
    nxt = page.split('id="next-document"')[1].split("</section>")[0]
    assert f'href="/documents/{second}/#your-signature"' in nxt
    response = client.post(f"/documents/{second}/actions/sign/", {"password": PASSWORD})
    page = text(client.get(response["Location"]))
    assert "Hakuna hati nyingine inayokusubiri" in page
    assert stored(second).status == Status.SIGNED
    # Not theirs: back to the document.
    assert browser(world.accounting_officer).get(f"/documents/{first}/signed/").status_code == 302


# --- The PDF ------------------------------------------------------------------------------


def test_the_pdf_buttons_in_both_languages_give_the_file(world):
    document_id = api_document(world)
    page = page_of(world.officer, document_id)
    assert f'href="/documents/{document_id}/pdf/?lang=sw"' in page
    assert f'href="/documents/{document_id}/pdf/?lang=en"' in page
    for lang in ("sw", "en"):
        response = browser(world.officer).get(f"/documents/{document_id}/pdf/?lang={lang}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content.startswith(b"%PDF-")
    assert browser(world.officer_moe).get(f"/documents/{document_id}/pdf/").status_code == 404


def test_a_pdf_being_prepared_is_a_page_that_looks_again_until_the_file_is_there(world, use_broker):
    document_id = api_document(world)
    use_broker("memory://")  # a broker, and no worker yet
    client = browser(world.officer)
    response = client.get(f"/documents/{document_id}/pdf/?lang=sw")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = text(response)
    assert "http-equiv" not in page  # no page reloading itself on a timer (WCAG 2.2.1)
    status = page.split('id="pdf-status"')[1].split("</div>")[0]
    again = f"/documents/{document_id}/pdf/?lang=sw&amp;waited=1"
    assert f'hx-get="{again}" hx-trigger="every 5s"' in status
    assert f'href="{again}"' in status  # without JavaScript, a link asks again
    assert "inaandaliwa" in status and 'role="status"' in status
    # htmx's poll gets the status part alone, still pending.
    part = text(
        client.get(f"/documents/{document_id}/pdf/?lang=sw&waited=1", HTTP_HX_REQUEST="true")
    )
    assert part.lstrip().startswith('<div id="pdf-status"') and "hx-trigger" in part
    # The worker's turn (its task's body: Celery's own run would close this test's connection).
    services.preview_pdf_render(document=stored(document_id), lang="sw")
    part = text(
        client.get(f"/documents/{document_id}/pdf/?lang=sw&waited=1", HTTP_HX_REQUEST="true")
    )
    assert "hx-trigger" not in part  # the polling stops
    assert f'href="/documents/{document_id}/pdf/?lang=sw" id="pdf-download"' in part
    ready = text(client.get(f"/documents/{document_id}/pdf/?lang=sw&waited=1"))
    assert 'id="pdf-download"' in ready
    assert client.get(f"/documents/{document_id}/pdf/?lang=sw")["Content-Type"] == "application/pdf"


# --- People and dates ---------------------------------------------------------------------


def test_names_not_usernames_in_the_history_and_signatures(world):
    world.officer.first_name, world.officer.last_name = "Amina", "Mollel"
    world.officer.save()
    document_id = awaiting_signatures(world)
    page = page_of(world.ict_head, document_id)
    history = page.split('id="history"')[1].split("</section>")[0]
    assert "Amina Mollel" in history and "— officer" not in history
    signatures = page.split('id="signatures"')[1].split("</section>")[0]
    assert "Amina Mollel" in signatures


def test_one_date_format_per_language_and_relative_times():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 10, 42))
    with translation.override("sw"):
        assert dates.when(moment) == "2 Desemba 2026, 10:42"
        assert dates.ago(moment, moment + datetime.timedelta(days=3)) == "siku 3 zilizopita"
        assert dates.ago(moment, moment + datetime.timedelta(days=1)) == "siku 1 iliyopita"
        assert dates.ago(moment, moment + datetime.timedelta(minutes=5)) == "dakika 5 zilizopita"
        assert dates.ago(moment, moment + datetime.timedelta(seconds=5)) == "sasa hivi"
        assert dates.ago(moment, moment + datetime.timedelta(days=40)) == "2 Desemba 2026"
    with translation.override("en"):
        assert dates.when(moment) == "2 December 2026, 10:42"
        assert dates.ago(moment, moment + datetime.timedelta(hours=2)) == "2 hours ago"
