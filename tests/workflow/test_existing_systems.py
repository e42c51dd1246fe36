"""Institutions with systems already running: a project registered as an existing system (its
earlier approval's letter reference and date) sends progress and final reports without a
concept note approved in Idhini; a new project keeps today's gating."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.helpers import create_project, drive, new_document, ok
from workflow.models import Document, Project

pytestmark = pytest.mark.django_db

EARLIER = {"approval_reference": "EGA/MF/2021/0042", "approval_date": "2021-07-15"}


def _new_project(world, body, user=None):
    return world.client(user or world.officer).post("/api/v1/projects/", body, format="json")


def _existing(world) -> Project:
    body = ok(_new_project(world, {"name": "Mfumo wa Mishahara", "existing_system": EARLIER}), 201)
    return Project.objects.get(pk=body["id"])


def _create(world, project, type_key):
    return world.client(world.officer).post(
        "/api/v1/documents/",
        {"type": type_key, "title": "Ripoti", "project": str(project.pk)},
        format="json",
    )


def test_an_existing_system_is_registered_with_its_earlier_approval(world):
    body = ok(_new_project(world, {"name": "Mfumo wa Mishahara", "existing_system": EARLIER}), 201)
    assert body["existing_system"] == EARLIER
    assert body["stage"] == "implementation"  # it is running: the concept stage is behind it
    project = Project.objects.get(pk=body["id"])
    assert (project.existing_approval_reference, project.existing_approval_date) == (
        "EGA/MF/2021/0042",
        datetime.date(2021, 7, 15),
    )
    # The reviewer sees that it is an existing system; a new project says null.
    seen = ok(world.client(world.reviewer).get(f"/api/v1/projects/{project.pk}/"))
    assert seen["existing_system"] == EARLIER
    listed = ok(world.client(world.officer).get("/api/v1/projects/"))["results"]
    assert [p["existing_system"] for p in listed] == [EARLIER]
    fresh = ok(_new_project(world, {"name": "Mfumo mpya", "existing_system": None}), 201)
    assert (fresh["existing_system"], fresh["stage"]) == (None, "concept")


@pytest.mark.parametrize("type_key", ["implementation_report", "completion_report"])
def test_an_existing_system_sends_reports_without_a_concept_note(world, type_key):
    project = _existing(world)
    response = _create(world, project, type_key)
    assert response.status_code == 201, response.content
    assert Document.objects.get(pk=response.json()["id"]).status == "draft"
    assert not Document.objects.filter(project=project, type="concept_note").exists()
    new_project = create_project(world, name="Mradi mpya")
    refused = _create(world, new_project, type_key)
    assert (refused.status_code, refused.json()["code"]) == (409, "gating")
    assert not Document.objects.filter(project=new_project).exists()


def test_an_existing_systems_progress_report_goes_through_to_approval(world):
    project = _existing(world)
    report = new_document(world, "implementation_report", project=project)
    drive(world, report, "approved")
    assert Project.objects.get(pk=project.pk).stage == "implementation"
    final = new_document(world, "completion_report", project=project)
    drive(world, final, "approved")
    assert Project.objects.get(pk=project.pk).stage == "completed"


def test_an_existing_system_still_needs_a_concept_note_for_new_terms_of_reference(world):
    # New procurement is new work: the earlier approval covers the system, not what comes next.
    project = _existing(world)
    refused = _create(world, project, "terms_of_reference")
    assert (refused.status_code, refused.json()["code"]) == (409, "gating")
    drive(world, new_document(world, "concept_note", project=project), "approved")
    assert Project.objects.get(pk=project.pk).stage == "implementation"  # never backwards
    assert _create(world, project, "terms_of_reference").status_code == 201


def _future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("existing_system", "field"),
    [
        ("EGA/MF/2021/0042", None),
        (["EGA/MF/2021/0042"], None),
        ({"approval_date": "2021-07-15"}, "approval_reference"),
        ({"approval_reference": "EGA/1"}, "approval_date"),
        ({**EARLIER, "approved_by": "Katibu Mkuu"}, "approved_by"),
        ({**EARLIER, "approval_reference": "   "}, "approval_reference"),
        ({**EARLIER, "approval_reference": 42}, "approval_reference"),
        ({**EARLIER, "approval_reference": "R" * 101}, "approval_reference"),
        ({**EARLIER, "approval_date": "15/07/2021"}, "approval_date"),
        ({**EARLIER, "approval_date": "2021-02-30"}, "approval_date"),
        ({**EARLIER, "approval_date": "20210715"}, "approval_date"),
        ({**EARLIER, "approval_date": 2021}, "approval_date"),
        ({**EARLIER, "approval_date": None}, "approval_date"),
        ({**EARLIER, "approval_date": "future"}, "approval_date"),
    ],
)
def test_a_bad_earlier_approval_is_a_400_naming_the_field_and_creates_nothing(
    world, existing_system, field
):
    if isinstance(existing_system, dict) and existing_system.get("approval_date") == "future":
        existing_system = {**existing_system, "approval_date": _future()}
    response = _new_project(world, {"name": "Mfumo", "existing_system": existing_system})
    assert response.status_code == 400, response.content
    errors = response.json()["existing_system"]
    if field is None:
        assert isinstance(errors, list) and errors[0]
    else:
        assert list(errors) == [field] and errors[field][0]
    assert Project.objects.count() == 0


def test_the_refusal_reads_in_the_persons_language(world):
    body = {"name": "Mfumo", "existing_system": {**EARLIER, "approval_date": _future()}}
    swahili = _new_project(world, body).json()["existing_system"]["approval_date"][0]
    english = world.client(world.officer).post(
        "/api/v1/projects/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["existing_system"]["approval_date"] == [
        "The earlier approval cannot be dated in the future."
    ]
    assert swahili != english.json()["existing_system"]["approval_date"][0]


def test_a_reference_at_its_limit_and_todays_date_are_stored(world):
    today = timezone.localdate().isoformat()
    existing = {"approval_reference": "R" * 100, "approval_date": today}
    body = ok(_new_project(world, {"name": "Mfumo", "existing_system": existing}), 201)
    assert body["existing_system"] == existing
    project = Project.objects.get(pk=body["id"])
    assert len(project.existing_approval_reference) == 100


def test_only_officers_register_existing_systems(world):
    response = _new_project(world, {"name": "Mfumo", "existing_system": EARLIER}, world.ict_head)
    assert response.status_code == 403
    assert Project.objects.count() == 0
