"""config.sql.insert_row, the review's INSERT written by hand (a decision writes it under the
row lock): the row stored is the one Review.objects.create stores, and the object is left as
save() leaves it."""

from __future__ import annotations

import pytest
from django.db import models
from django.db.models import F
from django.forms.models import model_to_dict
from django.test.utils import isolate_apps

from approvals.models import Decision, Review, Signature
from config.sql import insert_fields, insert_row, insert_rows
from tests.helpers import drive, new_document

pytestmark = pytest.mark.django_db


def test_a_review_inserted_by_hand_is_the_row_create_stores(world):
    document = drive(world, new_document(world), "under_review")
    values = {
        "document": document,
        "version": document.version,
        "reviewer": world.reviewer,
        "decision": Decision.CHANGES_REQUESTED,
        "comment": "Rekebisha «bajeti»",
        "field_comments": {"budget": "Haijakamilika", "nested": {"a": [1, 2]}},
    }
    made = Review.objects.create(**values)
    inserted = insert_row(Review(**values))
    assert inserted.pk is not None and inserted.pk != made.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    stored = Review.objects.get(pk=inserted.pk)
    assert model_to_dict(stored) | {"id": None} == model_to_dict(made) | {"id": None}
    assert stored.created_at is not None and stored.created_at == inserted.created_at
    # The database's own count of returns (approvals 0007's trigger) saw both INSERTs.
    document.refresh_from_db()
    assert document.returns_for_changes == 2


def test_insert_row_refuses_a_row_that_has_its_key(world):
    document = drive(world, new_document(world), "under_review")
    review = Review.objects.create(
        document=document, version=1, reviewer=world.reviewer, decision=Decision.APPROVED
    )
    with pytest.raises(ValueError, match="new row"):
        insert_row(review)
    assert Review.objects.count() == 1


def test_rows_inserted_together_get_their_own_keys_in_order(world):
    document = new_document(world)
    signers = [world.officer, world.system_owner, world.ict_head]
    rows = insert_rows(
        [
            Signature(document=document, version=1, role=f"r{i}", order=i, signer=user)
            for i, user in enumerate(signers, 1)
        ]
    )
    stored = {s.pk: (s.order, s.signer_id, s.role) for s in Signature.objects.all()}
    assert [stored[row.pk] for row in rows] == [
        (i, user.pk, f"r{i}") for i, user in enumerate(signers, 1)
    ]
    assert insert_rows([]) == []


def test_rows_of_two_models_are_refused_and_nothing_is_written(world):
    document = new_document(world)
    mixed = [
        Signature(document=document, version=1, role="r", order=1, signer=world.officer),
        Review(document=document, version=1, reviewer=world.reviewer, decision="approved"),
    ]
    with pytest.raises(ValueError, match="one model"):
        insert_rows(mixed)
    assert not Signature.objects.exists() and not Review.objects.exists()


@isolate_apps("approvals")
def test_a_generated_column_is_never_written():
    class Priced(models.Model):
        price = models.IntegerField()
        doubled = models.GeneratedField(
            expression=F("price") * 2, output_field=models.IntegerField(), db_persist=True
        )
        note = models.TextField()

        class Meta:
            app_label = "approvals"

        def __str__(self) -> str:
            return str(self.price)

    assert [field.name for field in insert_fields(Priced)] == ["price", "note"]
    assert [field.name for field in insert_fields(Priced, skip="note")] == ["price"]
