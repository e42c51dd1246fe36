"""Racing requests get one winner and 409s: real threads, real PostgreSQL row locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.helpers import PASSWORD, drive, fill_checklist, new_document
from workflow.models import AuditEvent, Document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL"),
]


def _race(world, users, path: str, body: dict) -> list[int]:
    barrier = threading.Barrier(len(users))
    results: list[int] = []
    lock = threading.Lock()

    def worker(user):
        client = world.client(user)
        try:
            barrier.wait(timeout=30)
            response = client.post(path, body, format="json")
            with lock:
                results.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def test_thirty_two_claims_on_one_document_have_one_winner(world):
    document = drive(world, new_document(world), "submitted")
    users = [world.reviewer, world.reviewer2] * 16
    results = _race(world, users, f"/api/v1/documents/{document.pk}/claim/", {})
    assert results == [200] + [409] * 31
    document.refresh_from_db()
    assert document.status == "under_review"
    assert AuditEvent.objects.filter(document=document, action="claim").count() == 1


def test_one_signer_signing_twice_at_once_signs_once(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    results = _race(
        world,
        [world.officer] * 8,
        f"/api/v1/documents/{document.pk}/sign/",
        {"password": PASSWORD},
    )
    assert results == [200] + [409] * 7
    document = Document.objects.get(pk=document.pk)
    assert document.next_signer_id == world.system_owner.pk  # the concept note's second
    assert AuditEvent.objects.filter(document=document, action="sign").count() == 1
    assert document.signatures.filter(active=True, status="signed").count() == 1


def test_approve_and_reject_at_once_decide_once(world):
    document = drive(world, new_document(world), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    barrier = threading.Barrier(2)
    codes = []

    def decide(action, body):
        client = world.client(world.reviewer)
        try:
            barrier.wait(timeout=30)
            codes.append(
                client.post(
                    f"/api/v1/documents/{document.pk}/{action}/", body, format="json"
                ).status_code
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("approve", {})),
        threading.Thread(target=decide, args=("reject", {"reason": "Hapana"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [200, 409]
    decisions = AuditEvent.objects.filter(document=document, action__in=["approve", "reject"])
    assert decisions.count() == 1
    assert Document.objects.get(pk=document.pk).status == decisions.get().to_status
