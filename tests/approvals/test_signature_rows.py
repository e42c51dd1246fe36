"""The signatures a transition reads by its compiled statement
(approvals.transitions.signature_rows) are the ORM's: the current round only, in order, every
field, each signatory and their notification language, with an earlier round retired and an
acting officer's signature among them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Signature
from approvals.transitions.signature_rows import hold_signatures
from approvals.transitions.steps import lock, read
from notifications.models import Preference
from notifications.people import language_of, loaded_with_preference
from tests.helpers import PASSWORD, drive, make_user, new_document, ok, returned
from workflow import services as engine
from workflow.lifecycle import PREFETCHED_SIGNATURES, active_signatures_of
from workflow.models import Document, Role

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _second_round(world) -> Document:
    """A concept note returned for changes (its first round all signed, now retired), edited and
    sent again: the officer signed, the system owner's acting officer signed for them, the ICT
    head (English notices) and the accounting officer (no preference row) still to sign."""
    deputy = make_user("naibu", world.moh, Role.OFFICER, first_name="Asha")
    Preference.objects.create(user=world.ict_head, language="en")
    Preference.objects.create(user=world.system_owner, language="sw")
    today = timezone.localdate()
    body = {
        "acting": deputy.username,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
    }
    ok(world.client(world.system_owner).post("/api/v1/delegations/", body, format="json"), 201)
    document = returned(world)
    engine.document_update(document_id=document.pk, by=world.officer, title="Dhana — toleo 2")
    approvals.document_request_signatures(document_id=document.pk, by=world.officer)
    for signer in (world.officer, deputy):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    return Document.objects.get(pk=document.pk)


def _orm(document: Document) -> list[Signature]:
    rows = Signature.objects.filter(document=document, active=True)
    return list(rows.select_related("signer__notification_preference").order_by("order"))


def test_the_signatures_read_are_the_orms_field_for_field(world):
    document = _second_round(world)
    expected = _orm(document)
    assert Signature.objects.filter(document=document, active=False).count() == 4
    assert [s.status for s in expected] == ["signed", "signed", "pending", "pending"]
    assert expected[1].signed_by_id is not None and expected[1].delegation_id is not None

    with CaptureQueriesContext(connection) as captured:
        held = hold_signatures(document)
    assert len(captured) == 1
    assert "FOR UPDATE" not in captured[0]["sql"]  # only the document row is ever locked

    assert active_signatures_of(document) is held
    assert [_values(s) for s in held] == [_values(s) for s in expected]
    assert [_values(s.signer) for s in held] == [_values(s.signer) for s in expected]
    assert [language_of(s.signer) for s in held] == [language_of(s.signer) for s in expected]
    assert [language_of(s.signer) for s in held] == ["sw", "sw", "en", "sw"]
    for signature in held:
        assert type(signature) is Signature and not signature._state.adding
        assert type(signature.signer) is get_user_model()
        assert signature.document is document
        assert loaded_with_preference(signature.signer)


@pytest.mark.parametrize("step", ["read", "lock"])
def test_the_read_before_the_password_and_the_lock_hold_the_same_signatures(world, step):
    document = _second_round(world)
    expected = [_values(s) for s in _orm(document)]
    with transaction.atomic():
        if step == "lock":
            held, _flow = lock(document_id=document.pk, by=world.officer, signatures=True)
        else:
            held, _flow = read(document_id=document.pk, by=world.officer, signatures=True)
        with CaptureQueriesContext(connection) as captured:
            signatures = active_signatures_of(held)
    assert len(captured) == 0
    assert [_values(s) for s in signatures] == expected


def test_a_document_never_sent_holds_no_signatures(world):
    document = new_document(world)
    assert hold_signatures(document) == []
    assert active_signatures_of(document) == []


def test_a_read_not_asked_for_the_signatures_reads_none(world):
    # Approve's refusals before the code of the reviewer's authenticator (review.py) need only
    # the document row.
    document = drive(world, new_document(world), "under_review")
    with CaptureQueriesContext(connection) as captured:
        held, _flow = read(document_id=document.pk, by=world.reviewer)
    assert len(captured) == 1
    assert Signature._meta.db_table not in captured[0]["sql"]
    assert not hasattr(held, PREFETCHED_SIGNATURES)
