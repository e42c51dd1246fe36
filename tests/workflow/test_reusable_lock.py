"""The transitions' row lock (approvals.transitions.locking), a statement compiled once per
connection: refused outside a transaction, where a lock would end with the statement (as Django
refuses ``select_for_update`` there); inside one, the row it read is the row as stored, and a
caller who may not see the document gets the 404 and changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from approvals.transitions.locking import locked_document
from tests.helpers import drive, new_document
from workflow.exceptions import NotFound
from workflow.models import AuditEvent, Document


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_refused_outside_a_transaction(world):
    if not connection.features.has_select_for_update:
        pytest.skip("no row locks on this database: nothing to hold")
    document = new_document(world)
    with pytest.raises(TransactionManagementError):
        locked_document(document_id=document.pk, by=world.officer)
    with transaction.atomic():
        locked = locked_document(document_id=document.pk, by=world.officer)
    assert (locked.pk, locked.status, locked.institution_id) == (
        document.pk,
        document.status,
        document.institution_id,
    )
    assert locked.author.pk == world.officer.pk


@pytest.mark.django_db
def test_a_caller_who_may_not_see_it_gets_404_and_nothing_changes(world):
    document = drive(world, new_document(world), "draft")  # the agency never sees a draft
    events = AuditEvent.objects.filter(document=document).count()
    with pytest.raises(NotFound), transaction.atomic():
        locked_document(document_id=document.pk, by=world.reviewer)
    stored = Document.objects.get(pk=document.pk)
    assert (stored.status, stored.updated_at) == (document.status, document.updated_at)
    assert AuditEvent.objects.filter(document=document).count() == events
