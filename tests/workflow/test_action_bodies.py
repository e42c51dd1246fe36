"""An action's body is a JSON object or nothing. JSON null, an array, a string, a number or a
boolean is a 400 that names what was sent, for every action, and changes nothing — even where
the action takes no fields (``withdraw`` with ``null`` used to withdraw)."""

from __future__ import annotations

import json

import pytest

from approvals.actions import ACTIONS
from tests.helpers import PASSWORD, drive, new_document
from workflow.models import AuditEvent, Document

# action -> (status it starts from, who takes it, a body that works)
READY = {
    "request-signatures": ("draft", "officer", None),
    "sign": ("awaiting_signatures", "officer", {"password": PASSWORD}),
    "decline": ("awaiting_signatures", "officer", {"reason": "Sikubaliani"}),
    "submit": ("signed", "officer", None),
    "withdraw": ("submitted", "officer", None),
    "claim": ("submitted", "reviewer", None),
    "release": ("under_review", "reviewer", None),
    # The checklist is not filled here: approving says why (its gating is tested elsewhere).
    "approve": ("under_review", "reviewer", {"override_reason": "Imehakikiwa kwa barua"}),
    "reject": ("under_review", "reviewer", {"reason": "Hapana"}),
    "request-changes": ("under_review", "reviewer", {"comment": "Rekebisha"}),
}

BAD = {
    "null": ("null", "null"),
    "[]": ("[]", "orodha (array)"),
    '[{"reason": "x"}]': ('[{"reason": "x"}]', "orodha (array)"),
    '"withdraw"': ('"withdraw"', "maandishi (string)"),
    "5": ("5", "namba"),
    "1.5": ("1.5", "namba"),
    "true": ("true", "true au false"),
}


def state_of(document) -> tuple:
    stored = Document.objects.get(pk=document.pk)
    events = AuditEvent.objects.filter(document=document).count()
    return stored.status, stored.version, stored.next_signer_id, stored.assignee_id, events


def test_every_action_is_covered():
    assert set(READY) == set(ACTIONS)


@pytest.mark.parametrize("action", list(READY))
def test_a_body_that_is_not_an_object_is_a_400_naming_it(world, action):
    start, who, good = READY[action]
    document = drive(world, new_document(world), start)
    before = state_of(document)
    client = world.client(getattr(world, who))
    path = f"/api/v1/documents/{document.pk}/{action}/"
    for raw, kind in BAD.values():
        response = client.post(path, raw, content_type="application/json")
        assert response.status_code == 400, (action, raw, response.content)
        message = response.json()["non_field_errors"][0]
        assert kind in message, (raw, message)
        assert "JSON" in message
        assert state_of(document) == before, (action, raw)
    # The same action with an object (or nothing at all) goes through.
    if good is None:
        response = client.post(path)  # no body
    else:
        response = client.post(path, json.dumps(good), content_type="application/json")
    assert response.status_code == 200, (action, response.content)


def test_the_message_is_english_when_asked(world):
    document = drive(world, new_document(world), "submitted")
    response = world.client(world.officer).post(
        f"/api/v1/documents/{document.pk}/withdraw/",
        "null",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The body must be a JSON object or empty, not null."]
    }
    assert Document.objects.get(pk=document.pk).status == "submitted"


def test_an_empty_json_body_and_no_body_are_the_same(world):
    document = drive(world, new_document(world), "submitted")
    client = world.client(world.reviewer)
    response = client.post(
        f"/api/v1/documents/{document.pk}/claim/", "", content_type="application/json"
    )
    assert response.status_code == 200, response.content
    response = client.post(
        f"/api/v1/documents/{document.pk}/release/", "{}", content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_other_endpoints_refuse_null_too(world):
    from rest_framework.test import APIClient

    assert (
        APIClient().post("/api/v1/auth/token/", "null", content_type="application/json").status_code
        == 400
    )
    client = world.client(world.officer)
    for path in ["/api/v1/projects/", "/api/v1/documents/"]:
        response = client.post(path, "null", content_type="application/json")
        assert response.status_code == 400
        assert "null" in response.json()["non_field_errors"][0]
    assert Document.objects.count() == 0
