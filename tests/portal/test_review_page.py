"""The review page: the document beside a decision panel; field comments that survive every
button; approve and reject asked on a page of their own; the seal made after the response."""

from __future__ import annotations

import re
import time

import pytest

from approvals.checklist_services import checklist_update
from approvals.models import Decision, Review, SealedPdf
from approvals.seal_state import in_flight
from config.after_response import wait_idle
from forms_templates.registry import get_type
from tests.helpers import act, drive, fill_checklist, new_document, ok
from tests.portal.web_helpers import browser
from workflow.models import AuditEvent, Document, Status

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def under_review(world) -> Document:
    return drive(world, new_document(world), "under_review")


def approvable(world) -> Document:
    """Under review, its checklist all met: approving needs no override."""
    document = under_review(world)
    fill_checklist(document.pk, by=world.reviewer)
    return document


def decide(user, document, body: dict):
    return browser(user).post(f"/documents/{document.pk}/review/decide/", body)


def events(document) -> list[str]:
    trail = AuditEvent.objects.filter(document=document).order_by("seq")
    return list(trail.values_list("action", flat=True))


def test_agency_staff_get_the_review_layout_and_the_institution_the_document_page(world):
    document = under_review(world)
    page = text(browser(world.reviewer).get(f"/documents/{document.pk}/"))
    assert 'class="review-layout"' in page and 'id="decision-panel"' in page
    # The document comes first (top on a phone), the panel after it.
    assert page.index('class="review-document"') < page.index('id="decision-panel"')
    assert 'name="decision" value="approve"' in page
    assert 'src="/static/vendor/htmx/' not in page  # the review page needs no htmx
    officer = text(browser(world.officer).get(f"/documents/{document.pk}/"))
    assert "review-layout" not in officer


def test_every_id_on_the_review_page_is_unique(world):
    document = under_review(world)
    page = text(browser(world.reviewer).get(f"/documents/{document.pk}/"))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert ids.count("decision-comment") == 1 and "id_comment" not in ids


def test_comment_boxes_beside_the_answers_are_the_assignees_only(world):
    document = under_review(world)
    page = text(browser(world.reviewer).get(f"/documents/{document.pk}/"))
    problem = page.split('id="answer-problem_statement"', 1)[1].split('<div class="answer"', 1)[0]
    assert 'name="fc-problem_statement"' in problem and 'form="decision"' in problem
    assert 'name="fc-title"' in page
    other = text(browser(world.reviewer2).get(f"/documents/{document.pk}/"))
    assert 'name="fc-' not in other and 'id="decision"' not in other


