"""What each person sees of other institutions' projects: never a draft, and of institution
staff's results only titles and institutions; a document one may not see is a 404."""

from __future__ import annotations

import json

import pytest

from similar.models import SearchEntry
from similar.selectors import similar_projects_for_document, similar_projects_for_text
from tests.similar.support import NEAR_DUPLICATE, PATIENTS, concept_note, staff

pytestmark = pytest.mark.django_db

HIDDEN = ["draft", "awaiting_signatures", "signed", "changes_requested", "rejected", "withdrawn"]


@pytest.fixture
def hidden(world):
    """MOE's concept notes in the very words of MOH's, in every status that is not in review
    or approved (changes_requested passed through review on the way)."""
    return {
        status: concept_note(world, world.officer_moe, PATIENTS, status).project_id
        for status in HIDDEN
    }


@pytest.fixture
def duplicate(world):
    return concept_note(world, staff("TAMISEMI")["officer"], NEAR_DUPLICATE, "approved")


def test_no_draft_of_another_institution_ever_appears_to_an_officer(world, hidden, duplicate):
    own_draft = concept_note(world, world.officer, PATIENTS, "draft")  # not even one's own
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    assert not SearchEntry.objects.filter(project_id__in=[*hidden.values(), own_draft.project_id])
    for person in (world.officer, world.ict_head, world.reviewer):
        results = similar_projects_for_document(document_id=document.pk, by=person, limit=50)
        found = {r.project_id for r in results}
        assert found == {duplicate.project_id}, person
    typed = similar_projects_for_text(text=PATIENTS["problem_statement"], by=world.officer)
    assert {r.project_id for r in typed} == {duplicate.project_id}


def test_a_project_in_review_is_shown_to_a_document_but_not_to_a_typed_text(world, duplicate):
    in_review = concept_note(world, world.officer_moe, PATIENTS, "under_review")
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    results = similar_projects_for_document(document_id=document.pk, by=world.officer)
    assert [r.project_id for r in results] == [in_review.project_id, duplicate.project_id]
    assert results[0].status == "under_review"
    typed = similar_projects_for_text(text=PATIENTS["name"], by=world.officer)
    assert [r.project_id for r in typed] == [duplicate.project_id]


def test_another_institutions_project_shows_an_officer_only_its_title(world, duplicate):
    document = concept_note(world, world.officer, PATIENTS, "draft")
    response = world.client(world.officer).get(f"/api/v1/documents/{document.pk}/similar/")
    assert response.status_code == 200, response.content
    (result,) = response.json()
    assert result == {
        "project": str(duplicate.project_id),
        "institution": "TAMISEMI",
        "institution_name": {"sw": "Ofisi ya Rais TAMISEMI", "en": "President's Office RALG"},
        "title": NEAR_DUPLICATE["name"],
        "status": "approved",
        "score": result["score"],
        "matched_terms": ["usajili", "wagonjwa"],  # the title's words only
        "document": None,
        "reference": None,
        "matched_fields": {},
    }
    assert 0 < result["score"] <= 1
    # Nothing of its problem or solution: words only they hold are nowhere in the answer.
    body = json.dumps(response.json()).lower()
    for word in ("madaftari", "zahanati", "foleni", "gothomis", "nida"):
        assert word not in body


def test_the_officer_sees_the_details_of_the_own_institutions_projects(world, duplicate):
    own = concept_note(world, world.officer, NEAR_DUPLICATE, "approved")
    document = concept_note(world, world.officer, PATIENTS, "draft")
    results = similar_projects_for_document(document_id=document.pk, by=world.officer)
    mine = next(r for r in results if r.project_id == own.project_id)
    theirs = next(r for r in results if r.project_id == duplicate.project_id)
    assert mine.detailed and mine.document_id == own.pk and mine.reference == own.reference
    assert "foleni" in mine.matched_fields["problem_statement"]
    assert not theirs.detailed and theirs.document_id is None


def test_the_reviewer_sees_the_details_of_every_institution(world, duplicate):
    document = concept_note(world, world.officer, PATIENTS, "submitted")
    response = world.client(world.reviewer).get(f"/api/v1/documents/{document.pk}/similar/")
    (result,) = response.json()
    assert result["document"] == str(duplicate.pk)
    assert result["reference"] == duplicate.reference
    assert "gothomis" in result["matched_terms"]
    assert result["matched_fields"]["alternatives_considered"] == ["gothomis"]


def test_a_document_the_caller_may_not_see_is_not_found(world, duplicate):
    draft = concept_note(world, world.officer, PATIENTS, "draft")
    for person, document_id in [
        (world.officer_moe, draft.pk),  # another institution's document
        (world.reviewer, draft.pk),  # the agency sees no draft
        (world.officer, "not-a-uuid"),
        (world.officer, "00000000-0000-0000-0000-000000000000"),
    ]:
        response = world.client(person).get(f"/api/v1/documents/{document_id}/similar/")
        assert response.status_code == 404, (person, document_id)
        assert response.json()["code"] == "not_found"


def test_nobody_unauthenticated_searches(world):
    for path in ("/api/v1/similar-projects/?q=wagonjwa", f"/api/v1/documents/{'0' * 32}/similar/"):
        assert world.client().get(path).status_code == 401
