"""The current round's signatures of a document a transition holds, each with its signatory and
the signatory's notification language, as one statement compiled once per database connection
(config.sql.Reusable), as the row lock is (approvals.transitions.locking): the prefetch it
replaces built and compiled a queryset on every call (twice in a signature: the check before
the password and the one under the lock), which cost Django more than the database spends
answering it. The rows are read afresh every time; they are never locked: the document's row
lock is what serialises a transition's changes to its signatures.

A statement of their own, not joined to the document's (tried 2026-12-04): under the lock a
joined round would be wrong, since PostgreSQL (READ COMMITTED) gives a locking read that waited
for another commit that commit's version of the row it locks, but the joined rows as they were
when the statement began (tests/workflow/test_races.py's signer signing twice at once then got
403s, not 409s); and before the password, where that does not matter, one row for each
signature repeating the document's columns (its answers decoded once for each) made sign slower,
8.7 → 9.2 ms, though one statement fewer."""

from __future__ import annotations

from uuid import UUID

from django.db import DEFAULT_DB_ALIAS

from approvals.models import Signature
from approvals.transitions.locking import PERSON_COLUMNS, person_from_row
from config.sql import Reusable, column_names
from workflow.lifecycle import PREFETCHED_SIGNATURES
from workflow.models import Document

_SIGNATURE = column_names(Signature)
_NAMES = [
    *_SIGNATURE,
    *(f"signer__{name}" for name in PERSON_COLUMNS),
    "signer__notification_preference__language",  # null: no preference row (Swahili)
]
_ROUND = Reusable(
    lambda pk: (
        Signature.objects.filter(document_id=pk, active=True).order_by("order").values_list(*_NAMES)
    ),
    placeholder=UUID(int=0),  # no document has this id (uuid4 ids)
    prepare=Document._meta.pk.get_db_prep_value,
)


def hold_signatures(document: Document) -> list[Signature]:
    """The document's active signatures in order, put where ``active_signatures_of`` reads them
    (workflow.lifecycle), each a Signature (a transition saves them) with its ``document`` and
    its ``signer``, who carries their language as the locked author does: the next signatory,
    told of their turn, costs no query of their own."""
    signatures = []
    split = len(_SIGNATURE)
    for row in _ROUND.rows(document.pk):
        signature = Signature.from_db(DEFAULT_DB_ALIAS, _SIGNATURE, row[:split])
        signature.document = document
        signature.signer = person_from_row(row[split:-1], row[-1])
        signatures.append(signature)
    setattr(document, PREFETCHED_SIGNATURES, signatures)
    return signatures
