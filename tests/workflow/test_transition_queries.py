"""Each transition's service runs a fixed, small number of SQL statements from its row lock to
its commit: a statement added anywhere (a receiver, the audit, the state machine) fails here.

Counted inside the service's own transaction (between its SAVEPOINT and its RELEASE in the test's
transaction); the password check before the lock and the HTTP layer are pinned apart
(tests/workflow/test_query_counts.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import transitions
from tests.helpers import PASSWORD, drive, fill_checklist, new_document
from workflow.models import Document

pytestmark = pytest.mark.django_db

# action: (start status, who, service keyword arguments, statements lock..commit). Every one
# has the lock (with the institution, project and author joined), the audit INSERT and the
# document's UPDATE. Telling people: the recipients, one INSERT of notifications, one of e-mails.
# The similar-systems index (a concept note): an UPDATE of its row's status, or for one that
# leaves review (reject, request changes) the project and its documents read and the row
# deleted; at submission the project read and the row written.
TRANSITIONS = {
    # + the signatories' roles, the version, the signatures, the pages' kept answers dropped
    "request_signatures": ("draft", "officer", {}, 8),
    # + the signatures read and the one signed; the next signatory told
    "sign": ("awaiting_signatures", "officer", {"password": PASSWORD}, 8),
    "decline": ("awaiting_signatures", "officer", {"reason": "Si sahihi"}, 6),
    # + the reference number; every reviewer told; the index's row written
    "submit": ("signed", "officer", {}, 10),
    "withdraw": ("submitted", "officer", {"reason": "Tumeachana nao"}, 8),
    "claim": ("submitted", "reviewer", {}, 5),
    "release": ("under_review", "reviewer", {}, 5),
    # + the checklist's marks, the review, the project's stage; the author told
    "approve": ("under_review", "reviewer", {"comment": "Sawa"}, 11),
    "reject": ("under_review", "reviewer", {"reason": "Hapana"}, 11),
    # + the checklist's marks (the comments left to it)
    "request_changes": ("under_review", "reviewer", {"comment": "Rekebisha"}, 12),
}


def in_transaction(queries: list[dict]) -> list[str]:
    """The statements between the service's outermost savepoint and its release."""
    sql = [query["sql"] for query in queries]
    start = next(i for i, text in enumerate(sql) if text.startswith("SAVEPOINT"))
    name = sql[start].split()[1]
    end = next(i for i, text in enumerate(sql) if text == f"RELEASE SAVEPOINT {name}")
    return sql[start + 1 : end]


def run(world, action: str) -> list[str]:
    start, who, kwargs, _limit = TRANSITIONS[action]
    document = drive(world, new_document(world), start)
    if action == "approve":
        fill_checklist(document.pk, by=world.reviewer)
    service = getattr(transitions, f"document_{action}")
    by = get_user_model().objects.get(pk=getattr(world, who).pk)  # as a request loads it
    with CaptureQueriesContext(connection) as captured:
        service(document_id=document.pk, by=by, **kwargs)
    assert Document.objects.get(pk=document.pk).status != start or action == "sign"
    return in_transaction(captured.captured_queries)


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_each_transition_runs_a_fixed_number_of_statements(world, action):
    first, second = run(world, action), run(world, action)
    assert len(first) == len(second)
    assert len(first) == TRANSITIONS[action][3], "\n".join(first)
