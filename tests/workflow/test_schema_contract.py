"""The type's JSON Schema is the contract of PATCH: what it accepts is stored, nothing else is."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from forms_templates.registry import all_types, get_type
from tests.helpers import new_document
from tests.strategies import form_data
from workflow.models import Document

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("type_key", list(all_types()))
def test_any_schema_valid_data_is_accepted_and_stored_as_sent(world, type_key):
    document = new_document(world, type_key, fill=False)
    client = world.client(world.officer)
    schema = client.get(f"/api/v1/document-types/{type_key}/").json()["schema"]
    validator = Draft202012Validator(schema)

    @HYPOTHESIS
    @given(data=form_data(get_type(type_key)))
    def check(data):
        assert validator.is_valid(data)
        # Clear everything first, so the stored data must equal what was sent.
        cleared = {key: None for key in Document.objects.get(pk=document.pk).data}
        response = client.patch(
            f"/api/v1/documents/{document.pk}/", {"data": {**cleared, **data}}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["data"] == json.loads(json.dumps(data))
        assert Document.objects.get(pk=document.pk).data == response.json()["data"]

    check()


JSON_JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def test_anything_the_schema_refuses_is_a_400_and_changes_nothing(world):
    document = new_document(world, "concept_note")
    client = world.client(world.officer)
    definition = get_type("concept_note")
    validator = Draft202012Validator(definition.json_schema())
    keys = st.sampled_from([item.key for item in definition.items()]) | st.text(max_size=12)
    before = Document.objects.get(pk=document.pk).data

    @HYPOTHESIS
    @given(data=st.dictionaries(keys, JSON_JUNK, min_size=1, max_size=4))
    def check(data):
        response = client.patch(f"/api/v1/documents/{document.pk}/", {"data": data}, format="json")
        if validator.is_valid(data):
            assert response.status_code == 200, response.content
            client.patch(
                f"/api/v1/documents/{document.pk}/",
                {"data": {**{k: None for k in definition.json_schema()["properties"]}, **before}},
                format="json",
            )
        else:
            assert response.status_code == 400, (data, response.content)
            assert Document.objects.get(pk=document.pk).data == before

    check()


def test_text_that_no_database_can_store_is_a_400(world):
    document = new_document(world, fill=False)
    client = world.client(world.officer)
    response = client.patch(
        f"/api/v1/documents/{document.pk}/", {"data": {"project_owner": "a\x00b"}}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/documents/{document.pk}/withdraw/",
        '{"reason": "\\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.get("/api/v1/review-queue/?institution=%00").status_code == 400
    assert Document.objects.get(pk=document.pk).status == "draft"


def test_json_with_nan_or_infinity_is_a_400(world):
    document = new_document(world, fill=False)
    client = world.client(world.officer)
    for literal in ["NaN", "Infinity", "-Infinity"]:
        response = client.patch(
            f"/api/v1/documents/{document.pk}/",
            '{"data": {"total_budget": %s}}' % literal,  # noqa: UP031
            content_type="application/json",
        )
        assert response.status_code == 400, response.content


def test_the_schema_alone_refuses_dates_that_do_not_exist():
    # A client validating without "format" assertion must reach the same verdict as the server.
    schema = get_type("concept_note").json_schema()
    validator = Draft202012Validator(schema)  # no format checker
    for date, valid in [
        ("2028-02-29", True),
        ("2000-02-29", True),
        ("2026-02-29", False),
        ("2100-02-29", False),
        ("2026-02-30", False),
        ("2026-04-31", False),
        ("0000-01-01", False),
        ("2026-12-31", True),
    ]:
        assert validator.is_valid({"start_date": date}) is valid, date
