"""Project stages follow approved documents; a document out of turn is a 409 naming what first."""

from __future__ import annotations

import pytest

from tests.helpers import create_project, drive, new_document
from workflow.models import Document, Project

pytestmark = pytest.mark.django_db


def _create(world, project, type_key):
    return world.client(world.officer).post(
        "/api/v1/documents/",
        {"type": type_key, "title": "Hati", "project": str(project.pk)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    ("type_key", "needs"),
    [
        ("terms_of_reference", "Project Concept Note"),
        ("implementation_report", "Project Concept Note"),
        ("completion_report", "Project Progress Report"),
    ],
)
def test_a_document_before_its_prerequisite_is_refused(world, type_key, needs):
    project = create_project(world)
    response = _create(world, project, type_key)
    assert response.status_code == 409
    assert response.json()["code"] == "gating"
    assert needs.lower() in response.json()["detail"].lower()
    assert Document.objects.filter(project=project).count() == 0


def test_one_concept_note_in_flight_per_project(world):
    project = create_project(world)
    assert _create(world, project, "concept_note").status_code == 201
    response = _create(world, project, "concept_note")
    assert response.status_code == 409
    assert response.json()["code"] == "concept_note_exists"


def test_a_withdrawn_concept_note_makes_room_for_another(world):
    project = create_project(world)
    first = Document.objects.get(pk=_create(world, project, "concept_note").json()["id"])
    drive(world, first, "withdrawn")
    assert _create(world, project, "concept_note").status_code == 201


def test_stages_follow_approvals_and_a_completed_project_takes_nothing(world):
    project = create_project(world)
    assert project.stage == "concept"
    drive(world, new_document(world, "concept_note", project=project), "approved")
    assert Project.objects.get(pk=project.pk).stage == "implementation"
    assert _create(world, project, "terms_of_reference").status_code == 201
    assert _create(world, project, "completion_report").status_code == 409
    drive(world, new_document(world, "implementation_report", project=project), "approved")
    drive(world, new_document(world, "completion_report", project=project), "approved")
    assert Project.objects.get(pk=project.pk).stage == "completed"
    response = _create(world, project, "implementation_report")
    assert response.status_code == 409
    assert response.json()["code"] == "project_completed"
    response = world.client(world.officer).get(f"/api/v1/projects/{project.pk}/")
    assert response.json()["stage"] == "completed"
