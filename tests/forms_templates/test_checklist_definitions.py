"""The review checklist is data in each type's definition, checked when the registry loads, and
published with the type."""

from __future__ import annotations

import dataclasses

import pytest
from rest_framework.test import APIClient

from forms_templates.definitions import CHECKLIST_GROUPS, Criterion, T
from forms_templates.registry import all_types, get_type

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("type_key", list(all_types()))
def test_every_type_has_a_checklist_tied_to_its_own_fields(type_key):
    definition = get_type(type_key)
    assert len(definition.checklist) >= 8
    field_keys = {item.key for item in definition.items()}
    for criterion in definition.checklist:
        assert criterion.group in CHECKLIST_GROUPS
        assert set(criterion.fields) <= field_keys, criterion.key
        assert criterion.text.sw.strip() and criterion.text.en.strip()
        assert criterion.text.sw != criterion.text.en
    keys = [c.key for c in definition.checklist]
    assert len(keys) == len(set(keys))
    # Most criteria judge named answers: their "not met" notes land beside those fields.
    assert sum(1 for c in definition.checklist if c.fields) >= len(keys) - 3


def test_the_project_types_cover_every_group_of_the_review():
    for key in ("concept_note", "implementation_report", "completion_report"):
        assert {c.group for c in get_type(key).checklist} == set(CHECKLIST_GROUPS), key


def test_the_concept_note_asks_what_the_agency_exists_to_check():
    texts = " ".join(c.text.en for c in get_type("concept_note").checklist)
    for words in ("duplicate", "GovESB", "Government Data Centre", "Steering Committee"):
        assert words in texts
    assert "urudufu" in " ".join(c.text.sw for c in get_type("concept_note").checklist)


def _with_checklist(*criteria: Criterion):
    return dataclasses.replace(get_type("concept_note"), checklist=criteria, extra={})


def test_a_criterion_tied_to_a_field_the_type_lacks_stops_the_registry():
    definition = _with_checklist(
        Criterion("budget", "budget", T("Bajeti", "Budget"), ("total_budget", "no_such_field"))
    )
    with pytest.raises(ValueError, match="no_such_field"):
        definition.check()


@pytest.mark.parametrize(
    ("criteria", "problem"),
    [
        ((Criterion("a", "nowhere", T("a", "a")),), "unknown group"),
        ((Criterion("a", "need", T("a", "a")), Criterion("a", "budget", T("b", "b"))), "twice"),
        ((Criterion("Bad Key", "need", T("a", "a")),), "lower-case"),
        (
            (Criterion("a", "budget", T("a", "a")), Criterion("b", "need", T("b", "b"))),
            "out of order",
        ),
    ],
)
def test_an_inconsistent_checklist_stops_the_registry(criteria, problem):
    with pytest.raises(ValueError, match=problem):
        _with_checklist(*criteria).check()


def test_the_type_api_publishes_the_checklist():
    body = APIClient().get("/api/v1/document-types/concept_note/").json()
    definition = get_type("concept_note")
    assert [c["key"] for c in body["checklist"]] == [c.key for c in definition.checklist]
    first = body["checklist"][0]
    assert set(first) >= {"key", "group", "text", "fields"}
    assert first["text"] == definition.checklist[0].text.as_dict()
    assert first["fields"] == list(definition.checklist[0].fields)
    assert first["group_title"] == CHECKLIST_GROUPS[first["group"]].as_dict()
    # The list of types stays light: no schema, no checklist.
    listed = APIClient().get("/api/v1/document-types/").json()["results"][0]
    assert "checklist" not in listed


def test_the_checklist_is_in_the_openapi_schema():
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert "checklist" in components["DocumentTypeDetail"]["properties"]
    paths = schema["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/documents/{id}/checklist/"])
    assert "checklist" in components["DocumentDetail"]["properties"]
    action = components["ActionBodyRequest"]["properties"]
    assert "override_reason" in action


def test_every_criterion_cites_where_it_comes_from():
    from forms_templates.definitions import CHECKLIST_SOURCES
    from forms_templates.registry import all_types

    for definition in all_types().values():
        for criterion in definition.checklist:
            assert criterion.sources, (definition.key, criterion.key)
            assert set(criterion.sources) <= set(CHECKLIST_SOURCES)
            assert all(criterion.source_names("sw")) and all(criterion.source_names("en"))


def test_a_criterion_citing_an_unknown_source_stops_the_registry():
    definition = _with_checklist(Criterion("a", "need", T("a", "a"), sources=("Nowhere",)))
    with pytest.raises(ValueError, match="no such source"):
        definition.check()
