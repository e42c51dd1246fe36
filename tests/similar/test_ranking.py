"""A reworded duplicate at another institution comes first among thirty other systems, with the
words they share; on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from similar.models import SearchEntry
from similar.selectors import similar_projects_for_document, similar_projects_for_text
from tests.similar.support import DECOYS

pytestmark = pytest.mark.django_db

# The words the two patient-registration notes share (SQLite: as written). PostgreSQL also
# matches English words by their stem, and names the query's own form next to the other's.
SHARED = [
    "usajili",
    "wagonjwa",
    "foleni",
    "mapokezi",
    "ndefu",
    "kumbukumbu",
    "matibabu",
    "mgonjwa",
    "registration",
    "patients",
    "medical",
    "records",
    "kusajili",
    "kielektroniki",
    "namba",
    "nida",
    "kuhifadhi",
    "historia",
    "govesb",
    "electronic",
    "gothomis",
]
STEMMED = ["patient", "record"]  # the query's forms of "patients", "records"


def test_a_reworded_duplicate_at_another_institution_ranks_first(world, government):
    results = similar_projects_for_document(document_id=government.document.pk, by=world.reviewer)
    assert len(results) == 10
    first, second = results[0], results[1]
    assert first.project_id == government.duplicate.project_id
    assert first.institution.code == "TAMISEMI"
    assert first.status == "approved"
    # Not by a hair: the next system (student registration) shares two or three words.
    assert first.score > 2 * second.score
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_the_matched_terms_are_the_words_the_two_share(world, government):
    (first, *_) = similar_projects_for_document(
        document_id=government.document.pk, by=world.reviewer, limit=1
    )
    expected = list(SHARED)
    if connection.vendor == "postgresql":
        expected.insert(expected.index("patients") + 1, "patient")
        expected.insert(expected.index("records") + 1, "record")
    assert first.matched_terms == expected
    # Where each matched: the title's words first, then the problem, the solution, the
    # systems the officer named.
    assert first.matched_fields["name"] == ["usajili", "wagonjwa"]
    assert {"foleni", "mapokezi", "matibabu"} <= set(first.matched_fields["problem_statement"])
    assert {"nida", "govesb", "kuhifadhi"} <= set(first.matched_fields["proposed_solution"])
    assert first.matched_fields["alternatives_considered"] == ["gothomis"]
    # Function words and the words every government project uses are never "shared".
    assert not {"wa", "na", "mfumo", "the", "and", "system"} & set(first.matched_terms)


def test_a_decoy_matches_only_on_what_it_shares(world, government):
    results = similar_projects_for_document(document_id=government.document.pk, by=world.reviewer)
    students = next(r for r in results if r.title == DECOYS[0][0])
    assert students.matched_terms == ["usajili", "husajili", "karatasi", "namba", "nida"]


def test_the_document_and_its_own_project_are_never_in_the_list(world, government):
    # The document's own project is in the index (submitted): it would match itself perfectly.
    assert SearchEntry.objects.filter(project_id=government.document.project_id).exists()
    results = similar_projects_for_document(
        document_id=government.document.pk, by=world.reviewer, limit=50
    )
    assert results
    assert government.document.project_id not in {r.project_id for r in results}


def test_limit_cuts_the_list(world, government):
    results = similar_projects_for_document(
        document_id=government.document.pk, by=world.reviewer, limit=3
    )
    assert len(results) == 3
    assert results[0].project_id == government.duplicate.project_id


def test_an_officer_writing_a_title_finds_approved_systems_only(world, government):
    results = similar_projects_for_text(text="Usajili wa wagonjwa hospitalini", by=world.officer)
    assert results[0].project_id == government.duplicate.project_id
    assert {r.status for r in results} == {"approved"}
    assert all(not r.detailed and r.document_id is None for r in results)
    assert results[0].matched_terms == ["usajili", "wagonjwa"]
