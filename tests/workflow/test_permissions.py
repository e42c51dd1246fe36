"""Who may do what, as a matrix: every persona × every action × every status.

Another institution's document is 404, an action in the wrong status is 409, the wrong person is
403, anonymous is 401 — and a refused request changes nothing. The actions a request may take are
exactly those ``allowed_actions`` lists.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.helpers import PASSWORD, drive, fill_checklist, new_document
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.django_db

BODIES = {
    "request-signatures": {},
    "sign": {"password": PASSWORD},
    "decline": {"reason": "Sikubaliani"},
    "submit": {},
    "withdraw": {"reason": "Hatuhitaji tena"},
    "claim": {},
    "release": {},
    "approve": {"comment": "Sawa"},
    "reject": {"reason": "Hapana"},
    "request-changes": {"comment": "Rekebisha"},
}

SOURCES = {
    "request-signatures": {"draft", "changes_requested"},
    "sign": {"awaiting_signatures"},
    "decline": {"awaiting_signatures"},
    "submit": {"signed"},
    "withdraw": {"draft", "awaiting_signatures", "signed", "submitted"},
    "claim": {"submitted"},
    "release": {"under_review"},
    "approve": {"under_review"},
    "reject": {"under_review"},
    "request-changes": {"under_review"},
}

# In awaiting_signatures the author (order 1) is next; every signatory is pending.
WHO = {
    "request-signatures": {"author"},
    "sign": {"author"},
    "decline": {"author", "ict_head", "accounting_officer"},
    "submit": {"author"},
    "withdraw": {"author"},
    "claim": {"reviewer", "reviewer2"},
    "release": {"reviewer"},  # the assignee
    "approve": {"reviewer"},
    "reject": {"reviewer"},
    "request-changes": {"reviewer"},
}

STATUSES = [
    "draft",
    "awaiting_signatures",
    "signed",
    "submitted",
    "under_review",
    "changes_requested",
    "approved",
    "rejected",
    "withdrawn",
]


def _personas(world):
    return {
        "author": world.officer,
        "ict_head": world.ict_head,
        "accounting_officer": world.accounting_officer,
        "outsider": world.officer_moe,
        "reviewer": world.reviewer,
        "reviewer2": world.reviewer2,
        "anonymous": None,
    }


def _visible(persona: str, document: Document) -> bool:
    if persona == "outsider":
        return False
    if persona.startswith("reviewer"):
        return document.reference is not None and document.status != "draft"
    return True


def _expected(persona: str, action: str, document: Document) -> int:
    if persona == "anonymous":
        return 401
    if not _visible(persona, document):
        return 404
    if document.status not in SOURCES[action]:
        return 409
    return 200 if persona in WHO[action] else 403


def _snapshot(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.version,
        document.audit_seq,
        document.assignee_id,
        document.next_signer_id,
        AuditEvent.objects.filter(document_id=document_id).count(),
    )


@pytest.mark.parametrize("status", STATUSES)
def test_every_persona_and_action_in_this_status(world, status):
    document = drive(world, new_document(world), status)
    if status == "under_review":
        fill_checklist(document.pk, by=world.reviewer)  # what approving needs (approvals.checklist)
    personas = _personas(world)
    for persona, user in personas.items():
        client = world.client(user) if user else APIClient()
        permitted = set()
        for action, body in BODIES.items():
            expected = _expected(persona, action, document)
            before = _snapshot(document.pk)
            savepoint = transaction.savepoint()
            response = client.post(
                f"/api/v1/documents/{document.pk}/{action}/", body, format="json"
            )
            after = _snapshot(document.pk)
            transaction.savepoint_rollback(savepoint)
            assert response.status_code == expected, (persona, action, status, response.content)
            if expected == 200:
                permitted.add(action)
                assert after != before
            else:
                assert after == before, (persona, action, status)
                body = response.json()
                assert body["detail"] and body["code"], body
        detail = client.get(f"/api/v1/documents/{document.pk}/")
        if persona == "anonymous":
            assert detail.status_code == 401
        elif not _visible(persona, document):
            assert detail.status_code == 404
        else:
            assert set(detail.json()["allowed_actions"]) == permitted, (persona, status)


def test_another_institutions_document_is_not_found_everywhere(world):
    document = new_document(world)
    outsider = world.client(world.officer_moe)
    for path in ["", "history/"]:
        assert outsider.get(f"/api/v1/documents/{document.pk}/{path}").status_code == 404
    assert (
        outsider.patch(
            f"/api/v1/documents/{document.pk}/", {"title": "x"}, format="json"
        ).status_code
        == 404
    )
    listing = outsider.get("/api/v1/documents/").json()
    assert listing["count"] == 0
    assert outsider.get(f"/api/v1/projects/{document.project_id}/").status_code == 404
    assert Document.objects.get(pk=document.pk).title == document.title


def test_reviewers_never_see_drafts(world):
    draft = new_document(world)
    reviewer = world.client(world.reviewer)
    assert reviewer.get(f"/api/v1/documents/{draft.pk}/").status_code == 404
    assert reviewer.get("/api/v1/documents/").json()["count"] == 0
    submitted = drive(world, new_document(world), "submitted")
    assert [d["id"] for d in reviewer.get("/api/v1/documents/").json()["results"]] == [
        str(submitted.pk)
    ]


def test_only_reviewers_have_a_review_queue(world):
    for user in [world.officer, world.ict_head, world.officer_moe]:
        assert world.client(user).get("/api/v1/review-queue/").status_code == 403
    assert APIClient().get("/api/v1/review-queue/").status_code == 401


def test_only_the_author_edits_a_draft(world):
    document = new_document(world)
    for user in [world.ict_head, world.accounting_officer]:
        response = world.client(user).patch(
            f"/api/v1/documents/{document.pk}/", {"title": "Imebadilishwa"}, format="json"
        )
        assert response.status_code == 403
    assert Document.objects.get(pk=document.pk).title == document.title


def test_signatories_and_reviewers_cannot_create_projects_or_documents(world):
    for user in [world.ict_head, world.reviewer]:
        client = world.client(user)
        assert client.post("/api/v1/projects/", {"name": "X"}, format="json").status_code == 403
        response = client.post(
            "/api/v1/documents/",
            {"type": "concept_note", "title": "X", "project": None},
            format="json",
        )
        assert response.status_code == 403
    assert Document.objects.count() == 0
