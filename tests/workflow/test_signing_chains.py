"""The signatory chains as Tanzanian institutions sign (issue 15 item 3), as a matrix.

For every type and every step of its chain, each person of the institution (and one of another
institution) tries to sign and to decline: only the signatory whose turn it is signs (200), every
pending signatory may decline, anyone else is refused (403; signing again 409; another
institution 404) and a
refusal changes nothing; ``allowed_actions`` says the same. In a mailbox request the servant the
account is for (not the officer who filed it) signs first, then their supervisor, then the head
of human resources; any servant of an institution may file their own.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from approvals.models import Signature
from approvals.transitions.signing import _resolve_signers
from notifications.models import Preference
from notifications.people import language_of, loaded_with_preference
from tests.helpers import PASSWORD, act, make_user, new_document, ok
from workflow.models import AuditEvent, Document, Role

pytestmark = pytest.mark.django_db

# The chains as the issue lists them: (role, persona who holds it in MOH).
CHAINS = {
    "concept_note": [
        ("author", "officer"),
        ("system_owner", "system_owner"),
        ("head_of_ict", "ict_head"),
        ("accounting_officer", "accounting_officer"),
    ],
    "implementation_report": [
        ("author", "officer"),
        ("head_of_ict", "ict_head"),
        ("accounting_officer", "accounting_officer"),
    ],
    "completion_report": [
        ("author", "officer"),
        ("system_owner", "system_owner"),
        ("head_of_ict", "ict_head"),
        ("accounting_officer", "accounting_officer"),
    ],
    "terms_of_reference": [
        ("author", "officer"),
        ("head_of_ict", "ict_head"),
        ("head_of_procurement", "procurement_head"),
        ("accounting_officer", "accounting_officer"),
    ],
    # Filed by the officer for another servant: the servant named signs first.
    "email_account_request": [
        ("requesting_servant", "servant"),
        ("supervisor", "supervisor"),
        ("head_of_hr", "hr_head"),
    ],
}


@pytest.fixture
def people(world):
    servant = make_user("servant", world.moh, Role.SERVANT)
    supervisor = make_user("supervisor", world.moh, Role.SERVANT)
    return {
        "officer": world.officer,
        "system_owner": world.system_owner,
        "ict_head": world.ict_head,
        "procurement_head": world.procurement_head,
        "accounting_officer": world.accounting_officer,
        "hr_head": world.hr_head,
        "servant": servant,
        "supervisor": supervisor,
        "outsider": world.ict_head_moe,
    }


def _state(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.next_signer_id,
        document.audit_seq,
        AuditEvent.objects.filter(document_id=document_id).count(),
        sorted(Signature.objects.filter(document=document, active=True).values_list("status")),
    )


def _try(world, user, document_id, action: str, body: dict) -> int:
    before = _state(document_id)
    savepoint = transaction.savepoint()
    response = act(world, user, document_id, action, body)
    after = _state(document_id)
    transaction.savepoint_rollback(savepoint)
    if response.status_code != 200:
        assert after == before, (user.username, action)
    return response.status_code


def _sent_for_signature(world, type_key: str) -> Document:
    document = new_document(world, type_key)
    if type_key == "email_account_request":
        data = {**document.data, "servant_username": "servant", "supervisor_username": "supervisor"}
        ok(
            world.client(world.officer).patch(
                f"/api/v1/documents/{document.pk}/", {"data": data}, format="json"
            )
        )
    ok(act(world, world.officer, document.pk, "request-signatures"))
    return Document.objects.get(pk=document.pk)


@pytest.mark.parametrize("type_key", list(CHAINS))
def test_each_signatory_signs_in_turn_and_nobody_else(world, people, type_key):
    chain = CHAINS[type_key]
    document = _sent_for_signature(world, type_key)
    signatures = Signature.objects.filter(document=document, active=True).order_by("order")
    assert [(s.role, s.signer.username) for s in signatures] == [
        (role, people[persona].username) for role, persona in chain
    ]
    members = {persona for _, persona in chain}

    for step, (role, turn) in enumerate(chain):
        pending = {persona for _, persona in chain[step:]}
        done = {persona for _, persona in chain[:step]}  # signed already: a conflict
        for persona, user in people.items():
            signed = _try(world, user, document.pk, "sign", {"password": PASSWORD})
            declined = _try(world, user, document.pk, "decline", {"reason": "Sikubaliani"})
            if persona == "outsider":
                assert (signed, declined) == (404, 404)
                continue
            refused = 409 if persona in done else 403
            assert signed == (200 if persona == turn else refused), (role, persona, signed)
            assert declined == (200 if persona in pending else 403), (role, persona, declined)
            allowed = world.client(user).get(f"/api/v1/documents/{document.pk}/").json()
            assert ("sign" in allowed["allowed_actions"]) is (persona == turn), (role, persona)
            if persona not in members:
                assert "decline" not in allowed["allowed_actions"]
        ok(act(world, people[turn], document.pk, "sign", {"password": PASSWORD}))

    document.refresh_from_db()
    assert document.status == "signed"


def test_the_officer_who_filed_a_mailbox_request_for_someone_else_does_not_sign_it(world, people):
    document = _sent_for_signature(world, "email_account_request")
    assert document.next_signer_id == people["servant"].pk
    refused = act(world, world.officer, document.pk, "sign", {"password": PASSWORD})
    assert refused.status_code == 403
    assert Document.objects.get(pk=document.pk).next_signer_id == people["servant"].pk


def test_any_servant_files_their_own_mailbox_request_and_signs_it_first(world, people):
    servant = people["servant"]
    client = world.client(servant)
    body = {"type": "email_account_request", "title": "Barua pepe yangu", "project": None}
    created = ok(client.post("/api/v1/documents/", body, format="json"), 201)
    document = new_document(world, "email_account_request", author=servant)
    assert created["type"] == document.type
    assert document.data["servant_username"] == "servant"

    ok(act(world, servant, document.pk, "request-signatures"))

    assert Document.objects.get(pk=document.pk).next_signer_id == servant.pk
    ok(act(world, servant, document.pk, "sign", {"password": PASSWORD}))
    assert Document.objects.get(pk=document.pk).next_signer_id == world.ict_head.pk


def test_a_servant_prepares_no_project_documents(world, people):
    body = {"type": "concept_note", "title": "Mfumo", "project": None}
    response = world.client(people["servant"]).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 403
    assert not Document.objects.filter(author=people["servant"]).exists()


def test_a_mailbox_request_naming_someone_outside_the_institution_is_refused_by_field(
    world, people
):
    document = new_document(world, "email_account_request")
    data = {**document.data, "servant_username": "ict_head_moe"}
    ok(
        world.client(world.officer).patch(
            f"/api/v1/documents/{document.pk}/", {"data": data}, format="json"
        )
    )

    response = act(world, world.officer, document.pk, "request-signatures")

    assert response.status_code == 400
    assert "servant_username" in response.json()["data"]
    assert Document.objects.get(pk=document.pk).status == "draft"
    assert not Signature.objects.filter(document_id=document.pk).exists()


def test_a_role_is_signed_by_its_first_active_holder_who_is_told_in_their_language(world):
    # Two more heads of ICT at MOH: one who has left (inactive) and a later one with English
    # notices. The first holder by membership who is active signs, carrying their language.
    gone = make_user("ict_gone", world.moh, Role.HEAD_OF_ICT, is_active=False)
    later = make_user("ict_later", world.moh, Role.HEAD_OF_ICT)
    Preference.objects.create(user=later, language="en")
    world.ict_head.memberships.filter(role=Role.HEAD_OF_ICT).delete()  # now the first: gone

    document = Document.objects.get(pk=new_document(world).pk)
    signers = {role: user for _order, role, user in _resolve_signers(document)}
    assert signers["head_of_ict"] == later and gone.pk not in {u.pk for u in signers.values()}
    assert loaded_with_preference(signers["head_of_ict"])  # told of their turn: no query
    assert language_of(signers["head_of_ict"]) == "en"
    assert language_of(signers["system_owner"]) == "sw"  # no preference row: Swahili

    ok(act(world, world.officer, document.pk, "request-signatures"))
    round_ = Signature.objects.filter(document=document, active=True).order_by("order")
    assert [s.signer.username for s in round_] == [
        "officer",
        "system_owner",
        "ict_later",
        "accounting_officer",
    ]
