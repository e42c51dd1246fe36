"""PostgreSQL's side: the search vector, unaccent, stems, trigrams, the two GIN indexes, and the
terms left out once ANALYZE has counted them."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from similar.backends import COMMON_SHARE, forget_common_terms, prepare, rank
from similar.models import SearchEntry
from similar.selectors import DOCUMENT_STATUSES, similar_projects_for_document
from similar.text import profile
from tests.similar.support import stored_concept_note
from workflow.models import Document, Project

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search"),
]


def _document(author, name: str, problem: str, solution: str = "") -> Document:
    project = stored_concept_note(author, name, problem, solution, status="submitted")
    return Document.objects.get(project=project)


def _vector(project) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search::text FROM similar_searchentry WHERE project_id = %s", [project.pk]
        )
        return cursor.fetchone()[0]


def test_the_vector_holds_each_word_as_written_and_stemmed_without_accents(world):
    project = stored_concept_note(
        world.officer_moe, "Usajíli wa Wagonjwa", "Hospitals register their patients."
    )
    vector = _vector(project)
    for lexeme in ("'usajili':", "'wagonjwa':", "'hospitals':", "'hospit':", "'patients':"):
        assert lexeme in vector, lexeme
    assert "'patient':" in vector  # "patients" stemmed
    assert "usajíli" not in vector
    # The name weighs A, the problem B.
    assert re.search(r"'usajili':1A\b", vector) and re.search(r"'hospitals':\d+B\b", vector)


def test_an_accented_spelling_and_an_english_plural_still_match(world):
    target = stored_concept_note(
        world.officer_moe, "Usajíli wa Wagónjwa", "Every hospital keeps a patient register."
    )
    document = _document(
        world.officer, "Usajili wa Wagonjwa", "Hospitals lose patients' files.", "Kusajili."
    )
    (result,) = similar_projects_for_document(document_id=document.pk, by=world.reviewer)
    assert result.project_id == target.pk
    # The target's words, each followed by the query's form when it differs.
    assert result.matched_terms == [
        "usajili",
        "wagonjwa",
        "hospital",
        "hospitals",
        "patient",
        "patients",
    ]


def test_a_title_alike_is_found_without_a_shared_word(world):
    target = stored_concept_note(
        world.officer_moe, "Usajilli wa Wagonjwaa", "Kilimo cha mpunga Morogoro.", "Mbolea."
    )
    document = _document(world.officer, "Usajili wa Wagonjwa", "Foleni ndefu.", "Kadi.")
    (result,) = similar_projects_for_document(document_id=document.pk, by=world.reviewer)
    assert result.project_id == target.pk
    assert result.matched_terms == []  # no word in common: the titles' trigrams
    assert 0 < result.score <= 0.3


def _bulk_entries(world, texts: list[tuple[str, str]]) -> None:
    projects = Project.objects.bulk_create(
        Project(id=uuid.uuid4(), institution=world.moe, name=name, created_by=world.officer_moe)
        for name, _body in texts
    )
    SearchEntry.objects.bulk_create(
        SearchEntry(
            project=p,
            institution=world.moe,
            status="approved",
            title=p.name,
            title_key=p.name.lower(),
            heading=p.name,
            body=body,
        )
        for p, (_name, body) in zip(projects, texts, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE similar_searchentry")
    forget_common_terms()


def test_the_ranking_reads_the_two_gin_indexes(world):
    # A table the size of a ministry's or more, rows the size of concept notes: on a few pages
    # a scan would rightly be cheaper.
    filler = " ".join(f"neno{i}" for i in range(150))
    _bulk_entries(
        world,
        [(f"Mfumo wa Leseni {i}", f"Leseni za biashara {i} {filler}") for i in range(3000)],
    )
    document = _document(world.officer, "Usajili wa Wagonjwa", "Wagonjwa hukaa foleni.")
    with CaptureQueriesContext(connection) as captured:
        similar_projects_for_document(document_id=document.pk, by=world.reviewer)
    (sql,) = [q["sql"] for q in captured.captured_queries if "holds_a_term" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "similar_entry_search_gin" in plan, plan
    assert "similar_entry_title_trgm" in plan, plan
    assert "Seq Scan on similar_searchentry" not in plan, plan


def test_terms_most_projects_use_are_left_out_once_analyze_counted_them(world):
    _bulk_entries(
        world,
        [(f"Mfumo {i}", "Huduma za takwimu kwa managers wote") for i in range(100)]
        + [("Usajili wa Wagonjwa", "Wagonjwa hukaa foleni ndefu; takwimu chache.")]
        + [("Management Portal", "Management of records.")],
    )
    assert 1 / 102 < COMMON_SHARE < 100 / 102
    query = prepare(
        profile(title="Huduma za takwimu za wagonjwa", data={"problem_statement": "management"}),
        title="Huduma za takwimu za wagonjwa",
    )
    assert list(query.terms) == ["wagonjwa", "management"]  # "huduma", "takwimu" everywhere
    ranking = rank(query, statuses=DOCUMENT_STATUSES, exclude=[], limit=10)
    names = [Project.objects.get(pk=r.project_id).name for r in ranking.results]
    # "management" is looked for as written only: "managers" (stem "manag") is in every row.
    assert sorted(names) == ["Management Portal", "Usajili wa Wagonjwa"]
    assert ranking.stem_of["management"] == "management"
    assert ranking.stem_of["wagonjwa"] == "wagonjwa"
