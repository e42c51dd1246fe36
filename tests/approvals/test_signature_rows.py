"""The current round's signatures as a transition reads them (approvals.transitions.
signature_rows, one statement compiled once per connection): the same rows, fields, signatories
and languages as the ORM reads, the earlier round left out, in no more than one statement."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from approvals import services as approvals
from approvals.models import Signature
from approvals.transitions.signature_rows import hold_signatures
from notifications.models import Language, Preference
from notifications.people import language_of
from tests.helpers import PASSWORD, act, drive, new_document, ok
from workflow.lifecycle import active_signatures_of
from workflow.models import Document

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def test_the_round_read_is_the_orm_s_active_signatures_with_their_signatories(
    world, django_assert_num_queries
):
    Preference.objects.create(user=world.ict_head, language=Language.ENGLISH)
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    # A declined round, then a new one: the first round's rows stay, inactive.
    approvals.document_sign(document_id=document.pk, by=world.system_owner, password=PASSWORD)
    ok(act(world, world.ict_head, str(document.pk), "decline", {"reason": "Bajeti"}))
    ok(act(world, world.officer, str(document.pk), "request-signatures"))
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    assert Signature.objects.filter(document=document, active=False).exists()

    held = Document.objects.get(pk=document.pk)
    with django_assert_num_queries(1):
        rows = hold_signatures(held)
        languages = [language_of(s.signer) for s in rows]
    expected = list(
        Signature.objects.filter(document=document, active=True)
        .select_related("signer__notification_preference")
        .order_by("order")
    )
    assert [s.pk for s in rows] == [s.pk for s in expected]
    for row, orm in zip(rows, expected, strict=True):
        assert [getattr(row, n) for n in _fields(Signature)] == [
            getattr(orm, n) for n in _fields(Signature)
        ]
        assert [getattr(row.signer, n) for n in _fields(User)] == [
            getattr(orm.signer, n) for n in _fields(User)
        ]
        assert row.document is held and not row._state.adding
    assert languages == [language_of(s.signer) for s in expected]
    assert Language.ENGLISH in languages and Language.SWAHILI in languages
    assert active_signatures_of(held) == rows
    assert [s.status for s in rows][:1] == ["signed"]


def test_a_document_without_signatures_holds_none(world):
    document = new_document(world)
    assert hold_signatures(document) == []
    assert active_signatures_of(document) == []
