"""The document form in the browser: generated from the definition, saved through the same
service as the API's PATCH, so it stores exactly what the API stores."""

from __future__ import annotations

import pytest

from approvals.models import Review
from forms_templates.registry import ORDER, get_type
from tests.helpers import act, complete_data, create_project, ok
from tests.portal.web_helpers import (
    api_document,
    api_fill,
    awaiting_signatures,
    browser,
    form_body,
    stored,
    submitted,
)
from workflow.models import AuditEvent, Document, Project, Stage, Status
from workflow.services import document_create

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def draft_of(world, type_key: str, title: str) -> str:
    """A draft of any type. Gated types are created by the service on a project whose gating
    is already met (an approved concept note is another test's business)."""
    definition = get_type(type_key)
    if not definition.requires_approved:
        return api_document(world, type_key, title=title)
    project = create_project(world)
    for required in definition.requires_approved:
        Document.objects.create(
            type=required,
            title="Imeidhinishwa",
            project=project,
            institution=world.moh,
            author=world.officer,
            status=Status.APPROVED,
            content_hash="sha256:0",
        )
    Project.objects.filter(pk=project.pk).update(stage=Stage.IMPLEMENTATION)
    return str(
        document_create(type=type_key, title=title, project_id=project.pk, by=world.officer).pk
    )


@pytest.mark.parametrize("type_key", ORDER)
def test_the_form_stores_exactly_what_the_api_stores(world, type_key):
    data = complete_data(type_key, rows=2)
    through_api = draft_of(world, type_key, "Hati ya mfano")
    api_fill(world, through_api, data)
    through_form = draft_of(world, type_key, "Hati ya mfano")
    response = browser(world.officer).post(
        f"/documents/{through_form}/edit/",
        form_body(type_key, data, title="Hati ya mfano", blank_rows=3),
    )
    assert response.status_code == 302, text(response)
    assert response["Location"] == f"/documents/{through_form}/"
    saved, expected = stored(through_form), stored(through_api)
    assert saved.data == data == expected.data
    assert saved.content_hash == expected.content_hash
    event = AuditEvent.objects.filter(document=saved, action="edit").get()
    api_event = AuditEvent.objects.filter(document=expected, action="edit").get()
    assert (event.payload["source"], api_event.payload["source"]) == ("web", "api")
    assert {**event.payload, "source": "api"} == api_event.payload


