"""The browser pages: who sees which page, what is on it, and what a page of 50 costs."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Signature
from tests.helpers import PASSWORD, act, complete_data, create_project, ok, upload_required
from tests.portal.web_helpers import (
    api_document,
    api_fill,
    awaiting_signatures,
    browser,
    submitted,
)
from workflow.models import Document, Status
from workflow.services import document_create

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


# --- Signing in ----------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_the_login_page(world):
    document_id = api_document(world)
    project = create_project(world)
    client = browser()
    for url in (
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        f"/documents/{document_id}/",
        f"/documents/{document_id}/edit/",
        "/documents/new/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post(f"/documents/{document_id}/actions/withdraw/")
    assert response.status_code == 302
    assert stored_status(document_id) == Status.DRAFT


def stored_status(document_id) -> str:
    return Document.objects.get(pk=document_id).status


def test_a_person_signs_in_with_the_login_form_and_signs_out_with_a_post(world):
    client = browser()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="password"' in text(page)
    wrong = client.post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert wrong.status_code == 200
    assert "errorlist" in text(wrong)
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert 'action="/accounts/logout/"' in text(home)
    assert client.get("/accounts/logout/").status_code == 405  # signing out is a POST
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert client.get("/").status_code == 302


# --- Dashboard -----------------------------------------------------------------------------------


def test_the_officer_dashboard_lists_the_institutions_documents_projects_and_forms(world):
    project = create_project(world, name="Mfumo wa Maabara")
    ours = api_document(world, "concept_note", project=project, title="Dhana ya maabara")
    theirs = api_document(world, user=world.officer_moe, title="Ombi la Elimu")
    response = browser(world.officer).get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Dhana ya maabara" in page and f"/documents/{ours}/" in page
    assert "Mfumo wa Maabara" in page and f"/projects/{project.pk}/" in page
    assert "Ombi la Elimu" not in page and theirs not in page
    assert 'action="/documents/new/"' in page and 'action="/projects/new/"' in page
    assert 'name="type"' in page and 'value="implementation_report"' in page


def test_the_dashboard_filters_documents_by_status_and_type(world):
    api_document(world, title="Ombi la rasimu")
    sent = awaiting_signatures(world)
    Document.objects.filter(pk=sent).update(title="Ombi lililotumwa")
    client = browser(world.officer)
    listed = section(text(client.get("/?status=awaiting_signatures")), "documents")
    assert "Ombi lililotumwa" in listed and "Ombi la rasimu" not in listed
    listed = section(text(client.get("/?type=concept_note")), "documents")
    assert "Ombi lililotumwa" not in listed and "Ombi la rasimu" not in listed
    bad = client.get("/?status=nonsense")
    assert bad.status_code == 400
    assert "Hali “nonsense” haijulikani" in text(bad)  # the selector's message, in Swahili


def test_a_signatory_sees_what_waits_for_their_signature(world):
    document_id = awaiting_signatures(world)
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    # The servant has signed: their supervisor (ict_head) is next.
    page = text(browser(world.ict_head).get("/"))
    assert f"/documents/{document_id}/" in section(page, "inbox")
    # Not yet the head of human resources' turn, and never the accounting officer's (the
    # e-mail request has no such signatory).
    assert f"/documents/{document_id}/" not in section(
        text(browser(world.hr_head).get("/")), "inbox"
    )
    page = text(browser(world.accounting_officer).get("/"))
    assert f"/documents/{document_id}/" not in section(page, "inbox")
    # A signatory may start an e-mail account request, not a project document.
    new_document = page.split('action="/documents/new/"', 1)[1].split("</form>", 1)[0]
    assert 'value="email_account_request"' in new_document
    assert 'value="concept_note"' not in new_document


def test_a_reviewer_gets_the_review_queue_with_filters(world):
    moh = submitted(world)
    mine = submitted(world)
    ok(act(world, world.reviewer, mine, "claim"))
    client = browser(world.reviewer)
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert moh in page and mine in page
    assert f'action="/documents/{moh}/actions/claim/"' in page
    assert f'action="/documents/{mine}/actions/claim/"' not in page

    def ids(query: str) -> set[str]:
        body = text(client.get("/" + query))
        return {d for d in (moh, mine) if f"/documents/{d}/" in body}

    assert ids("?assignee=me") == {mine}
    assert ids("?assignee=none") == {moh}
    assert ids("?status=under_review") == {mine}
    assert ids("?status=submitted") == {moh}
    assert ids("?institution=MOE") == set()
    assert ids("?institution=MOH&type=email_account_request") == {moh, mine}
    assert ids("?type=concept_note") == set()
    assert browser(world.reviewer2).get("/?assignee=me").status_code == 200
    bad = client.get("/?status=draft")
    assert bad.status_code == 400
    assert "Foleni ina hati zilizowasilishwa" in text(bad)


def test_the_review_queue_is_paginated(world):
    make_documents(world, 30, Status.SUBMITTED)
    client = browser(world.reviewer)
    first = text(client.get("/"))
    second = text(client.get("/?page=2"))
    assert first.count('actions/claim/"') == 25
    assert second.count('actions/claim/"') == 5
    assert "?page=2" in first
    assert client.get("/?page=99").status_code == 200


# --- Projects and documents: who may see them ---------------------------------------------------


def test_the_project_page_is_for_its_institution_only(world):
    project = create_project(world, name="Mfumo wa Dawa")
    document_id = api_document(world, "concept_note", project=project, title="Dhana ya dawa")
    response = browser(world.officer).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    assert "Mfumo wa Dawa" in text(response) and f"/documents/{document_id}/" in text(response)
    assert browser(world.ict_head).get(f"/projects/{project.pk}/").status_code == 200
    assert browser(world.officer_moe).get(f"/projects/{project.pk}/").status_code == 404
    assert browser(world.officer).get(f"/projects/{uuid.uuid4()}/").status_code == 404
    assert browser(world.officer).get("/projects/not-a-uuid/").status_code == 404
    listing = text(browser(world.officer_moe).get("/projects/"))
    assert "Mfumo wa Dawa" not in listing


def test_the_document_page_is_for_its_institution_and_the_agency_after_submission(world):
    document_id = api_document(world)
    url = f"/documents/{document_id}/"
    assert browser(world.officer).get(url).status_code == 200
    assert browser(world.ict_head).get(url).status_code == 200
    assert browser(world.officer_moe).get(url).status_code == 404
    assert browser(world.reviewer).get(url).status_code == 404  # drafts are not the agency's
    assert browser(world.officer).get(f"/documents/{uuid.uuid4()}/").status_code == 404
    assert browser(world.officer).get("/documents/x/").status_code == 404
    assert browser(world.officer).get(f"{url}edit/").status_code == 200
    assert browser(world.officer_moe).get(f"{url}edit/").status_code == 404


def test_the_agency_sees_a_document_once_it_is_submitted(world):
    document_id = submitted(world)
    response = browser(world.reviewer).get(f"/documents/{document_id}/")
    assert response.status_code == 200
    page = text(response)
    assert Document.objects.get(pk=document_id).reference in page
    assert f'action="/documents/{document_id}/actions/claim/"' in page
    assert browser(world.officer_moe).get(f"/documents/{document_id}/").status_code == 404


def test_the_document_page_shows_answers_signatures_history_and_downloads(world):
    document_id = api_document(world, "concept_note", title="Dhana ya HMIS")
    data = complete_data("concept_note", rows=2)
    data["total_budget"] = 250_000_000
    # The total must be the lines' sum, each line its quantity × unit cost, before the document
    # can go for signature.
    data["budget_items"][0].update(quantity=2, unit_cost=50_000_000, amount=100_000_000)
    data["budget_items"][1].update(quantity=1, unit_cost=150_000_000, amount=150_000_000)
    data["funding_source"] = "development_partner"
    api_fill(world, document_id, data)
    upload_required(world, world.officer, document_id, "concept_note")
    ok(act(world, world.officer, document_id, "request-signatures"))
    ok(act(world, world.officer, document_id, "sign", {"password": PASSWORD}))
    page = text(browser(world.ict_head).get(f"/documents/{document_id}/"))
    # Labels from the definition (Swahili by default), choices by label, money grouped.
    assert "Tatizo linalotatuliwa" in page
    assert "Mshirika wa maendeleo" in page
    assert "250,000,000" in page
    assert "Vipengele vya bajeti" in page and page.count('data-label="Kipengele"') == 2
    # Signatures in order with their status, and the history.
    signatures = section(page, "signatures")
    assert signatures.index("Afisa wa mradi") < signatures.index("Mkuu wa Kitengo cha TEHAMA")
    assert "sig-signed" in signatures and "sig-pending" in signatures
    history = section(page, "history")
    assert history.count("<li>") == 5  # create, edit, attachment-add, request-signatures, sign
    assert f"/api/v1/documents/{document_id}/pdf/" in page
    assert f"/api/v1/documents/{document_id}/docx/" in page


def test_the_page_offers_exactly_the_actions_the_person_may_take(world):
    document_id = awaiting_signatures(world)
    url = f"/documents/{document_id}/"

    def offered(user) -> set[str]:
        page = text(browser(user).get(url))
        return {
            action
            for action in (
                "request-signatures",
                "sign",
                "decline",
                "submit",
                "withdraw",
                "claim",
                "release",
                "approve",
                "reject",
                "request-changes",
            )
            if f'id="action-{action}"' in page
        }

    assert offered(world.officer) == {"sign", "decline", "withdraw"}
    # The later signatories (the supervisor, the head of human resources) may decline already.
    assert offered(world.ict_head) == {"decline"}
    assert offered(world.hr_head) == {"decline"}
    assert offered(world.accounting_officer) == set()


def test_every_change_needs_the_csrf_token(world):
    document_id = api_document(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    assert client.post(f"/documents/{document_id}/actions/withdraw/").status_code == 403
    assert client.post("/projects/new/", {"name": "Mradi"}).status_code == 403
    assert stored_status(document_id) == Status.DRAFT
    page = text(client.get(f"/documents/{document_id}/"))
    assert page.count('name="csrfmiddlewaretoken"') >= page.count('method="post"')


def test_actions_are_posts_only_and_unknown_actions_are_404(world):
    document_id = api_document(world)
    client = browser(world.officer)
    assert client.get(f"/documents/{document_id}/actions/withdraw/").status_code == 405
    assert client.post(f"/documents/{document_id}/actions/explode/").status_code == 404
    assert stored_status(document_id) == Status.DRAFT


# --- Cost: a page of 50 costs what a page of 10 costs ----------------------------------------


def make_documents(world, count: int, status: str) -> None:
    """``count`` e-mail requests of MOH in ``status`` with their signature rows (rows only: the
    lifecycle is tested elsewhere; this is about what listing them costs)."""
    now = timezone.now()
    start = Document.objects.count()
    documents = []
    for index in range(start, start + count):
        document = document_create(
            type="email_account_request", title=f"Ombi {index}", project_id=None, by=world.officer
        )
        document.status = status
        if status == Status.AWAITING_SIGNATURES:
            document.next_signer = world.officer
        else:
            document.reference = f"EGA/EM/2026/{index + 1:04d}"
            document.submitted_at = document.last_submitted_at = now
        document.save()
        documents.append(document)
    Signature.objects.bulk_create(
        Signature(
            document=document,
            version=1,
            role=role,
            order=order,
            signer=signer,
            content_hash=document.content_hash,
        )
        for document in documents
        for order, role, signer in (
            (1, "author", world.officer),
            (2, "accounting_officer", world.accounting_officer),
        )
    )


def queries_for(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_dashboard_costs_the_same_for_10_and_50_documents(world):
    create_project(world)
    make_documents(world, 10, Status.AWAITING_SIGNATURES)
    client = browser(world.officer)
    client.get("/")  # the session is warm, as it is for a person
    ten = queries_for(client, "/")
    make_documents(world, 40, Status.AWAITING_SIGNATURES)
    fifty = queries_for(client, "/")
    assert len(ten) == len(fifty), "\n".join(fifty)
    assert len(fifty) <= 12


def test_the_review_queue_costs_the_same_for_10_and_50_documents(world):
    make_documents(world, 10, Status.SUBMITTED)
    client = browser(world.reviewer)
    client.get("/")
    ten = queries_for(client, "/")
    make_documents(world, 40, Status.SUBMITTED)
    fifty = queries_for(client, "/")
    assert len(ten) == len(fifty), "\n".join(fifty)
    assert len(fifty) <= 10
