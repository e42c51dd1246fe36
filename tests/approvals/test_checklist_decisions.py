"""What the checklist decides: approval needs every criterion marked and none "not met" (or an
override with a reason, audited); a request for changes is pre-filled from the "not met" notes;
a new version is reviewed afresh with the last marks as hints."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from approvals.checklist_selectors import checklist_prefill
from approvals.models import ChecklistMark, Review
from forms_templates.registry import get_type
from tests.helpers import act, drive, fill_checklist, new_document, ok
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.django_db

KEYS = [c.key for c in get_type("concept_note").checklist]


def patch(world, user, document_id, marks):
    return world.client(user).patch(
        f"/api/v1/documents/{document_id}/checklist/", {"marks": marks}, format="json"
    )


def reviewing(world):
    return drive(world, new_document(world), "under_review")


def state(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.verification_code,
        document.audit_seq,
        Review.objects.filter(document_id=document_id).count(),
        AuditEvent.objects.filter(document_id=document_id).count(),
    )


def test_approval_is_refused_while_a_criterion_is_unmarked_or_not_met(world):
    document = reviewing(world)
    everything_but_two = {key: {"mark": "met"} for key in KEYS if key not in ("govesb", "capacity")}
    ok(patch(world, world.reviewer, document.pk, everything_but_two))
    before = state(document.pk)

    response = act(world, world.reviewer, document.pk, "approve", {"comment": "Sawa"})
    assert response.status_code == 400
    assert response.json()["checklist"] == {"unmarked": ["govesb", "capacity"], "not_met": []}
    assert "haijakamilika" in response.json()["non_field_errors"][0]
    assert state(document.pk) == before

    ok(patch(world, world.reviewer, document.pk, {"govesb": {"mark": "not_met", "note": "Taja"}}))
    ok(patch(world, world.reviewer, document.pk, {"capacity": {"mark": "na"}}))
    before = state(document.pk)
    response = act(world, world.reviewer, document.pk, "approve", {})
    assert response.status_code == 400
    assert response.json()["checklist"] == {"unmarked": [], "not_met": ["govesb"]}
    # A blank reason is no reason.
    response = act(world, world.reviewer, document.pk, "approve", {"override_reason": "  "})
    assert response.status_code == 400
    assert "override_reason" in response.json() and "checklist" in response.json()
    assert state(document.pk) == before

    ok(patch(world, world.reviewer, document.pk, {"govesb": {"mark": "met"}}))
    body = ok(act(world, world.reviewer, document.pk, "approve", {"comment": "Sawa"}))
    assert body["status"] == "approved"
    event = AuditEvent.objects.filter(document=document, action="approve").get()
    assert event.payload["checklist"] == {
        "version": 1,
        "complete": True,
        "unmarked": [],
        "not_met": [],
    }
    assert "override_reason" not in event.payload
    assert Review.objects.get(document=document).checklist_override == ""


def test_the_wrong_person_hears_403_not_the_checklist(world):
    document = reviewing(world)
    before = state(document.pk)
    response = act(world, world.reviewer2, document.pk, "approve", {})
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert state(document.pk) == before


def test_an_override_with_a_reason_approves_and_is_audited(world):
    document = reviewing(world)
    ok(patch(world, world.reviewer, document.pk, {"govesb": {"mark": "not_met", "note": "Taja"}}))
    reason = "Agizo la Serikali: huduma ianze kabla ya uchaguzi; GovESB itafuata."
    body = ok(
        act(
            world,
            world.reviewer,
            document.pk,
            "approve",
            {"comment": "Imekubaliwa kwa masharti", "override_reason": reason},
        )
    )
    assert body["status"] == "approved" and body["verification_code"]
    event = AuditEvent.objects.filter(document=document, action="approve").get()
    assert event.payload["override_reason"] == reason
    assert event.payload["checklist"]["not_met"] == ["govesb"]
    assert len(event.payload["checklist"]["unmarked"]) == len(KEYS) - 1
    assert event.actor_username == "reviewer"
    assert Review.objects.get(document=document).checklist_override == reason
    # The marks stay as they were when the agency decided, for the record and the print.
    assert ChecklistMark.objects.get(document=document, criterion="govesb").mark == "not_met"


def test_request_changes_is_prefilled_from_the_not_met_notes(world):
    document = reviewing(world)
    fill_checklist(document.pk, by=world.reviewer)
    ok(
        patch(
            world,
            world.reviewer,
            document.pk,
            {
                "budget_realistic": {"mark": "not_met", "note": "Vipengele havifiki jumla"},
                "running_costs": {"mark": "not_met", "note": "Gharama za uendeshaji hazipo"},
                "steering_committee": {"mark": "not_met", "note": "Ambatisha kumbukumbu"},
            },
        )
    )
    prefill = checklist_prefill(document=Document.objects.get(pk=document.pk))
    # Each note goes to the fields its criterion names (issue 15's sections).
    assert prefill.field_comments == {
        "budget_items": "Vipengele havifiki jumla",
        "total_budget": "Vipengele havifiki jumla",
        "funding_source": "Vipengele havifiki jumla",
        "budget_vote": "Vipengele havifiki jumla",
        "running_cost_per_year": "Gharama za uendeshaji hazipo",
        "running_cost_funder": "Gharama za uendeshaji hazipo",
        "committee_meeting_date": "Ambatisha kumbukumbu",
        "committee_minute_ref": "Ambatisha kumbukumbu",
    }
    assert prefill.criteria == ["budget_realistic", "running_costs", "steering_committee"]

    body = ok(act(world, world.reviewer, document.pk, "request-changes", {"comment": ""}))
    review = body["reviews"][-1]
    assert review["field_comments"] == prefill.field_comments
    # The comment lists every criterion not met, with its note.
    assert review["comment"] == prefill.comment
    assert review["comment"].startswith("Vigezo vya orodha hakiki ambavyo havijatimizwa:")
    assert "Ambatisha kumbukumbu" in review["comment"]
    text = get_type("concept_note").criterion("steering_committee").text.sw
    assert text in review["comment"]
    event = AuditEvent.objects.filter(document=document, action="request-changes").get()
    assert event.payload["from_checklist"] == prefill.criteria
    assert event.payload["field_comments"] == prefill.field_comments


def test_the_reviewers_own_comments_are_kept(world):
    document = reviewing(world)
    ok(patch(world, world.reviewer, document.pk, {"govesb": {"mark": "not_met", "note": "Taja"}}))
    body = ok(
        act(
            world,
            world.reviewer,
            document.pk,
            "request-changes",
            {"comment": "Rekebisha", "field_comments": {"scope": "Fafanua wigo"}},
        )
    )
    review = body["reviews"][-1]
    assert (review["comment"], review["field_comments"]) == ("Rekebisha", {"scope": "Fafanua wigo"})
    # Field comments left out, comment given: the fields still get the notes.
    second = reviewing(world)
    ok(patch(world, world.reviewer, second.pk, {"govesb": {"mark": "not_met", "note": "Taja"}}))
    body = ok(act(world, world.reviewer, second.pk, "request-changes", {"comment": "Rekebisha"}))
    assert body["reviews"][-1]["comment"] == "Rekebisha"
    assert body["reviews"][-1]["field_comments"] == {
        "integrations": "Taja",
        "proposed_solution": "Taja",
    }


def test_a_blank_comment_with_nothing_not_met_is_still_refused(world):
    document = reviewing(world)
    fill_checklist(document.pk, by=world.reviewer)
    before = state(document.pk)
    response = act(world, world.reviewer, document.pk, "request-changes", {"comment": ""})
    assert response.status_code == 400 and "comment" in response.json()
    assert state(document.pk) == before


def test_a_new_version_is_reviewed_afresh_with_the_last_marks_as_hints(world):
    document = reviewing(world)
    fill_checklist(document.pk, by=world.reviewer)
    ok(patch(world, world.reviewer, document.pk, {"security_risks": {"mark": "na"}}))
    ok(
        patch(
            world,
            world.reviewer,
            document.pk,
            {"budget_realistic": {"mark": "not_met", "note": "Jumla si sahihi"}},
        )
    )
    ok(act(world, world.reviewer, document.pk, "request-changes", {"comment": ""}))
    officer = world.client(world.officer)
    # While editing, the author sees what was not met on the version the agency returned.
    # The budget changes, its total and its lines together (the rules across fields hold: a
    # line's amount is its quantity × unit cost, the total their sum).
    data = Document.objects.get(pk=document.pk).data
    items = [dict(item) for item in data["budget_items"]]
    items[0]["unit_cost"] += 1
    items[0]["amount"] = items[0]["quantity"] * items[0]["unit_cost"]
    total = data["total_budget"] + items[0]["quantity"]
    ok(
        officer.patch(
            f"/api/v1/documents/{document.pk}/",
            {"data": {"total_budget": total, "budget_items": items}},
            format="json",
        )
    )
    returned = ok(officer.get(f"/api/v1/documents/{document.pk}/checklist/"))
    assert returned["version"] == 2 and returned["marks"] == {}
    hint = next(c for c in returned["criteria"] if c["key"] == "budget_realistic")["previous"]
    assert (hint["mark"], hint["note"], hint["version"]) == ("not_met", "Jumla si sahihi", 1)

    drive(world, Document.objects.get(pk=document.pk), "under_review")
    body = ok(world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/checklist/"))
    assert body["unmarked"] == KEYS and body["complete"] is False
    by_key = {c["key"]: c for c in body["criteria"]}
    assert by_key["budget_realistic"]["previous"]["fields_changed"] is True  # total_budget
    assert by_key["govesb"]["previous"]["fields_changed"] is False
    assert by_key["govesb"]["previous"]["mark"] == "met"

    response = act(world, world.reviewer, document.pk, "approve", {})
    assert response.status_code == 400 and response.json()["checklist"]["unmarked"] == KEYS
    fill_checklist(document.pk, by=world.reviewer)
    ok(act(world, world.reviewer, document.pk, "approve", {}))
    assert ChecklistMark.objects.filter(document=document, version=1).count() == len(KEYS)
    assert ChecklistMark.objects.filter(document=document, version=2).count() == len(KEYS)


def _mark_and_approve_at_once(world, document) -> dict[str, int]:
    barrier = threading.Barrier(2)
    codes: dict[str, int] = {}
    marks = {"govesb": {"mark": "not_met", "note": "Taja"}}
    calls = {
        "mark": lambda: patch(world, world.reviewer, document.pk, marks),
        "approve": lambda: act(world, world.reviewer, document.pk, "approve"),
    }

    def run(name):
        try:
            barrier.wait(timeout=30)
            codes[name] = calls[name]().status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,)) for name in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL")
def test_a_mark_racing_an_approval_never_slips_past_the_check(world):
    """The last criterion is marked "not met" while the reviewer approves: the row lock orders
    them, so either the approval saw the mark (400) or the mark found it approved (409)."""
    for _ in range(6):
        document = reviewing(world)
        fill_checklist(document.pk, by=world.reviewer)
        codes = _mark_and_approve_at_once(world, document)
        document.refresh_from_db()
        mark = ChecklistMark.objects.get(document=document, criterion="govesb").mark
        assert (codes["mark"], codes["approve"]) in ((200, 400), (409, 200)), codes
        if document.status == "approved":
            assert mark == "met"
        else:
            assert (document.status, mark) == ("under_review", "not_met")
