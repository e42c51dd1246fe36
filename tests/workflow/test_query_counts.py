"""A list of 1,000 costs what a list of 10 does; each transition costs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import PASSWORD, act, clone_documents, drive, fill_checklist, new_document
from workflow.models import Project

pytestmark = pytest.mark.django_db


def _count(callable_) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = callable_()
    return len(captured.captured_queries), result


def _list_queries(world, user, path: str) -> int:
    client = world.client(user)
    count, response = _count(lambda: client.get(path))
    assert response.status_code == 200, response.content
    return count


@pytest.mark.parametrize(
    ("status", "who", "path"),
    [
        ("draft", "officer", "/api/v1/documents/?page_size=200"),
        ("submitted", "reviewer", "/api/v1/review-queue/?page_size=200"),
        ("awaiting_signatures", "officer", "/api/v1/signature-requests/?page_size=200"),
        ("submitted", "reviewer", "/api/v1/documents/?page_size=200"),
    ],
)
def test_a_list_of_a_thousand_costs_what_a_list_of_ten_costs(world, status, who, path):
    document = drive(world, new_document(world), status)
    user = getattr(world, who)
    clone_documents(document, 9, type="implementation_report")
    small = _list_queries(world, user, path)
    clone_documents(document, 990, type="implementation_report")
    large = _list_queries(world, user, path)
    assert small == large
    assert small <= 6


def test_the_projects_list_is_constant(world):
    Project.objects.create(institution=world.moh, name="a", created_by=world.officer)
    small = _list_queries(world, world.officer, "/api/v1/projects/")
    Project.objects.bulk_create(
        Project(institution=world.moh, name=f"p{i}", created_by=world.officer) for i in range(100)
    )
    assert _list_queries(world, world.officer, "/api/v1/projects/") == small


# Each transition over HTTP, including authentication, the row lock, the audit event and
# re-reading the document for the response. Pinned: a change here is a change to review.
# Telling people (notifications): the recipients with their language (not when the author alone
# is told: locked with the document; nor the next signatory, read with the signatures), one
# statement writing the notifications and their e-mails on PostgreSQL (two elsewhere), whatever
# the number of recipients: +1 for sign (next signatory), +2 for submit (every reviewer), +1 for
# approve; none for request-signatures (the
# author signs first) and claim.
# The review checklist: +1 for the detail's checklist summary once the agency reads the document
# (claim, approve), +1 for approve's check of the marks under the row lock.
# The similar-systems index (similar.indexing), for a concept note: +1 for submit (the row
# written), claim and approve (the row's status).
# The pages' kept draft answers (portal.receivers): +1 when the document leaves the draft
# (request-signatures, withdraw from a draft), one conditional UPDATE that drops them.
# The row lock joins the institution, project and author (of=self: only the document's row is
# locked), so telling people and indexing read none of them again; the signatures are read
# only by the steps that use them (sign, decline, withdraw). The statements inside each
# service are pinned in tests/workflow/test_transition_queries.py.
# The response's detail reads no reviews of a document that cannot have one
# (approvals.serializers.might_have_reviews): never submitted (request-signatures, sign), or
# never decided on nor returned (submit, claim: -1 each); approve's answer reads them.
TRANSITION_QUERIES = {
    "request-signatures": 12,
    # sign: +2 the unlocked read before the password check, +2 the lockout check (axes).
    # sign and approve: whether the person has an authenticator (workflow.second_factor) is
    # read with their roles, in one statement (workflow.roles): no query of its own.
    "sign": 16,
    "submit": 12,
    "claim": 10,
    "approve": 15,
}
# Outside PostgreSQL the notifications and their e-mails are two INSERTs (notifications.inserts),
# and the audit event and the document's UPDATE two statements (workflow.audit.save_with_event).
TELL_BY_EMAIL = {"sign", "submit", "approve"}


@pytest.mark.parametrize("action", list(TRANSITION_QUERIES))
def test_each_transition_costs_a_fixed_number_of_queries(world, action):
    start = {
        "request-signatures": "draft",
        "sign": "awaiting_signatures",
        "submit": "signed",
        "claim": "submitted",
        "approve": "under_review",
    }[action]
    user = {"claim": world.reviewer, "approve": world.reviewer}.get(action, world.officer)
    body = {"sign": {"password": PASSWORD}}.get(action, {})
    counts = []
    for _ in range(2):
        document = drive(world, new_document(world), start)
        if action == "approve":
            fill_checklist(document.pk, by=world.reviewer)
        count, response = _count(lambda d=document: act(world, user, d.pk, action, body))
        assert response.status_code == 200, response.content
        counts.append(count)
    assert counts[0] == counts[1]
    expected = TRANSITION_QUERIES[action]
    elsewhere = connection.vendor != "postgresql"
    expected += (elsewhere and action in TELL_BY_EMAIL) + elsewhere
    assert counts[0] == expected, counts
