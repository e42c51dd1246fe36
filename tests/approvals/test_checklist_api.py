"""The review checklist over HTTP: two reviewers mark it in turn, each mark attributed and
audited; only the assignee marks, only under review; bad marks are refused by name and nothing
is saved; institution staff see the marks once the agency has decided."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from approvals.models import ChecklistMark
from forms_templates.registry import get_type
from tests.helpers import act, drive, fill_checklist, new_document, ok
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.django_db

KEYS = [c.key for c in get_type("concept_note").checklist]


def url(document_id) -> str:
    return f"/api/v1/documents/{document_id}/checklist/"


def patch(world, user, document_id, marks):
    return world.client(user).patch(url(document_id), {"marks": marks}, format="json")


def get(world, user, document_id):
    return world.client(user).get(url(document_id))


def reviewing(world):
    """A concept note claimed by ``world.reviewer``."""
    return drive(world, new_document(world), "under_review")


def snapshot(document_id):
    return (
        sorted(
            ChecklistMark.objects.filter(document_id=document_id).values_list(
                "criterion", "mark", "note", "marked_by_id"
            )
        ),
        AuditEvent.objects.filter(document_id=document_id).count(),
        Document.objects.get(pk=document_id).audit_seq,
    )


def test_two_reviewers_mark_in_turn_and_every_mark_is_attributed(world):
    document = reviewing(world)
    body = ok(
        patch(
            world,
            world.reviewer,
            document.pk,
            {
                "no_duplication": {"mark": "met", "note": "Hakuna mfumo kama huu"},
                "govesb": {"mark": "not_met", "note": "Taja mifumo ya kuunganisha"},
            },
        )
    )
    assert body["marks"]["govesb"]["mark"] == "not_met"
    assert body["marks"]["govesb"]["by"] == "reviewer"
    assert (body["complete"], body["not_met"]) == (False, ["govesb"])
    assert len(body["unmarked"]) == len(KEYS) - 2
    assert body["can_mark"] is True
    ok(act(world, world.reviewer, document.pk, "release"))
    ok(act(world, world.reviewer2, document.pk, "claim"))

    # The second reviewer sees the first one's marks and changes one of them.
    seen = ok(get(world, world.reviewer2, document.pk))
    assert seen["marks"]["no_duplication"]["by"] == "reviewer"
    assert seen["marks"]["govesb"]["note"] == "Taja mifumo ya kuunganisha"
    rest = {key: {"mark": "met"} for key in KEYS if key not in ("no_duplication", "govesb")}
    body = ok(
        patch(
            world,
            world.reviewer2,
            document.pk,
            {"govesb": {"mark": "met", "note": "Imeelezwa kwenye suluhisho"}, **rest},
        )
    )
    assert body["complete"] is True and body["unmarked"] == body["not_met"] == []
    by = {c["key"]: c["by"] for c in body["criteria"]}
    assert by["no_duplication"] == "reviewer"
    assert by["govesb"] == by["steering_committee"] == "reviewer2"
    criterion = next(c for c in body["criteria"] if c["key"] == "govesb")
    assert (criterion["mark"], criterion["note"], criterion["group"]) == (
        "met",
        "Imeelezwa kwenye suluhisho",
        "integration",
    )
    assert criterion["text"] == get_type("concept_note").criterion("govesb").text.as_dict()

    events = AuditEvent.objects.filter(document=document, action="checklist").order_by("seq")
    assert [e.actor_username for e in events] == ["reviewer", "reviewer2"]
    assert events[0].payload["marks"]["govesb"] == {
        "mark": "not_met",
        "note": "Taja mifumo ya kuunganisha",
        "was": None,
    }
    assert events[1].payload["marks"]["govesb"]["was"] == "not_met"
    assert "no_duplication" not in events[1].payload["marks"]  # unchanged: not re-audited
    assert {(e.from_status, e.to_status) for e in events} == {("under_review", "under_review")}
    history = ok(world.client(world.officer).get(f"/api/v1/documents/{document.pk}/history/"))
    assert [e["action"] for e in history["results"]].count("checklist") == 2


def test_a_note_left_out_is_kept_and_an_unchanged_mark_writes_nothing(world):
    document = reviewing(world)
    ok(patch(world, world.reviewer, document.pk, {"capacity": {"mark": "na", "note": "Ndani"}}))
    before = snapshot(document.pk)
    body = ok(patch(world, world.reviewer, document.pk, {"capacity": {"mark": "na"}}))
    assert body["marks"]["capacity"]["note"] == "Ndani"
    assert snapshot(document.pk) == before


@pytest.mark.parametrize(
    ("marks", "named"),
    [
        ({"no_such_criterion": {"mark": "met"}}, "no_such_criterion"),
        ({"govesb": {"mark": "maybe"}}, "govesb"),
        ({"govesb": {"mark": "not_met"}}, "govesb"),  # not met needs a note
        ({"govesb": {"mark": "not_met", "note": "   "}}, "govesb"),
        ({"govesb": {"note": "hakuna alama"}}, "govesb"),
        ({"govesb": {"mark": "met", "colour": "red"}}, "govesb"),
        ({"govesb": "met"}, "govesb"),
        ({"govesb": {"mark": "met", "note": "x" * 1001}}, "govesb"),
        ({"govesb": {"mark": "met", "note": 7}}, "govesb"),
    ],
)
def test_a_bad_mark_is_refused_by_name_and_nothing_is_saved(world, marks, named):
    document = reviewing(world)
    ok(patch(world, world.reviewer, document.pk, {"capacity": {"mark": "met"}}))
    before = snapshot(document.pk)
    # All or nothing: the valid mark beside the bad one is not saved either.
    response = patch(world, world.reviewer, document.pk, {"monitoring": {"mark": "met"}, **marks})
    assert response.status_code == 400, response.content
    assert list(response.json()["marks"]) == [named]
    assert response.json()["marks"][named][0]  # a sentence, in Swahili by default
    assert snapshot(document.pk) == before


@pytest.mark.parametrize(
    "body",
    [{"marks": []}, {"marks": {}}, {"marks": "met"}, {}, {"marks": {}, "extra": 1}, [1, 2]],
)
def test_a_malformed_body_is_a_400_and_changes_nothing(world, body):
    document = reviewing(world)
    before = snapshot(document.pk)
    response = world.client(world.reviewer).patch(url(document.pk), body, format="json")
    assert response.status_code == 400, response.content
    assert snapshot(document.pk) == before


def test_the_messages_are_in_the_persons_language(world):
    document = reviewing(world)
    marks = {"marks": {"govesb": {"mark": "not_met"}}}
    swahili = world.client(world.reviewer).patch(url(document.pk), marks, format="json")
    english = world.client(world.reviewer).patch(
        url(document.pk), marks, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Eleza kinachokosekana" in swahili.json()["marks"]["govesb"][0]
    assert "Say what is missing" in english.json()["marks"]["govesb"][0]


def test_only_the_assignee_marks_and_only_under_review(world):
    document = reviewing(world)
    marks = {"govesb": {"mark": "met"}}
    before = snapshot(document.pk)
    for user, status in [
        (world.reviewer2, 403),  # another reviewer: not the assignee
        (world.officer, 403),  # the author sees the document but does not review it
        (world.accounting_officer, 403),
        (world.officer_moe, 404),  # another institution: not visible
    ]:
        response = patch(world, user, document.pk, marks)
        assert response.status_code == status, (user, response.content)
        assert response.json()["code"] in ("not_allowed", "not_found")
    assert APIClient().patch(url(document.pk), {"marks": marks}, format="json").status_code == 401
    assert patch(world, world.reviewer, "not-a-uuid", marks).status_code == 404
    assert snapshot(document.pk) == before

    ok(act(world, world.reviewer, document.pk, "release"))  # submitted: nobody's to mark
    before = snapshot(document.pk)
    response = patch(world, world.reviewer, document.pk, marks)
    assert (response.status_code, response.json()["code"]) == (409, "invalid_status")
    assert snapshot(document.pk) == before


@pytest.mark.parametrize("status", ["draft", "signed", "approved", "rejected"])
def test_a_document_out_of_review_takes_no_marks(world, status):
    document = drive(world, new_document(world), status)
    before = snapshot(document.pk)
    response = patch(world, world.reviewer, document.pk, {"govesb": {"mark": "met"}})
    # The agency never sees a draft or an unsubmitted document: 404; the others are 409.
    assert response.status_code == (404 if status in ("draft", "signed") else 409)
    assert snapshot(document.pk) == before


def test_staff_see_the_criteria_but_not_the_marks_until_the_agency_decides(world):
    document = reviewing(world)
    ok(patch(world, world.reviewer, document.pk, {"govesb": {"mark": "not_met", "note": "Taja"}}))
    hidden = ok(get(world, world.officer, document.pk))
    assert hidden["marks_visible"] is False and hidden["marks"] == {}
    assert [c["key"] for c in hidden["criteria"]] == KEYS
    assert {c["mark"] for c in hidden["criteria"]} == {None}
    assert hidden["can_mark"] is False
    detail = ok(world.client(world.officer).get(f"/api/v1/documents/{document.pk}/"))
    assert detail["checklist"]["marked"] == 0 and detail["checklist"]["marks_visible"] is False
    assert get(world, world.officer_moe, document.pk).status_code == 404

    ok(act(world, world.reviewer, document.pk, "request-changes", {"comment": "Rekebisha"}))
    shown = ok(get(world, world.officer, document.pk))
    assert shown["marks_visible"] is True
    assert shown["marks"]["govesb"]["note"] == "Taja"
    detail = ok(world.client(world.officer).get(f"/api/v1/documents/{document.pk}/"))
    assert detail["checklist"] == {
        "version": 1,
        "total": len(KEYS),
        "marked": 1,
        "complete": False,
        "unmarked": [k for k in KEYS if k != "govesb"],
        "not_met": ["govesb"],
        "marks_visible": True,
    }


def test_the_reviewers_detail_summarises_the_checklist(world):
    document = reviewing(world)
    fill_checklist(document.pk, by=world.reviewer)
    ok(patch(world, world.reviewer, document.pk, {"monitoring": {"mark": "na"}}))
    summary = ok(world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/"))["checklist"]
    assert (summary["complete"], summary["marked"], summary["total"]) == (True, 19, 19)


def _get_queries(world, user, document_id) -> int:
    client = world.client(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(document_id))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_reading_the_checklist_costs_the_same_with_no_marks_or_with_many_versions(world):
    fresh = reviewing(world)
    marked = reviewing(world)
    fill_checklist(marked.pk, by=world.reviewer, mark="not_met")
    ok(act(world, world.reviewer, marked.pk, "request-changes", {"comment": ""}))
    for round_ in range(2):  # two more versions, each reviewed: hints come from all of them
        ok(
            world.client(world.officer).patch(
                f"/api/v1/documents/{marked.pk}/", {"title": f"Toleo {round_ + 2}"}, format="json"
            )
        )
        drive(world, Document.objects.get(pk=marked.pk), "under_review")
        fill_checklist(marked.pk, by=world.reviewer, mark="not_met")
        if round_ == 0:
            ok(act(world, world.reviewer, marked.pk, "request-changes", {"comment": ""}))
    assert Document.objects.get(pk=marked.pk).version == 3
    assert ChecklistMark.objects.filter(document=marked).count() == 3 * len(KEYS)
    baseline = _get_queries(world, world.reviewer, fresh.pk)
    # One query more for the hints (the earlier versions' data), however many there are.
    assert _get_queries(world, world.reviewer, marked.pk) == baseline + 1
    assert baseline <= 3
    for user in (world.officer, world.reviewer2):
        assert _get_queries(world, user, marked.pk) <= baseline + 1
