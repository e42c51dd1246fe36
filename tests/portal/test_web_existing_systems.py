"""Existing systems on the new-project form: a system approved before Idhini is registered with
the earlier approval's letter reference and date (the API's ``existing_system``), starts in
implementation, and its page says so; a missing reference or a date in the future is named
beside its input in Swahili and creates nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.portal.web_helpers import browser
from workflow.models import Project, Stage

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_the_form_offers_the_existing_system_fieldset(world):
    page = text(browser(world.officer).get("/projects/new/"))
    fieldset = page.split('id="existing-system"')[1].split("</fieldset>")[0]
    assert "<legend>" in fieldset and 'type="radio"' in fieldset
    assert 'name="approval_reference"' in fieldset and 'type="date"' in fieldset


def test_an_existing_system_is_registered_with_its_earlier_approval_and_shown(world):
    client = browser(world.officer)
    response = client.post(
        "/projects/new/",
        {
            "name": "Mfumo wa Mishahara",
            "existing": "yes",
            "approval_reference": "EGA/MF/2021/0042",
            "approval_date": "2021-07-15",
        },
    )
    project = Project.objects.get(name="Mfumo wa Mishahara")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.existing_approval_reference == "EGA/MF/2021/0042"
    assert project.existing_approval_date == datetime.date(2021, 7, 15)
    assert project.stage == Stage.IMPLEMENTATION
    page = text(client.get(response["Location"]))
    box = page.split('id="existing-system"')[1].split("</div>")[0]
    assert "EGA/MF/2021/0042" in box and "15 Julai 2021" in box
    # The API says the same.
    api = world.client(world.officer).get(f"/api/v1/projects/{project.pk}/").json()
    assert api["existing_system"] == {
        "approval_reference": "EGA/MF/2021/0042",
        "approval_date": "2021-07-15",
    }


def test_a_new_project_ignores_the_letter_fields_and_has_no_box(world):
    client = browser(world.officer)
    response = client.post(
        "/projects/new/", {"name": "Mfumo Mpya", "existing": "no", "approval_reference": "X"}
    )
    project = Project.objects.get(name="Mfumo Mpya")
    assert response.status_code == 302
    assert project.existing_approval_reference == "" and project.stage == Stage.CONCEPT
    assert 'id="existing-system"' not in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    "reference, date, field, message",
    [
        ("", "2021-07-15", "approval_reference", "Andika kumbukumbu"),
        ("EGA/1", "future", "approval_date", "siku zijazo"),
        ("EGA/1", "", "approval_date", "YYYY-MM-DD"),
    ],
)
def test_a_bad_earlier_approval_is_named_beside_its_input_and_nothing_is_created(
    world, reference, date, field, message
):
    if date == "future":
        date = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = browser(world.officer).post(
        "/projects/new/",
        {
            "name": "Mfumo wa Zamani",
            "existing": "yes",
            "approval_reference": reference,
            "approval_date": date,
        },
    )
    assert response.status_code == 400
    page = text(response)
    block = page.split(f'id="id_{field}"')[1].split("</div>")[0]
    assert 'class="errorlist"' in block
    assert not Project.objects.filter(name="Mfumo wa Zamani").exists()
    assert message.lower() in page.split('id="existing-system"')[1].lower()
