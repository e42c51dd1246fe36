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

# action: (start status, who, service keyword arguments, statements lock..commit). The caller's
# roles are read before the transaction (steps.transition), like the password. Every one has the
# lock (with the institution, project and author with their language joined) and the audit
# INSERT with the document's UPDATE (one statement on PostgreSQL, workflow.audit.save_with_event;
# two elsewhere). Telling people: one statement writes the notifications and their
# e-mails (PostgreSQL; two elsewhere), after reading the recipients unless only the author (locked
# with the document) or signatories (read with the signatures) are told. The similar-systems
# index (a concept note): an UPDATE of its row's status, a DELETE of its row for one that leaves
# review (reject, request changes), the row written at submission.
TRANSITIONS = {
    # + the signatories' roles, the version, the signatures, the pages' kept answers dropped
    "request_signatures": ("draft", "officer", {}, 6),
    # + the signatures read (with their signatories: the next one is told with no query of
    # their own) and the one signed
    "sign": ("awaiting_signatures", "officer", {"password": PASSWORD}, 5),
    "decline": ("awaiting_signatures", "officer", {"reason": "Si sahihi"}, 4),
    # + the reference number; every reviewer read and told; the index's row written
    "submit": ("signed", "officer", {}, 6),
    "withdraw": ("submitted", "officer", {"reason": "Tumeachana nao"}, 4),
    "claim": ("submitted", "reviewer", {}, 3),
    "release": ("under_review", "reviewer", {}, 3),
    # + the checklist's marks, the review, the project's stage; the author told
    "approve": ("under_review", "reviewer", {"comment": "Sawa"}, 7),
    "reject": ("under_review", "reviewer", {"reason": "Hapana"}, 5),
    # + the checklist's marks (the comments left to it)
    "request_changes": ("under_review", "reviewer", {"comment": "Rekebisha"}, 6),
}
# Those that e-mail someone: outside PostgreSQL the notifications and e-mails are two INSERTs
# (and for every transition the audit event and the document's UPDATE are two statements).
TELL = {"sign", "submit", "approve", "reject", "request_changes"}
# The ceiling (14.2): no transition runs more than this between its lock and commit.
CEILING = 8


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
    elsewhere = connection.vendor != "postgresql"
    expected = TRANSITIONS[action][3] + (elsewhere and action in TELL) + elsewhere
    assert len(first) == expected, "\n".join(first)
    assert TRANSITIONS[action][3] <= CEILING
