"""Actions from the document page: each POSTs to a view that calls the same service as the API,
so it leaves the same audit event; a refusal is a message on the re-rendered page, never a 500."""

from __future__ import annotations

import pytest

from approvals.models import Review, Signature
from forms_templates.registry import get_type
from tests.helpers import PASSWORD, act, complete_data, ok
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


def post_action(user, document_id: str, action: str, body: dict | None = None):
    return browser(user).post(f"/documents/{document_id}/actions/{action}/", body or {})


def events(document_id: str) -> list[tuple]:
    return [
        (e.action, e.actor_username, e.from_status, e.to_status, e.version, e.payload)
        for e in AuditEvent.objects.filter(document_id=document_id).order_by("seq")
    ]


def twin_drafts(world) -> tuple[str, str]:
    """Two identical, complete e-mail requests: the same title and data, so the same hash."""
    ids = []
    for _ in range(2):
        document_id = api_document(world, "email_account_request", title="Ombi la barua pepe")
        api_fill(world, document_id, complete_data("email_account_request"))
        ids.append(document_id)
    return ids[0], ids[1]


def test_signing_and_declining_in_the_browser_write_the_same_audit_events_as_the_api(world):
    through_api, through_web = twin_drafts(world)
    ok(act(world, world.officer, through_api, "request-signatures"))
    ok(act(world, world.officer, through_api, "sign", {"password": PASSWORD}))
    # The servant's supervisor (ict_head) declines.
    ok(act(world, world.ict_head, through_api, "decline", {"reason": "Haijakamilika"}))

    response = post_action(world.officer, through_web, "request-signatures")
    assert response.status_code == 302 and response["Location"] == f"/documents/{through_web}/"
    response = post_action(world.officer, through_web, "sign", {"password": PASSWORD})
    assert response.status_code == 302
    response = post_action(world.ict_head, through_web, "decline", {"reason": "Haijakamilika"})
    assert response.status_code == 302
    assert events(through_web) == events(through_api)
    assert stored(through_web).status == Status.DRAFT


def test_the_agencys_decisions_in_the_browser_write_the_same_audit_events_as_the_api(world):
    through_api, through_web = submitted(world), submitted(world)
    body = {"comment": "Rekebisha sehemu mbili", "field_comments": {"justification": "Fupi"}}
    ok(act(world, world.reviewer, through_api, "claim"))
    ok(act(world, world.reviewer, through_api, "release"))
    ok(act(world, world.reviewer, through_api, "claim"))
    ok(act(world, world.reviewer, through_api, "request-changes", body))

    assert post_action(world.reviewer, through_web, "claim").status_code == 302
    assert post_action(world.reviewer, through_web, "release").status_code == 302
    assert post_action(world.reviewer, through_web, "claim").status_code == 302
    response = post_action(
        world.reviewer,
        through_web,
        "request-changes",
        {"comment": "Rekebisha sehemu mbili", "fc-justification": "Fupi", "fc-full_name": ""},
    )
    assert response.status_code == 302

    def decisions(document_id):
        # The reference differs between the two documents; everything else is the same.
        return [event for event in events(document_id) if event[0] != "submit"]

    assert decisions(through_web) == decisions(through_api)
    review = Review.objects.get(document_id=through_web)
    assert review.field_comments == {"justification": "Fupi"}


