"""The document the detail reads by its compiled statement (approvals.detail_rows) is the one the
ORM's queryset gives (``for_api`` with ``with_acting``): every column, its institution, the
annotated usernames and the caller's acting signature; its representation is the same, byte for
byte; and it is refused to exactly the people the filtered queryset refuses. In every status,
for institution staff of both institutions, both reviewers and an acting officer (kaimu)."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import selectors
from approvals.delegation import with_acting
from approvals.detail_rows import _DETAIL, ANNOTATIONS, detail_document, visible_detail_document
from approvals.models import Delegation, Review, Signature
from approvals.serializers import DocumentDetailSerializer, might_have_reviews
from tests.helpers import PASSWORD, act, drive, make_user, new_document, ok, resubmitted
from workflow.exceptions import NotFound
from workflow.lifecycle import active_signatures_of
from workflow.models import Document, Role, Status
from workflow.selectors import document_get_visible

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _orm(document_id, user) -> Document:
    return with_acting(selectors.for_api(Document.objects.filter(pk=document_id)), user).get()


def _representation(document: Document, user) -> str:
    document = selectors.with_signatures([document])[0]
    request = SimpleNamespace(user=user)  # what the serializer reads of its request
    data = DocumentDetailSerializer(document, context={"request": request}).data
    return json.dumps(data, sort_keys=True, default=str)


def _kaimu_for_next_signer(world) -> tuple[Document, object]:
    """A document awaiting the ICT head's signature, and the deputy acting for them today."""
    deputy = make_user("kaimu", world.moh, Role.OFFICER, first_name="Asha")
    today = timezone.localdate()
    body = {
        "acting": deputy.username,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
    }
    document = drive(world, new_document(world), "awaiting_signatures")
    while Document.objects.get(pk=document.pk).next_signer_id != world.ict_head.pk:
        signer = Document.objects.get(pk=document.pk).next_signer
        ok(act(world, signer, document.pk, "sign", {"password": PASSWORD}))
    ok(world.client(world.ict_head).post("/api/v1/delegations/", body, format="json"), 201)
    return Document.objects.get(pk=document.pk), deputy


def _documents(world) -> list[Document]:
    documents = [drive(world, new_document(world), status) for status in Status.values]
    reserved = resubmitted(world)  # reserved for the reviewer who returned it
    claimed = resubmitted(world)
    ok(act(world, world.reviewer, claimed.pk, "claim"))
    other = drive(world, new_document(world, author=world.officer_moe), "submitted")
    return [*documents, reserved, Document.objects.get(pk=claimed.pk), other]


def test_the_detail_read_is_the_orms_for_every_status_and_caller(world):
    awaiting, deputy = _kaimu_for_next_signer(world)
    documents = [*_documents(world), awaiting]
    callers = [world.officer, world.ict_head, world.officer_moe, world.reviewer, world.reviewer2]
    acting_seen = 0
    for document in documents:
        for caller in [*callers, deputy]:
            user = get_user_model().objects.get(pk=caller.pk)
            expected = _orm(document.pk, user)
            with CaptureQueriesContext(connection) as captured:
                read = detail_document(document_id=document.pk, by=user)
            assert len(captured) == 1
            assert _values(read) == _values(expected)
            assert _values(read.institution) == _values(expected.institution)
            for name in ANNOTATIONS:
                assert getattr(read, name) == getattr(expected, name), name
            assert _representation(read, user) == _representation(expected, user)
            acting_seen += read.acting_signer_id is not None
    # The deputy acts for the next signer of the awaiting document: the one non-null.
    assert acting_seen == 1
    assert detail_document(document_id=awaiting.pk, by=deputy).acting_signer_id == deputy.pk


def test_it_is_refused_to_exactly_those_the_filtered_queryset_refuses(world):
    outsider = make_user("mgeni", None, None)
    documents = _documents(world)
    callers = [world.officer, world.officer_moe, world.reviewer, outsider]
    refused = 0
    for document in documents:
        for caller in callers:
            user = get_user_model().objects.get(pk=caller.pk)
            try:
                document_get_visible(document_id=document.pk, by=user)
            except NotFound:
                with pytest.raises(NotFound):
                    visible_detail_document(document_id=document.pk, by=user)
                refused += 1
            else:
                read = visible_detail_document(document_id=str(document.pk), by=user)
                assert read.pk == document.pk
    assert refused >= len(documents) + 1  # the outsider sees none; the agency no draft
    for malformed in ("x", "", "1" * 40):
        with pytest.raises(NotFound):
            visible_detail_document(document_id=malformed, by=world.officer)


