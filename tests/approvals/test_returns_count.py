"""Each document carries how often it came back for changes (``returns_for_changes``), kept by
the database (approvals 0007), so that the dashboard needs no join of the reviews. The count
follows the reviews through the real transitions, whose full save of the row they locked must
not undo it, and through reviews written or deleted any other way."""

from __future__ import annotations

import pytest

from approvals import services as approvals
from approvals.dashboard_selectors import dashboard_figures
from approvals.models import Decision, Review
from tests.approvals.test_reservation import signed_again
from tests.helpers import drive, new_document
from workflow.models import Document

pytestmark = pytest.mark.django_db


def count(document: Document) -> int:
    return Document.objects.values_list("returns_for_changes", flat=True).get(pk=document.pk)


def returned_again(world, document: Document) -> None:
    signed_again(world, document)
    approvals.document_submit(document_id=document.pk, by=world.officer)
    approvals.document_claim(document_id=document.pk, by=world.reviewer)
    approvals.document_request_changes(
        document_id=document.pk, by=world.reviewer, comment="Bado: rekebisha tena"
    )


def test_each_return_for_changes_is_counted_on_the_document(world):
    document = drive(world, new_document(world), "changes_requested")
    assert count(document) == 1
    returned_again(world, document)
    assert count(document) == 2
    assert Review.objects.filter(document=document, decision="changes_requested").count() == 2


def test_a_decided_document_s_returns_reach_the_figures(world):
    document = drive(world, new_document(world), "changes_requested")
    returned_again(world, document)
    signed_again(world, document)
    approvals.document_submit(document_id=document.pk, by=world.officer)
    approvals.document_claim(document_id=document.pk, by=world.reviewer)
    approvals.document_reject(document_id=document.pk, by=world.reviewer, reason="Hapana")
    assert count(document) == 2  # the reject's save of the locked row kept it
    overall = dashboard_figures().overall
    assert (overall.decided, overall.returned, overall.returns, overall.rounds) == (1, 1, 2, 3)


def test_a_save_with_a_stale_count_gets_the_count_back(world):
    document = drive(world, new_document(world), "changes_requested")
    stale = Document.objects.get(pk=document.pk)
    stale.returns_for_changes = 7
    stale.save()
    assert count(document) == 1
    Document.objects.filter(pk=document.pk).update(returns_for_changes=0)
    assert count(document) == 1


def test_reviews_written_or_deleted_directly_are_counted(world):
    document = drive(world, new_document(world), "under_review")
    made = Review.objects.bulk_create(
        [
            Review(document=document, version=1, reviewer=world.reviewer, decision=decision)
            for decision in (Decision.CHANGES_REQUESTED, Decision.CHANGES_REQUESTED, "approved")
        ]
    )
    assert count(document) == 2
    Review.objects.filter(pk__in=[made[0].pk, made[2].pk]).delete()
    assert count(document) == 1
    Review.objects.filter(document=document).update(decision=Decision.REJECTED)
    assert count(document) == 0