def test_a_document_goes_from_draft_to_approved_in_the_browser(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    api_fill(world, document_id, complete_data("email_account_request"))
    steps = [
        (world.officer, "request-signatures", {}),
        # The mailbox chain: the servant, their supervisor, the head of human resources.
        (world.officer, "sign", {"password": PASSWORD}),
        (world.ict_head, "sign", {"password": PASSWORD}),
        (world.hr_head, "sign", {"password": PASSWORD}),
        (world.officer, "submit", {}),
        (world.reviewer, "claim", {}),
        (world.reviewer, "approve", {"comment": "Imekubaliwa"}),
    ]
    for user, action, body in steps:
        if action == "approve":
            # The checklist, marked through the page's panel as the reviewer does.
            marks = {f"mark-{c.key}": "met" for c in get_type("email_account_request").checklist}
            response = browser(user).post(f"/documents/{document_id}/checklist/", marks)
            assert response.status_code == 302, text(response)
        response = post_action(user, document_id, action, body)
        assert response.status_code == 302, (action, text(response))
    document = stored(document_id)
    assert document.status == Status.APPROVED and document.verification_code
    page = text(browser(world.officer).get(f"/documents/{document_id}/"))
    assert document.reference in page and document.verification_code in page
    assert "Imekubaliwa" in page
    trail = [a for _, a, _ in steps]
    trail.insert(-1, "checklist")
    assert [e[0] for e in events(document_id)][-len(trail) :] == trail


def test_signing_with_a_wrong_password_shows_the_error_and_changes_nothing(world):
    document_id = awaiting_signatures(world)
    before = events(document_id)
    response = post_action(world.officer, document_id, "sign", {"password": "si-sahihi"})
    assert response.status_code == 400
    page = text(response)
    sign_form = page.split('id="action-sign"')[1].split("</form>")[0]
    assert "errorlist" in sign_form
    assert 'value="si-sahihi"' not in page  # a password is never sent back
    assert events(document_id) == before
    assert not Signature.objects.filter(document_id=document_id, status="signed").exists()
    assert stored(document_id).next_signer == world.officer


def test_declining_without_a_reason_is_refused_next_to_the_reason(world):
    document_id = awaiting_signatures(world)
    response = post_action(world.hr_head, document_id, "decline", {"reason": " "})
    assert response.status_code == 400
    decline_form = text(response).split('id="action-decline"')[1].split("</form>")[0]
    assert "errorlist" in decline_form
    assert stored(document_id).status == Status.AWAITING_SIGNATURES


def test_rejecting_needs_a_reason(world):
    document_id = submitted(world)
    ok(act(world, world.reviewer, document_id, "claim"))
    response = post_action(world.reviewer, document_id, "reject", {"reason": ""})
    assert response.status_code == 400
    assert stored(document_id).status == Status.UNDER_REVIEW
    response = post_action(world.reviewer, document_id, "reject", {"reason": "Si mradi wa TEHAMA"})
    assert response.status_code == 302
    assert stored(document_id).status == Status.REJECTED


def test_a_refused_action_is_a_message_on_the_page_not_an_error(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    # Incomplete: the service lists what is missing.
    response = post_action(world.officer, document_id, "request-signatures")
    assert response.status_code == 400
    assert 'class="messages"' in text(response) and "errorlist" in text(response)
    # Wrong status: 409 with the message; wrong person: 403.
    response = post_action(world.officer, document_id, "submit")
    assert response.status_code == 409
    assert 'class="messages"' in text(response)
    response = post_action(world.ict_head, document_id, "withdraw")
    assert response.status_code == 403
    # Another institution: the document does not exist for them.
    assert post_action(world.officer_moe, document_id, "withdraw").status_code == 404
    assert stored(document_id).status == Status.DRAFT
    assert [e[0] for e in events(document_id)] == ["create"]


def test_a_second_claim_shows_who_won(world):
    document_id = submitted(world)
    assert post_action(world.reviewer, document_id, "claim").status_code == 302
    response = post_action(world.reviewer2, document_id, "claim")
    assert response.status_code == 409
    assert stored(document_id).assignee == world.reviewer


def test_field_comments_are_asked_and_shown_next_to_the_answers(world):
    document_id = submitted(world)
    ok(act(world, world.reviewer, document_id, "claim"))
    page = text(browser(world.reviewer).get(f"/documents/{document_id}/"))
    justification = page.split('id="answer-justification"')[1].split('<div class="answer"')[0]
    assert 'name="fc-justification"' in justification
    assert 'form="decision"' in justification
    response = post_action(
        world.reviewer,
        document_id,
        "request-changes",
        {"comment": "Rekebisha", "fc-justification": "Eleza kwa kina zaidi"},
    )
    assert response.status_code == 302
    page = text(browser(world.officer).get(f"/documents/{document_id}/"))
    justification = page.split('id="answer-justification"')[1].split('<div class="answer"')[0]
    assert "Eleza kwa kina zaidi" in justification and 'class="comment"' in justification
    full_name = page.split('id="answer-full_name"')[1].split('<div class="answer"')[0]
    assert 'class="comment"' not in full_name
    assert "Rekebisha" in page.split('id="change-request"')[1]
    reviews = page.split('id="reviews"')[1].split("</section>")[0]
    assert "<strong>Sababu za ombi</strong>: Eleza kwa kina zaidi" in reviews


def test_request_changes_needs_a_comment_and_keeps_the_field_comments_typed(world):
    document_id = submitted(world)
    ok(act(world, world.reviewer, document_id, "claim"))
    response = post_action(
        world.reviewer,
        document_id,
        "request-changes",
        {"comment": "", "fc-justification": "Eleza zaidi"},
    )
    assert response.status_code == 400
    assert "Eleza zaidi</textarea>" in text(response)
    assert stored(document_id).status == Status.UNDER_REVIEW