def test_a_get_and_a_transitions_answer_are_read_by_the_compiled_statement(world):
    document = drive(world, new_document(world), "submitted")
    client = world.client(world.reviewer)
    wrapper = connections["default"]
    for request in (
        lambda: client.get(f"/api/v1/documents/{document.pk}/"),
        lambda: client.post(f"/api/v1/documents/{document.pk}/claim/", {}, format="json"),
    ):
        if hasattr(wrapper, _DETAIL.attribute):
            delattr(wrapper, _DETAIL.attribute)  # compiled again only if it is what runs
        with CaptureQueriesContext(connection) as captured:
            ok(request())
        assert hasattr(wrapper, _DETAIL.attribute)
        details = [q for q in captured if '"author_username"' in q["sql"]]
        assert len(details) == 1  # the detail's one read of the document


def _delegation(world, acting, *, starts: int, ends: int, withdrawn: bool = False) -> None:
    """``acting`` signs for the ICT head from ``starts`` to ``ends`` days from today."""
    today = timezone.localdate()
    Delegation.objects.create(
        institution=world.moh,
        principal=world.ict_head,
        acting=acting,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        created_by=world.ict_head,
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_by=world.ict_head if withdrawn else None,
    )


def test_the_acting_signature_counts_only_on_the_days_of_a_live_delegation(world):
    """The day is the statement's parameter in both places (the first and the last day): a
    delegation that ended yesterday, one from tomorrow and a withdrawn one do not count today,
    as the ORM's query says; the one from tomorrow counts tomorrow."""
    awaiting, deputy = _kaimu_for_next_signer(world)  # deputy: live today, for three days
    ended, coming, withdrawn = (
        make_user(name, world.moh, Role.OFFICER) for name in ("ended", "coming", "withdrawn")
    )
    _delegation(world, ended, starts=-5, ends=-1)
    _delegation(world, coming, starts=1, ends=4)
    _delegation(world, withdrawn, starts=-1, ends=2, withdrawn=True)
    today = timezone.localdate()
    for person, acts_today in ((deputy, True), (ended, False), (coming, False), (withdrawn, False)):
        user = get_user_model().objects.get(pk=person.pk)
        read = detail_document(document_id=awaiting.pk, by=user)
        assert read.acting_signer_id == _orm(awaiting.pk, user).acting_signer_id
        assert read.acting_signer_id == (person.pk if acts_today else None)
    by_day = {
        day: _DETAIL.rows(awaiting.pk, person.pk, today + datetime.timedelta(days=day))[0][-1]
        for person, day in ((coming, 1), (coming, 4), (coming, 5), (ended, -1), (deputy, 4))
    }
    assert by_day == {1: coming.pk, 4: None, 5: None, -1: ended.pk}  # deputy's last day is +3


def test_a_pages_signatures_are_the_orms_in_one_statement(world):
    """A page's active signatures (its ids one array parameter on PostgreSQL) are the ORM's:
    each document's current round in order, none for a draft, an earlier round retired."""
    documents = _documents(world)
    assert Signature.objects.filter(active=False).exists()  # the returned ones' first rounds
    expected = {
        document.pk: [
            (s.signer_id, s.order, s.status, s.version)
            for s in Signature.objects.filter(document=document, active=True).order_by("order")
        ]
        for document in documents
    }
    page = [Document.objects.get(pk=document.pk) for document in documents]
    with CaptureQueriesContext(connection) as captured:
        selectors.with_signatures(page)
    assert len(captured) == 1
    read = {
        document.pk: [
            (s.signer_id, s.order, s.status, s.version) for s in active_signatures_of(document)
        ]
        for document in page
    }
    assert read == expected
    assert sum(map(len, read.values())) > 10 and [] in read.values()
    for document in page:  # one document's (a detail): its own compiled statement
        alone = selectors.with_signatures([Document.objects.get(pk=document.pk)])[0]
        rows = [(s.signer_id, s.order, s.status, s.version) for s in active_signatures_of(alone)]
        assert rows == expected[document.pk]


def test_the_reviews_shown_are_the_orms(world):
    documents = _documents(world)
    serializer = DocumentDetailSerializer()
    shown = 0
    for document in documents:
        orm = Review.objects.filter(document=document).order_by("created_at")
        expected = [
            (r.decision, r.comment, r.field_comments, r.reviewer.username, r.version, r.created_at)
            for r in orm
        ]
        rows = [tuple(review.values()) for review in serializer.get_reviews(document)]
        assert rows == (expected if might_have_reviews(document) else [])
        shown += len(rows)
    assert shown >= 3  # the decided ones and the returned ones