def test_returning_for_changes_sends_the_comment_and_every_field_comment(world):
    document = under_review(world)
    response = decide(
        world.reviewer,
        document,
        {
            "decision": "request-changes",
            "comment": "Rekebisha bajeti",
            "fc-total_budget": "Haijumlishi",
            "fc-title": "Fupisha",
            "fc-problem_statement": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    review = Review.objects.get(document=document)
    assert (review.decision, review.comment) == (Decision.CHANGES_REQUESTED, "Rekebisha bajeti")
    assert review.field_comments == {"total_budget": "Haijumlishi", "title": "Fupisha"}
    assert events(document)[-1] == "request-changes"


def test_approving_asks_first_and_keeps_every_comment_typed(world):
    document = under_review(world)
    before = events(document)
    body = {"decision": "approve", "comment": "Safi", "fc-total_budget": "Angalia tena jumla"}
    response = decide(world.reviewer, document, body)
    assert response.status_code == 200
    page = text(response)
    assert "Uidhinishe" in page and "muhuri" in page  # what will happen: sealed
    assert "Wizara ya Afya itaarifiwa" in page  # the institution is told
    assert 'id="unsent-comments"' in page and "Angalia tena jumla" in page
    assert '<input type="hidden" name="fc-total_budget" value="Angalia tena jumla">' in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    document.refresh_from_db()
    assert document.status == Status.UNDER_REVIEW and events(document) == before
    assert not Review.objects.filter(document=document).exists()

    # "No, go back": the review page, with every comment still in its box.
    back = decide(world.reviewer, document, {**body, "confirmed": "yes", "decision": "back"})
    assert back.status_code == 200
    page = text(back)
    assert "review-layout" in page
    assert "Angalia tena jumla</textarea>" in page and "Safi</textarea>" in page
    collected = page.split('id="collected-list"', 1)[1].split("</ol>", 1)[0]
    assert "Angalia tena jumla" in collected and 'href="#answer-total_budget"' in collected


def test_confirming_approves_and_then_the_seal_is_made(
    world, dev_seal, django_capture_on_commit_callbacks
):
    document = approvable(world)
    body = {"decision": "approve", "comment": "Safi", "confirmed": "yes"}
    client = browser(world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/{document.pk}/review/decide/", body)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    review = Review.objects.get(document=document)
    assert (review.decision, review.comment) == (Decision.APPROVED, "Safi")
    # After the commit (here: the end of the block, past the answer) the seal was made.
    assert SealedPdf.objects.filter(document=document, lang="sw").exists()
    page = text(client.get(response["Location"]))
    assert "Imeidhinishwa. PDF yenye muhuri inaandaliwa" in page
    assert "PDF yenye muhuri iko tayari" in page


def test_approving_with_the_checklist_incomplete_names_the_criteria_and_asks_why(world):
    document = under_review(world)
    criteria = get_type(document.type).checklist
    fill_checklist(document.pk, by=world.reviewer)
    first = criteria[0]
    checklist_update(
        document_id=document.pk,
        by=world.reviewer,
        marks={first.key: {"mark": "not_met", "note": "Haijatimizwa"}},
    )
    page = text(decide(world.reviewer, document, {"decision": "approve", "comment": "Safi"}))
    gaps = page.split('id="checklist-gaps"', 1)[1].split("</div>", 1)[0]
    assert first.text.sw in gaps, gaps
    assert "kimewekewa alama “hakijatimizwa”" in gaps
    assert 'name="override_reason"' in page

    # "Yes" without a reason: the same page again, with the service's words; nothing changes.
    before = events(document)
    body = {"decision": "approve", "comment": "Safi", "confirmed": "yes"}
    refused = decide(world.reviewer, document, body)
    assert refused.status_code == 400
    page = text(refused)
    assert 'id="checklist-gaps"' in page and "review-layout" not in page
    document.refresh_from_db()
    assert document.status == Status.UNDER_REVIEW and events(document) == before

    done = decide(world.reviewer, document, {**body, "override_reason": "Kikao kimeamua"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    approval = AuditEvent.objects.get(document=document, action="approve")
    assert approval.payload["override_reason"] == "Kikao kimeamua"


def test_approving_with_the_checklist_complete_asks_no_reason(world):
    document = approvable(world)
    page = text(decide(world.reviewer, document, {"decision": "approve"}))
    assert 'id="checklist-gaps"' not in page and 'name="override_reason"' not in page


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(world):
    document = under_review(world)
    response = decide(
        world.reviewer, document, {"decision": "reject", "comment": " ", "fc-title": "Kichwa"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Toa sababu ya kukataa" in page and "Kichwa</textarea>" in page
    document.refresh_from_db()
    assert document.status == Status.UNDER_REVIEW
    asked = decide(world.reviewer, document, {"decision": "reject", "comment": "Si TEHAMA"})
    assert asked.status_code == 200 and "Uikatae" in text(asked)
    assert "haiwezi kuwasilishwa upya" in text(asked)
    done = decide(
        world.reviewer, document, {"decision": "reject", "comment": "Si TEHAMA", "confirmed": "yes"}
    )
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.REJECTED
    assert Review.objects.get(document=document).comment == "Si TEHAMA"


def test_a_decision_someone_else_made_first_is_refused_with_what_happened(world):
    document = approvable(world)
    ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Sawa"}))
    body = {"decision": "approve", "comment": "Tena", "fc-title": "X", "confirmed": "yes"}
    response = decide(world.reviewer, document, body)
    assert response.status_code == 409
    page = text(response)
    assert "aliidhinisha hati hii" in page and "“approve”" not in page
    assert Review.objects.filter(document=document).count() == 1


def test_another_reviewer_cannot_decide_and_is_told_who_has_it(world):
    document = under_review(world)
    world.reviewer.first_name, world.reviewer.last_name = "Asha", "Juma"
    world.reviewer.save()
    response = decide(world.reviewer2, document, {"decision": "approve", "comment": "Sawa"})
    assert response.status_code == 403
    assert "Ni Asha Juma tu, aliye na hati hii, anayeweza kuiidhinisha." in text(response)
    document.refresh_from_db()
    assert document.status == Status.UNDER_REVIEW


def test_an_unknown_decision_is_a_400_that_keeps_the_comments(world):
    document = under_review(world)
    response = decide(world.reviewer, document, {"decision": "delete", "fc-title": "Baki"})
    assert response.status_code == 400
    assert "Baki</textarea>" in text(response)
    assert decide(world.officer_moe, document, {"decision": "approve"}).status_code == 404


def test_the_seal_status_part_says_where_the_pdf_stands(
    world, dev_seal, django_capture_on_commit_callbacks
):
    document = approvable(world)
    client = browser(world.reviewer)
    part = text(client.get(f"/documents/{document.pk}/seal-status/"))
    assert "rasimu, bila muhuri" in part and "data-poll" not in part
    with django_capture_on_commit_callbacks(execute=True):
        ok(act(world, world.reviewer, document.pk, "approve"))
    part = text(client.get(f"/documents/{document.pk}/seal-status/"))
    assert "PDF yenye muhuri iko tayari" in part and "data-poll" not in part
    SealedPdf.objects.filter(document=document).delete()
    part = text(client.get(f"/documents/{document.pk}/seal-status/"))
    assert "bado haijatengenezwa" in part  # no worker and nothing under way: make it now


@pytest.mark.django_db(transaction=True)
def test_in_its_own_thread_the_seal_starts_after_the_answer_and_is_stored(
    world, dev_seal, settings
):
    settings.AFTER_RESPONSE = "thread"
    document = approvable(world)
    started = time.monotonic()
    response = decide(world.reviewer, document, {"decision": "approve", "confirmed": "yes"})
    answered = time.monotonic() - started
    assert response.status_code == 302
    assert in_flight(document.pk, "sw")  # under way when the answer arrived
    assert wait_idle(120)
    sealed_after = time.monotonic() - started
    assert SealedPdf.objects.filter(document=document, lang="sw").count() == 1
    assert not in_flight(document.pk, "sw")
    assert events(document)[-2:] == ["approve", "seal"]
    print(f"answered in {answered:.2f} s, sealed {sealed_after:.2f} s after the click")
    assert answered < sealed_after


def test_while_the_seal_is_under_way_the_part_polls_and_the_pdf_endpoint_waits(world, dev_seal):
    from approvals.seal_state import clear_in_flight, mark_in_flight

    document = approvable(world)
    ok(act(world, world.reviewer, document.pk, "approve"))  # its commit never comes: no seal
    mark_in_flight(document.pk, "sw")
    try:
        part = text(browser(world.reviewer).get(f"/documents/{document.pk}/seal-status/"))
        assert "inaandaliwa" in part
        assert f'data-poll="/documents/{document.pk}/seal-status/"' in part
        pdf = world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/pdf/")
        assert pdf.status_code == 202 and pdf["Retry-After"]
        assert not SealedPdf.objects.filter(document=document).exists()
    finally:
        clear_in_flight(document.pk, "sw")
    pdf = world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/pdf/")
    assert pdf.status_code == 200  # nothing under way: sealed on demand


@pytest.mark.parametrize(
    ("type_key", "approved", "returned"),
    [
        ("email_account_request", "Limeidhinishwa. PDF", "Limerudishwa kwa taasisi"),
        ("terms_of_reference", "Zimeidhinishwa. PDF", "Zimerudishwa kwa taasisi"),
        ("implementation_report", "Imeidhinishwa. PDF", "Imerudishwa kwa taasisi"),
    ],
)
def test_the_decisions_message_agrees_with_the_types_noun(
    world, dev_seal, django_capture_on_commit_callbacks, type_key, approved, returned
):
    """Ombi limeidhinishwa, hadidu za rejea zimeidhinishwa, ripoti imeidhinishwa (issue 15)."""
    client = browser(world.reviewer)
    document = drive(world, new_document(world, type_key), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/documents/{document.pk}/review/decide/",
            {"decision": "approve", "comment": "", "confirmed": "yes"},
        )
    assert approved in text(client.get(done["Location"]))
    other = drive(world, new_document(world, type_key), "under_review")
    back = client.post(
        f"/documents/{other.pk}/review/decide/",
        {"decision": "request-changes", "comment": "Rekebisha bajeti"},
    )
    assert returned in text(client.get(back["Location"]))
