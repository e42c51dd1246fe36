"""Who hears what: each transition tells the people it waits on, in-app and by e-mail, in the
transition's own transaction (tasks in-process, delivery to Django's locmem outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from approvals import services as approvals
from notifications.models import Kind, Notification, Outbox, OutboxStatus
from tests.helpers import PASSWORD, act, drive, fill_checklist, make_user, new_document, ok
from workflow import services as engine
from workflow.models import Role

pytestmark = pytest.mark.django_db


def told(kind: str | None = None) -> list[tuple[str, str]]:
    """(username, kind) of every notification so far, oldest first."""
    notes = Notification.objects.select_related("recipient").order_by("id")
    return [(n.recipient.username, n.kind) for n in notes if kind is None or n.kind == kind]


def mailed() -> list[tuple[str, str]]:
    return [(m.to[0].split("@")[0], m.extra_headers["X-Idhini-Notification"]) for m in mail.outbox]


def test_the_next_signatory_hears_when_it_is_their_turn_and_the_author_when_all_signed(
    world, committed
):
    document = new_document(world)
    with committed():
        # The author asks and is the first signatory: nobody is told about their own action.
        drive(world, document, "awaiting_signatures")
        assert told() == []
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
        # The concept note's chain (issue 15): system owner, head of ICT, accounting officer.
        assert told() == [("system_owner", Kind.SIGNATURE_REQUESTED)]
        for signer in (world.system_owner, world.ict_head, world.accounting_officer):
            approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    assert told() == [
        ("system_owner", Kind.SIGNATURE_REQUESTED),
        ("ict_head", Kind.SIGNATURE_REQUESTED),
        ("accounting_officer", Kind.SIGNATURE_REQUESTED),
        ("officer", Kind.FULLY_SIGNED),
    ]
    assert mailed() == told()
    assert set(Outbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_author_hears_a_decline_with_the_reason(world, committed):
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    with committed():
        ok(act(world, world.ict_head, document.pk, "decline", {"reason": "Bajeti haijakamilika"}))
    note = Notification.objects.get(kind=Kind.SIGNATURE_DECLINED)
    assert note.recipient == world.officer
    assert note.actor == world.ict_head
    assert note.payload["reason"] == "Bajeti haijakamilika"
    (email,) = [m for m in mail.outbox if m.to == ["officer@example.go.tz"]]
    assert "Bajeti haijakamilika" in email.body


def _returned_and_signed_again(world, document, *, returned_by) -> None:
    approvals.document_claim(document_id=document.pk, by=returned_by)
    approvals.document_request_changes(document_id=document.pk, by=returned_by, comment="Bado")
    engine.document_update(document_id=document.pk, by=world.officer, title="Dhana — toleo 2")
    approvals.document_request_signatures(document_id=document.pk, by=world.officer)
    for signer in (world.officer, world.system_owner, world.ict_head, world.accounting_officer):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    Notification.objects.all().delete()
    mail.outbox.clear()


def test_every_reviewer_hears_of_a_submission_the_returning_reviewer_of_a_resubmission(
    world, committed
):
    absent = make_user("reviewer_gone", world.ega, Role.REVIEWER, is_active=False)
    document = drive(world, new_document(world), "signed")
    with committed():
        ok(act(world, world.officer, document.pk, "submit"))
    assert sorted(told(Kind.SUBMITTED)) == [
        ("reviewer", Kind.SUBMITTED),
        ("reviewer2", Kind.SUBMITTED),
    ]
    assert absent.username not in {name for name, _kind in told()}

    _returned_and_signed_again(world, document, returned_by=world.reviewer2)
    with committed():
        ok(act(world, world.officer, document.pk, "submit"))
    # It came back to the reviewer who returned it: only they are told, that it is theirs.
    assert told() == [("reviewer2", Kind.RESUBMITTED)]
    assert mailed() == told()
    (note,) = Notification.objects.all()
    assert note.payload["reserved"] is True
    assert "Imerudi kwako" in mail.outbox[0].body


def test_every_reviewer_hears_of_a_resubmission_whose_reviewer_has_left(world, committed):
    document = drive(world, new_document(world), "signed")
    ok(act(world, world.officer, document.pk, "submit"))
    _returned_and_signed_again(world, document, returned_by=world.reviewer2)
    world.reviewer2.is_active = False
    world.reviewer2.save(update_fields=["is_active"])
    with committed():
        body = ok(act(world, world.officer, document.pk, "submit"))
    assert body["assignee"] is None
    assert sorted(told()) == [("reviewer", Kind.RESUBMITTED)]
    assert "reserved" not in Notification.objects.get().payload


@pytest.mark.parametrize(
    ("action", "body", "kind", "quoted"),
    [
        ("approve", {"comment": "Kazi nzuri"}, Kind.APPROVED, "Kazi nzuri"),
        ("reject", {"reason": "Haiendani na mkakati"}, Kind.REJECTED, "Haiendani na mkakati"),
        (
            "request-changes",
            {"comment": "Rekebisha bajeti", "field_comments": {"title": "Fupisha kichwa"}},
            Kind.CHANGES_REQUESTED,
            "Rekebisha bajeti",
        ),
    ],
)
def test_the_author_hears_every_agency_decision_with_its_reason(
    world, committed, action, body, kind, quoted
):
    document = drive(world, new_document(world), "under_review")
    if action == "approve":
        fill_checklist(document.pk, by=world.reviewer)
    Notification.objects.all().delete()
    with committed():
        ok(act(world, world.reviewer, document.pk, action, body))
    assert told() == [("officer", kind)]
    (email,) = mail.outbox
    assert email.to == ["officer@example.go.tz"]
    assert quoted in email.body
    if action == "request-changes":
        assert "Fupisha kichwa" in email.body
        assert Notification.objects.get().payload["field_comments"] == {"title": "Fupisha kichwa"}


def test_the_person_waited_on_hears_of_a_withdrawal(world, committed):
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    Notification.objects.all().delete()
    with committed():
        ok(act(world, world.officer, document.pk, "withdraw", {"reason": "Mradi umesitishwa"}))
    assert told() == [("system_owner", Kind.WITHDRAWN)]
    (email,) = mail.outbox
    assert "Mradi umesitishwa" in email.body


def test_a_withdrawal_from_the_queue_tells_nobody_as_nobody_holds_it(world, committed):
    document = drive(world, new_document(world), "submitted")
    Notification.objects.all().delete()
    with committed():
        ok(act(world, world.officer, document.pk, "withdraw"))
    assert told() == []


def test_claiming_and_releasing_tell_nobody(world, committed):
    document = drive(world, new_document(world), "submitted")
    Notification.objects.all().delete()
    with committed():
        ok(act(world, world.reviewer, document.pk, "claim"))
        ok(act(world, world.reviewer, document.pk, "release"))
    assert told() == []
    assert mail.outbox == []


def test_a_person_without_an_email_address_still_gets_in_app_notifications(world, committed):
    world.system_owner.email = ""
    world.system_owner.save(update_fields=["email"])
    document = drive(world, new_document(world), "awaiting_signatures")
    with committed():
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    assert told() == [("system_owner", Kind.SIGNATURE_REQUESTED)]
    assert Outbox.objects.count() == 0
    assert mail.outbox == []


def test_notifications_roll_back_with_their_transition(world, committed):
    document = drive(world, new_document(world), "awaiting_signatures")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
        assert told() == [("system_owner", Kind.SIGNATURE_REQUESTED)]
        raise RuntimeError("the transition's transaction fails after the signal")
    assert told() == []
    assert Outbox.objects.count() == 0
    assert mail.outbox == []
    document.refresh_from_db()
    assert document.next_signer == world.officer


def test_a_refused_transition_tells_nobody(world, committed):
    document = drive(world, new_document(world), "awaiting_signatures")
    with committed():
        response = act(world, world.ict_head, document.pk, "sign", {"password": PASSWORD})
    assert response.status_code == 403
    assert told() == [] and mail.outbox == []
