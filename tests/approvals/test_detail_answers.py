"""The document's representation is the same however it is reached: a transition's answer is the
detail a GET right after returns, byte for byte; a list or queue item is the detail without its
detail-only keys; and the reviews the detail shows (or skips reading) are the reviews stored.
In every status, for the officer, a signatory, a reviewer and the other reviewer."""

from __future__ import annotations

import json

import pytest

from approvals.models import Review
from tests.helpers import PASSWORD, act, drive, fill_checklist, new_document, ok, resubmitted
from workflow.models import Document, Status

pytestmark = pytest.mark.django_db

DETAIL_ONLY = ("reviews", "broken_rules", "checklist")

# action: (start status, who, body)
ACTIONS = {
    "request-signatures": ("draft", "officer", {}),
    "sign": ("awaiting_signatures", "next signer", {"password": PASSWORD}),
    "decline": ("awaiting_signatures", "next signer", {"reason": "Sikubaliani"}),
    "submit": ("signed", "officer", {}),
    "withdraw": ("submitted", "officer", {"reason": "Tumeacha"}),
    "claim": ("submitted", "reviewer", {}),
    "release": ("under_review", "reviewer", {}),
    "approve": ("under_review", "reviewer", {"comment": "Sawa"}),
    "reject": ("under_review", "reviewer", {"reason": "Hapana"}),
    "request-changes": ("under_review", "reviewer", {"comment": "Rekebisha"}),
}


def _resubmitted(world, status: str) -> Document:
    """A document returned for changes once, sent again and in ``status`` (submitted or
    under_review): its reviews are read, as its count of returns says."""
    document = resubmitted(world)
    if status == "under_review":
        ok(act(world, world.reviewer, document.pk, "claim"))
    return Document.objects.get(pk=document.pk)


def _documents(world) -> list[Document]:
    documents = [drive(world, new_document(world), status) for status in Status.values]
    return documents + [_resubmitted(world, s) for s in ("submitted", "under_review")]


def _stored_reviews(document: Document) -> list[tuple]:
    rows = Review.objects.filter(document=document).order_by("created_at")
    return [(r.decision, r.comment, r.reviewer.username, r.version) for r in rows]


def _callers(world) -> list:
    return [world.officer, world.ict_head, world.reviewer, world.reviewer2]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_transitions_answer_is_the_detail_read_right_after(world, action):
    start, who, body = ACTIONS[action]
    document = drive(world, new_document(world), start)
    if action == "approve":
        fill_checklist(document.pk, by=world.reviewer)
    user = document.next_signer if who == "next signer" else getattr(world, who)
    client = world.client(user)
    answer = client.post(f"/api/v1/documents/{document.pk}/{action}/", body, format="json")
    assert answer.status_code == 200, answer.content
    fresh = client.get(f"/api/v1/documents/{document.pk}/")
    assert answer.content == fresh.content


def test_a_returned_documents_answers_are_the_detail_read_right_after(world):
    document = _resubmitted(world, "submitted")
    for action, body in (("claim", {}), ("release", {}), ("claim", {}), ("approve", {})):
        if action == "approve":
            fill_checklist(document.pk, by=world.reviewer)
        client = world.client(world.reviewer)
        answer = client.post(f"/api/v1/documents/{document.pk}/{action}/", body, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.content == client.get(f"/api/v1/documents/{document.pk}/").content


def test_the_detail_shows_every_stored_review_in_every_status(world):
    for document in _documents(world):
        for user in _callers(world):
            response = world.client(user).get(f"/api/v1/documents/{document.pk}/")
            if response.status_code == 404:  # not visible to this caller (a draft to the agency)
                continue
            shown = [
                (r["decision"], r["comment"], r["reviewer"], r["version"])
                for r in ok(response)["reviews"]
            ]
            assert shown == _stored_reviews(document), (document.status, user.username)


def _items(world, user, path: str) -> dict[str, dict]:
    return {item["id"]: item for item in ok(world.client(user).get(path))["results"]}


def test_list_and_queue_items_are_the_detail_without_its_own_keys(world):
    documents = _documents(world)
    pages = [
        (world.officer, "/api/v1/documents/?page_size=200"),
        (world.ict_head, "/api/v1/documents/?page_size=200"),
        (world.reviewer, "/api/v1/documents/?page_size=200"),
        (world.reviewer, "/api/v1/review-queue/?page_size=200"),
        (world.reviewer2, "/api/v1/review-queue/?page_size=200"),
    ]
    for user, path in pages:
        items = _items(world, user, path)
        assert items, path
        for document in documents:
            if str(document.pk) not in items:
                continue
            detail = ok(world.client(user).get(f"/api/v1/documents/{document.pk}/"))
            expected = {k: v for k, v in detail.items() if k not in DETAIL_ONLY}
            assert json.dumps(items[str(document.pk)]) == json.dumps(expected), (path, user)
