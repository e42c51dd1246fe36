"""Every read endpoint of the contract costs a fixed number of queries: the same with 10 rows as
with 1,000 (documents, events, versions, notifications), and exactly the number pinned here, so
a query added to a read fails a test. Authentication is forced: a token costs one query more.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import clone_documents, drive, new_document
from workflow.models import AuditEvent, DocumentVersion

pytestmark = pytest.mark.django_db


def _queries(world, user, path: str) -> int:
    client = world.client(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _more_documents(document, n: int) -> None:
    clone_documents(document, n, type="implementation_report")


def _more_events(document, n: int) -> None:
    last = AuditEvent.objects.filter(document=document).order_by("-seq").first()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            document=document,
            seq=last.seq + 1 + i,
            action="edit",
            actor_id=last.actor_id,
            actor_username=last.actor_username,
            version=document.version,
            payload={"fields": ["title"]},
            created_at=last.created_at,
            prev_hash=last.hash,
            hash=uuid.uuid4().hex * 2,
        )
        for i in range(n)
    )


def _more_versions(document, n: int) -> None:
    last = DocumentVersion.objects.filter(document=document).order_by("-number").first()
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=document,
            number=last.number + 1 + i,
            title=f"{last.title} {i}",
            data=last.data,
            attachments=last.attachments,
            content_hash=last.content_hash,
            created_by_id=last.created_by_id,
        )
        for i in range(n)
    )


def _more_notifications(document, n: int) -> None:
    from notifications.models import Notification

    last = Notification.objects.filter(recipient=document.author).first()
    Notification.objects.bulk_create(
        Notification(
            recipient_id=last.recipient_id,
            kind=last.kind,
            document_id=last.document_id,
            event_id=last.event_id,
            actor_id=last.actor_id,
            payload=last.payload,
        )
        for _ in range(n)
    )


# (status of the document, who reads, path, what grows, queries): the membership (who the
# reader is), the rows, their one prefetch of signatures, the page's COUNT.
READS: dict[str, tuple[str, str, str, Callable[[object, int], None], int]] = {
    # No reviews read: a document never submitted has none.
    "detail, officer": ("draft", "officer", "/api/v1/documents/{id}/", _more_documents, 3),
    # + the checklist's marks, once the agency reads the document; no reviews read of one never
    # decided on nor returned (approvals.serializers.might_have_reviews)
    "detail, reviewer": ("under_review", "reviewer", "/api/v1/documents/{id}/", _more_documents, 4),
    "list": ("draft", "officer", "/api/v1/documents/?page_size=20", _more_documents, 4),
    "review queue": (
        "submitted",
        "reviewer",
        "/api/v1/review-queue/?page_size=50",
        _more_documents,
        4,
    ),
    "signature inbox": (
        "awaiting_signatures",
        "next signer",
        "/api/v1/signature-requests/",
        _more_documents,
        3,
    ),
    # The membership, the document (visible?), the COUNT, the page: not the document's
    # signatures, which the history does not show.
    "history": ("submitted", "officer", "/api/v1/documents/{id}/history/", _more_events, 4),
    "versions": ("signed", "officer", "/api/v1/documents/{id}/versions/", _more_versions, 3),
    # The COUNT, the page, the unread count: no membership needed.
    "notifications": ("signed", "officer", "/api/v1/notifications/", _more_notifications, 3),
    "attachments": ("draft", "officer", "/api/v1/documents/{id}/attachments/", _more_documents, 4),
    "checklist": (
        "under_review",
        "reviewer",
        "/api/v1/documents/{id}/checklist/",
        _more_documents,
        3,
    ),
    "projects": ("draft", "officer", "/api/v1/projects/", _more_documents, 3),
    "document type": (
        "draft",
        "officer",
        "/api/v1/document-types/concept_note/",
        _more_documents,
        0,
    ),
    "preferences": ("draft", "officer", "/api/v1/notifications/preferences/", _more_documents, 1),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_read_costs_the_same_at_ten_and_at_a_thousand_rows(world, name):
    status, who, path, grow, pinned = READS[name]
    document = drive(world, new_document(world), status)
    path = path.format(id=document.pk)
    user = document.next_signer if who == "next signer" else getattr(world, who)
    grow(document, 10)
    small = _queries(world, user, path)
    grow(document, 990)
    large = _queries(world, user, path)
    assert (small, large) == (pinned, pinned)


def test_verifying_a_code_costs_a_fixed_number_of_queries(world):
    document = drive(world, new_document(world, "email_account_request"), "approved")
    clone_documents(document, 10)
    path = f"/api/v1/verify/{document.verification_code}/"
    small = _queries(world, None, path)
    clone_documents(document, 990)
    # The document and what its public record shows.
    assert (small, _queries(world, None, path)) == (6, 6)


def test_a_queue_of_resubmissions_reserved_for_others_costs_the_same(world):
    """A resubmission reserved for another reviewer is claimable only when that reviewer is no
    longer active (workflow.lifecycle._may_claim): whether they are comes with the page's rows,
    not one query per row."""
    document = drive(world, new_document(world), "submitted")
    type(document).objects.filter(pk=document.pk).update(assignee=world.reviewer2)
    document.refresh_from_db()
    path = "/api/v1/review-queue/?page_size=50"
    clone_documents(document, 2, type="implementation_report")
    small = _queries(world, world.reviewer, path)
    clone_documents(document, 40, type="implementation_report")
    large = _queries(world, world.reviewer, path)
    assert (small, large) == (4, 4)
