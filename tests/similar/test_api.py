"""The similar-systems API: its refusals, its cost, its place in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from similar.backends import forget_common_terms
from similar.selectors import MAX_TEXT
from similar.text import words
from tests.helpers import make_user
from tests.similar.support import NEAR_DUPLICATE, PATIENTS, concept_note, stored_concept_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    return concept_note(world, world.officer, PATIENTS, "submitted")


@pytest.mark.parametrize("limit", ["0", "51", "abc", "1.5", "²", "-1", " ", "9" * 30])
def test_a_limit_out_of_range_is_refused_by_name_in_swahili(world, document, limit):
    client = world.client(world.reviewer)
    for path in (f"/api/v1/documents/{document.pk}/similar/", "/api/v1/similar-projects/?q=x"):
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}limit={limit}")
        if limit == " ":  # blank: the default
            assert response.status_code == 200
            continue
        assert response.status_code == 400, (path, limit)
        assert response.json() == {"limit": ["Namba kamili kuanzia 1 hadi 50."]}


def test_the_limit_is_ten_unless_asked(world, document):
    for i in range(12):
        stored_concept_note(world.officer_moe, f"Usajili wa wagonjwa {i}", "wagonjwa", "usajili")
    client = world.client(world.reviewer)
    path = f"/api/v1/documents/{document.pk}/similar/"
    assert len(client.get(path).json()) == 10
    assert len(client.get(f"{path}?limit=12").json()) == 12
    assert len(client.get(f"{path}?limit=2").json()) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Andika maneno machache ya jina, tatizo au suluhisho."),
        ("q=", "Andika maneno machache ya jina, tatizo au suluhisho."),
        ("q=%20%20", "Andika maneno machache ya jina, tatizo au suluhisho."),
        (f"q={'a' * (MAX_TEXT + 1)}", f"Herufi zisizozidi {MAX_TEXT}."),
    ],
)
def test_a_text_search_needs_a_text_of_reasonable_length(world, query, message):
    response = world.client(world.officer).get(f"/api/v1/similar-projects/?{query}")
    assert response.status_code == 400
    assert response.json() == {"q": [message]}


def test_a_text_of_only_common_words_finds_nothing(world):
    concept_note(world, world.officer_moe, NEAR_DUPLICATE, "approved")
    response = world.client(world.officer).get("/api/v1/similar-projects/?q=Mfumo wa serikali")
    assert response.status_code == 200
    assert response.json() == []


def test_someone_of_no_institution_has_no_search(world, document):
    admin = make_user("admin", None, None, is_staff=True, is_superuser=True)
    client = APIClient()
    client.force_authenticate(admin)
    response = client.get("/api/v1/similar-projects/?q=wagonjwa")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get(f"/api/v1/documents/{document.pk}/similar/").status_code == 404


def _queries(world, path: str) -> int:
    client = world.client(world.reviewer)  # a fresh one: nothing of the caller cached
    forget_common_terms()  # and the common terms read again, as every few minutes
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_fifty_results_cost_what_three_cost(world, document):
    path = f"/api/v1/documents/{document.pk}/similar/?limit=50"
    # Fifty projects, each sharing one word of the document's (a word all fifty shared would
    # be one that sets none apart, and be left out).
    text = " ".join(v for v in PATIENTS.values() if isinstance(v, str))
    shared = list(dict.fromkeys(words(text)))
    for i in range(60):  # more projects than any term needs to be common in: terms are counted
        stored_concept_note(world.officer_moe, f"Kilimo {i}", "Mbegu bora kwa wakulima.")
    for i in range(3):
        stored_concept_note(world.officer_moe, f"Mradi {i}", shared[i])
    few = _queries(world, path)
    for i in range(3, 50):
        stored_concept_note(world.officer_moe, f"Mradi {i}", shared[i % 20])
    assert len(world.client(world.reviewer).get(path).json()) == 50
    assert _queries(world, path) == few
    # The caller's roles, the document, the common terms (once in a while: on PostgreSQL from
    # its statistics, on SQLite the rows and the terms counted), the ranking, the entries with
    # their institutions; on PostgreSQL also the planner's settings with the query's stems, the
    # results' stems when a word needs one, and the ranking's transaction (a savepoint).
    assert few <= (9 if connection.vendor == "postgresql" else 6)


def test_the_endpoints_are_in_the_openapi_schema(world):
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    similar = paths["/api/v1/documents/{id}/similar/"]["get"]
    typed = paths["/api/v1/similar-projects/"]["get"]
    assert {p["name"] for p in similar["parameters"]} == {"id", "limit"}
    assert {(p["name"], p.get("required", False)) for p in typed["parameters"]} == {
        ("q", True),
        ("limit", False),
    }
    for operation in (similar, typed):
        item = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert item["type"] == "array"
        ref = item["items"]["$ref"].rsplit("/", 1)[-1]
        fields = schema["components"]["schemas"][ref]["properties"]
        assert {"project", "institution", "title", "status", "score", "matched_terms"} <= set(
            fields
        )
