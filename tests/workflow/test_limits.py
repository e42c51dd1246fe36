"""One source for each limit: what the API accepts is what the column holds, and one character
more is a 400 naming the field, never a database error (a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction

from tests.helpers import create_project, new_document
from workflow.models import Document, Project

pytestmark = pytest.mark.django_db


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _post_project(world, **body):
    return world.client(world.officer).post("/api/v1/projects/", body, format="json")


@pytest.mark.parametrize(("field", "other"), [("name", {}), ("description", {"name": "Mfumo"})])
def test_a_project_field_at_its_limit_is_stored_and_one_more_is_a_400(world, field, other):
    limit = _limit(Project, field)
    response = _post_project(world, **other, **{field: "x" * limit})
    assert response.status_code == 201, response.content
    assert len(getattr(Project.objects.get(pk=response.json()["id"]), field)) == limit

    response = _post_project(world, **other, **{field: "y" * (limit + 1)})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert str(limit) in response.json()[field][0]
    assert Project.objects.count() == 1


def test_a_project_name_of_201_to_300_characters_is_a_400_not_a_500(world):
    assert _limit(Project, "name") == 200
    for length in (201, 250, 300):
        response = _post_project(world, name="n" * length)
        assert response.status_code == 400, (length, response.status_code)
        assert "name" in response.json()
    assert not Project.objects.exists()


def test_a_document_title_at_its_limit_is_stored_and_one_more_is_a_400(world):
    limit = _limit(Document, "title")
    project = create_project(world)
    client = world.client(world.officer)
    body = {"type": "concept_note", "project": str(project.pk), "title": "t" * limit}
    response = client.post("/api/v1/documents/", body, format="json")
    assert response.status_code == 201, response.content
    assert len(Document.objects.get(pk=response.json()["id"]).title) == limit
    document = new_document(world, "email_account_request", fill=False)
    response = client.patch(
        f"/api/v1/documents/{document.pk}/", {"title": "t" * (limit + 1)}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["title"])


def test_the_openapi_schema_states_the_models_limits(world):
    schema = world.client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    create = schema["components"]["schemas"]["ProjectCreateRequest"]["properties"]
    assert create["name"]["maxLength"] == _limit(Project, "name")
    assert create["description"]["maxLength"] == _limit(Project, "description")
    existing = schema["components"]["schemas"]["ExistingSystemRequest"]["properties"]
    assert existing["approval_reference"]["maxLength"] == _limit(
        Project, "existing_approval_reference"
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="column widths of PostgreSQL")
def test_the_limit_the_api_enforces_is_the_columns_own(world):
    # What the API refuses with a 400 is exactly what PostgreSQL itself would refuse.
    for field in ("name", "existing_approval_reference"):
        limit = _limit(Project, field)
        fits = Project.objects.create(
            institution=world.moh, created_by=world.officer, **{"name": "p", field: "x" * limit}
        )
        assert len(getattr(Project.objects.get(pk=fits.pk), field)) == limit
        with pytest.raises(DataError), transaction.atomic():
            Project.objects.create(
                institution=world.moh,
                created_by=world.officer,
                **{"name": "p", field: "x" * (limit + 1)},
            )