def test_the_form_shows_the_stored_answers_and_three_empty_rows(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    data = complete_data("concept_note", rows=2)
    api_fill(world, document_id, data)
    # The whole form on one page (the edit page itself is the task list of its sections).
    page = text(browser(world.officer).get(f"/documents/{document_id}/edit/?all=1"))
    assert 'name="milestones-rows" value="5"' in page
    assert 'name="milestones-4-milestone"' in page
    assert 'name="milestones-5-milestone"' not in page
    assert 'value="Jibu 1 — sahihi"' in page
    assert 'maxlength="500"' in page and "<textarea" in page
    assert 'type="date"' in page and 'type="number"' in page and 'type="email"' in page
    assert 'type="tel"' in page
    assert '<option value="in_house" selected>Ndani ya taasisi</option>' in page
    assert "Tatizo linalotatuliwa" in page  # Swahili label by default
    assert "Eleza tatizo la sasa na athari zake." in page  # and its help text


def test_more_rows_shows_more_empty_rows_and_saves_nothing(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    before = stored(document_id)
    body = form_body(
        "concept_note", {"objectives": "Malengo"}, title="Dhana", blank_rows=3, more_rows="risks"
    )
    response = browser(world.officer).post(f"/documents/{document_id}/edit/", body)
    assert response.status_code == 200
    page = text(response)
    assert 'name="risks-rows" value="6"' in page and 'name="risks-5-risk"' in page
    assert 'name="milestones-rows" value="3"' in page
    assert "Malengo</textarea>" in page  # what was typed is kept
    after = stored(document_id)
    assert after.data == before.data == {} and after.updated_at == before.updated_at


def test_blank_rows_are_dropped_blank_answers_cleared_and_line_endings_kept_as_newlines(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    api_fill(world, document_id, {"scope": "Wigo wa zamani", "stakeholders": "Wadau"})
    body = form_body("concept_note", {}, title="Dhana ya mradi", blank_rows=3)
    body.update(
        {
            "objectives": "Mstari wa kwanza\r\nMstari wa pili",
            "stakeholders": "Wadau",
            "total_budget": "1500000",
            "milestones-1-milestone": "Uchambuzi",
            "milestones-1-due_date": "2027-03-01",
            "budget_items-0-item": "Seva",
            "budget_items-0-quantity": "2.5",
            "budget_items-0-amount": "1,000,000",
        }
    )
    response = browser(world.officer).post(f"/documents/{document_id}/edit/", body)
    assert response.status_code == 302, text(response)
    document = stored(document_id)
    assert document.title == "Dhana ya mradi"
    assert document.data == {
        "objectives": "Mstari wa kwanza\nMstari wa pili",
        "stakeholders": "Wadau",
        "total_budget": 1500000,
        "milestones": [{"milestone": "Uchambuzi", "due_date": "2027-03-01"}],
        "budget_items": [{"item": "Seva", "quantity": 2.5, "amount": 1000000}],
    }
    edit = AuditEvent.objects.filter(document=document, action="edit").last()
    assert edit.payload["fields"] == sorted(
        ["objectives", "scope", "total_budget", "milestones", "budget_items"]
    )


def test_invalid_answers_are_shown_next_to_their_inputs_and_nothing_is_saved(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    api_fill(world, document_id, {"scope": "Wigo"})
    before = stored(document_id)
    body = form_body("concept_note", {"scope": "Wigo"}, title="Dhana", blank_rows=3)
    body.update(
        {
            "contact_email": "si-barua-pepe",
            "total_budget": "12.5",
            "start_date": "15/01/2027",
            # Row 2 of the form is blank: the error of the service's row 2 is the form's row 3.
            "milestones-0-milestone": "Hatua ya kwanza",
            "milestones-2-milestone": "Hatua ya tatu",
            "milestones-2-due_date": "kesho",
        }
    )
    response = browser(world.officer).post(f"/documents/{document_id}/edit/", body)
    assert response.status_code == 400
    page = text(response)
    email_block = page.split('id="field-contact_email"')[1].split("</div>\n    \n")[0]
    assert "errorlist" in email_block
    budget_block = page.split('id="field-total_budget"')[1].split("</div>\n    \n")[0]
    assert "errorlist" in budget_block
    cell = page.split('name="milestones-2-due_date"')[1].split("</td>")[0]
    errors = cell.split('<ul class="errorlist">')[1]
    assert "Hatua kuu, mstari 2, Tarehe" in errors and "YYYY-MM-DD" in errors
    assert 'value="si-barua-pepe"' in page  # what was typed stays in the form
    after = stored(document_id)
    assert after.data == before.data and after.content_hash == before.content_hash
    assert (
        not AuditEvent.objects.filter(document=after, action="edit")
        .exclude(pk__in=AuditEvent.objects.filter(document=before, action="edit").values("pk"))
        .exists()
    )


def test_a_blank_title_is_refused_next_to_the_title(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    response = browser(world.officer).post(
        f"/documents/{document_id}/edit/", form_body("email_account_request", {}, title="  ")
    )
    assert response.status_code == 400
    assert "errorlist" in text(response).split('name="title"')[1].split("</div>")[0]
    assert stored(document_id).title == "Ombi"


def test_only_the_author_edits_and_only_while_editable(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    url = f"/documents/{document_id}/edit/"
    body = form_body("email_account_request", {"full_name": "Asha"}, title="Ombi")
    # A colleague sees the document but is sent back from the form; a forced post is refused.
    response = browser(world.ict_head).get(url)
    assert response.status_code == 302 and response["Location"] == f"/documents/{document_id}/"
    assert browser(world.officer_moe).post(url, body).status_code == 404
    assert stored(document_id).data == {}
    sent = awaiting_signatures(world)
    response = browser(world.officer).get(f"/documents/{sent}/edit/")
    assert response.status_code == 302
    before = stored(sent)
    response = browser(world.officer).post(f"/documents/{sent}/edit/", body)
    assert response.status_code == 302  # the form is not offered any more
    assert stored(sent).content_hash == before.content_hash


def test_editing_a_returned_document_starts_a_new_version_and_shows_the_comments(world):
    document_id = submitted(world)  # signed by the mailbox chain, then submitted
    ok(act(world, world.reviewer, document_id, "claim"))
    ok(
        act(
            world,
            world.reviewer,
            document_id,
            "request-changes",
            {"comment": "Rekebisha", "field_comments": {"justification": "Eleza zaidi"}},
        )
    )
    client = browser(world.officer)
    page = text(client.get(f"/documents/{document_id}/edit/?all=1"))
    justification = page.split('id="field-justification"')[1].split("</textarea>")[0]
    assert "Eleza zaidi" in justification
    assert "version 2" in page or "toleo 2" in page
    data = {**stored(document_id).data, "justification": "Maelezo mapya na marefu zaidi"}
    response = client.post(
        f"/documents/{document_id}/edit/",
        form_body("email_account_request", data, title="Ombi", then="edit"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document_id}/edit/"
    document = stored(document_id)
    assert document.version == 2 and document.status == Status.CHANGES_REQUESTED
    assert document.data["justification"] == "Maelezo mapya na marefu zaidi"
    assert Review.objects.filter(document=document).count() == 1


# --- New projects and documents ---------------------------------------------------------------


def test_an_officer_creates_a_project_and_a_document_from_the_dashboard(world):
    client = browser(world.officer)
    response = client.post(
        "/projects/new/", {"name": "Mfumo wa Chanjo", "description": "Kumbukumbu za chanjo"}
    )
    project = Project.objects.get(name="Mfumo wa Chanjo")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.institution == world.moh
    response = client.post(
        "/documents/new/",
        {"type": "concept_note", "project": str(project.pk), "title": "Dhana ya chanjo"},
    )
    document = Document.objects.get(title="Dhana ya chanjo")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/edit/"
    assert document.project == project and document.author == world.officer
    assert AuditEvent.objects.filter(document=document, action="create").count() == 1


def test_a_document_the_gating_refuses_shows_why_and_is_not_created(world):
    project = create_project(world)
    response = browser(world.officer).post(
        "/documents/new/",
        {"type": "implementation_report", "project": str(project.pk), "title": "Ripoti"},
    )
    assert response.status_code == 409
    page = text(response)
    assert "Dhana ya Uanzishaji" in page  # the message names the approved document needed
    assert 'value="Ripoti"' in page
    assert not Document.objects.filter(title="Ripoti").exists()


def test_a_project_document_without_a_project_is_refused_next_to_the_project(world):
    response = browser(world.officer).post(
        "/documents/new/", {"type": "concept_note", "project": "", "title": "Dhana"}
    )
    assert response.status_code == 400
    assert "errorlist" in text(response)
    assert not Document.objects.exists()


def test_a_signatory_cannot_create_projects(world):
    response = browser(world.ict_head).post("/projects/new/", {"name": "Mradi"})
    assert response.status_code == 403
    assert not Project.objects.filter(name="Mradi").exists()
