"""A resubmission comes back to the reviewer who returned it.

It stays ``submitted`` (the API's contract: submit is signed → submitted) with that reviewer as
``assignee``: only they may claim it, ``?assignee=me`` lists it for them, and ``release`` hands
it to the common pool. A reviewer who has left (inactive) holds nothing.
"""

from __future__ import annotations

import pytest

from notifications.models import Kind, Notification
from tests.helpers import (
    act,
    drive,
    new_document,
    ok,
    resubmitted,
    returned,
    signed_again,
)
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


def queue_ids(world, user, query: str = "") -> list[str]:
    body = ok(world.client(user).get(f"/api/v1/review-queue/{query}"))
    return [item["id"] for item in body["results"]]


def test_a_resubmission_is_reserved_for_the_reviewer_who_returned_it(world):
    document = resubmitted(world, by=world.reviewer2)
    assert (document.status, document.assignee) == ("submitted", world.reviewer2)
    event = AuditEvent.objects.filter(document=document, action="submit").latest("seq")
    assert event.payload == {
        "reference": document.reference,
        "resubmission": True,
        "reserved_for": "reviewer2",
    }
    assert queue_ids(world, world.reviewer2, "?assignee=me") == [str(document.pk)]
    assert queue_ids(world, world.reviewer, "?assignee=none") == []
    mine = ok(world.client(world.reviewer2).get(f"/api/v1/documents/{document.pk}/"))
    assert mine["allowed_actions"] == ["claim", "release"]
    theirs = ok(world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/"))
    assert theirs["allowed_actions"] == []
    assert theirs["assignee"] == "reviewer2"


def test_only_the_returning_reviewer_hears_of_the_resubmission(world):
    document = returned(world, by=world.reviewer2)
    signed_again(world, document)
    Notification.objects.all().delete()
    ok(act(world, world.officer, document.pk, "submit"))
    notes = list(Notification.objects.select_related("recipient"))
    assert [(n.recipient.username, n.kind, n.payload.get("reserved")) for n in notes] == [
        ("reviewer2", Kind.RESUBMITTED, True)
    ]


def test_another_reviewer_cannot_claim_it_and_is_told_who_has_it(world):
    document = resubmitted(world, by=world.reviewer2)
    world.reviewer2.first_name, world.reviewer2.last_name = "Neema", "Mushi"
    world.reviewer2.save()
    before = AuditEvent.objects.filter(document=document).count()
    response = act(world, world.reviewer, document.pk, "claim")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "reserved"
    assert body["detail"].startswith("Hati hii iliyowasilishwa upya imerudi kwa Neema Mushi")
    document.refresh_from_db()
    assert (document.status, document.assignee) == ("submitted", world.reviewer2)
    assert AuditEvent.objects.filter(document=document).count() == before
    # Someone who is no reviewer at all is refused as such (403), not told of the reservation.
    assert act(world, world.officer, document.pk, "claim").status_code == 403


def test_the_reviewer_claims_it_straight_away(world):
    document = resubmitted(world, by=world.reviewer2)
    body = ok(act(world, world.reviewer2, document.pk, "claim"))
    assert (body["status"], body["assignee"]) == ("under_review", "reviewer2")


def test_releasing_it_hands_it_to_the_pool_and_keeps_its_place_in_the_queue(world):
    document = resubmitted(world, by=world.reviewer2)
    waited_since = document.status_changed_at
    body = ok(act(world, world.reviewer2, document.pk, "release"))
    assert (body["status"], body["assignee"]) == ("submitted", None)
    document.refresh_from_db()
    assert document.status_changed_at == waited_since  # the overdue clock runs on
    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert (event.action, event.from_status, event.to_status, event.payload) == (
        "release",
        "submitted",
        "submitted",
        {"reserved": True},
    )
    assert str(document.pk) in queue_ids(world, world.reviewer, "?assignee=none")
    body = ok(act(world, world.reviewer, document.pk, "claim"))
    assert body["assignee"] == "reviewer"


def test_a_document_nobody_holds_has_nothing_to_release(world):
    document = drive(world, new_document(world), "submitted")
    response = act(world, world.reviewer, document.pk, "release")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status"
    assert "release" not in response.json()["detail"]
    document.refresh_from_db()
    assert (document.status, document.assignee) == ("submitted", None)


def test_a_reservation_of_a_reviewer_who_has_left_can_be_taken_over(world):
    document = resubmitted(world, by=world.reviewer2)
    world.reviewer2.is_active = False
    world.reviewer2.save(update_fields=["is_active"])
    assert (
        "claim"
        in ok(world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/"))[
            "allowed_actions"
        ]
    )
    body = ok(act(world, world.reviewer, document.pk, "claim"))
    assert body["assignee"] == "reviewer"
    event = AuditEvent.objects.filter(document=document, action="claim").latest("seq")
    assert event.payload == {"assignee": "reviewer", "reserved_for": "reviewer2"}


def test_a_resubmission_whose_reviewer_is_no_longer_a_reviewer_goes_to_the_pool(world):
    document = returned(world, by=world.reviewer2)
    world.reviewer2.memberships.all().delete()
    signed_again(world, document)
    body = ok(act(world, world.officer, document.pk, "submit"))
    assert (body["status"], body["assignee"]) == ("submitted", None)
    assert str(document.pk) in queue_ids(world, world.reviewer, "?assignee=none")


def test_withdrawing_a_reserved_resubmission_tells_its_reviewer(world):
    document = resubmitted(world, by=world.reviewer2)
    Notification.objects.all().delete()
    body = ok(act(world, world.officer, document.pk, "withdraw", {"reason": "Hatuhitaji"}))
    assert (body["status"], body["assignee"]) == ("withdrawn", None)
    (note,) = Notification.objects.select_related("recipient")
    assert (note.recipient, note.kind) == (world.reviewer2, Kind.WITHDRAWN)


def test_a_first_submission_is_reserved_for_nobody(world):
    document = drive(world, new_document(world), "submitted")
    assert document.assignee is None
    assert "reserved_for" not in AuditEvent.objects.get(document=document, action="submit").payload
