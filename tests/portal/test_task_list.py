"""The task-list form: a document's sections with their status, a page per section that always
saves (valid answers stored as the API's PATCH stores them, the rest kept as typed with their
errors), a version check so that no save overwrites a newer one, and *check your answers*
before sending for signature."""

from __future__ import annotations

import re

import pytest

from forms_templates.registry import ORDER, get_type
from portal.models import DraftAnswers
from tests.helpers import complete_data, ok
from tests.portal.test_web_edit import draft_of
from tests.portal.web_helpers import api_document, api_fill, browser, stored
from workflow.models import AuditEvent, Status

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def section_url(document_id: str, section: str) -> str:
    return f"/documents/{document_id}/edit/{section}/"


def revision_in(page: str) -> str:
    return re.search(r'name="revision" value="([^"]*)"', page)[1]


def section_body(client, document_id: str, section: str, **answers) -> dict[str, str]:
    """What the section's page posts: its inputs as shown, with ``answers`` typed in."""
    page = text(client.get(section_url(document_id, section)))
    body = dict(re.findall(r'<input type="[a-z]+" name="([^"]+)" value="([^"]*)"', page))
    for name in re.findall(r'<(?:input|textarea|select)[^>]* name="([^"]+)"', page):
        body.setdefault(name, "")
    for name in ("csrfmiddlewaretoken", "then", "more_rows"):
        body.pop(name, None)
    body.update(answers)
    return body


def edits(document_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(document_id=document_id, action="edit").order_by("seq"))


def statuses(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="task-status-(\w+)">([^<]+)<', page))


def test_the_edit_page_lists_the_sections_with_their_status(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    api_fill(
        world,
        document_id,
        {"problem_statement": "Majibu yanachelewa", "project_owner": "Mfumo wa Maabara"},
    )
    client = browser(world.officer)
    page = text(client.get(f"/documents/{document_id}/edit/"))
    found = statuses(page)
    assert list(found) == [s.key for s in get_type("concept_note").sections]
    assert found["problem"] == "Imekamilika"  # its one required answer is in
    assert found["project_information"] == "Inaendelea"  # required answers still missing
    assert found["budget"] == "Haijaanzwa"
    assert f'href="/documents/{document_id}/edit/budget/"' in page
    assert f'href="/documents/{document_id}/check/"' in page
    # A section of optional answers only is complete once saved, even left empty.
    response = client.post(
        section_url(document_id, "risks"), section_body(client, document_id, "risks")
    )
    assert response.status_code == 302
    assert statuses(text(client.get(f"/documents/{document_id}/edit/")))["risks"] == "Imekamilika"
    # An answer kept with a problem marks its section.
    body = section_body(client, document_id, "project_information", contact_email="si-barua")
    client.post(section_url(document_id, "project_information"), body)
    page = text(client.get(f"/documents/{document_id}/edit/"))
    assert statuses(page)["project_information"] == "Ina matatizo"


def test_an_invalid_email_does_not_block_saving_the_rest(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    url = section_url(document_id, "project_information")
    body = section_body(
        client,
        document_id,
        "project_information",
        project_owner="Wizara ya Afya",
        contact_person="Asha Juma",
        contact_email="asha@afya",
    )
    response = client.post(url, body)
    assert response.status_code == 200  # saved, with the problem shown
    page = text(response)
    # Stored: the valid answers, as the API stores them, with the API's audit event.
    document = stored(document_id)
    assert document.data == {"project_owner": "Wizara ya Afya", "contact_person": "Asha Juma"}
    (edit,) = edits(document_id)
    assert edit.payload["fields"] == ["contact_person", "project_owner"]
    assert edit.payload["source"] == "web"
    # Kept beside it: the e-mail as typed, with its error next to it and in the summary.
    draft = DraftAnswers.objects.get(document_id=document_id)
    assert draft.answers == {"contact_email": {"value": "asha@afya", "base": None}}
    assert 'value="asha@afya"' in page
    summary = page.split('<div class="error-summary"')[1].split("</div>")[0]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert '<a href="#id_contact_email">' in summary
    assert "Barua pepe ya mawasiliano" in summary
    field = page.split('id="field-contact_email"')[1].split("</div>")[0]
    assert 'id="id_contact_email-error"' in field
    assert 'aria-describedby="id_contact_email-error"' in field and 'aria-invalid="true"' in field
    assert "Imehifadhiwa saa" in page
    # Leaving and coming back: every answer is there, the kept one with its error.
    again = text(client.get(url))
    assert 'value="Asha Juma"' in again and 'value="asha@afya"' in again
    assert '<a href="#id_contact_email">' in again
    # Corrected: stored, and no longer kept.
    body["contact_email"] = "asha@afya.go.tz"
    body["revision"] = revision_in(again)
    response = client.post(url, body)
    assert response.status_code == 302
    assert response["Location"] == section_url(document_id, "problem")
    assert stored(document_id).data["contact_email"] == "asha@afya.go.tz"
    assert DraftAnswers.objects.get(document_id=document_id).answers == {}


def test_the_api_still_refuses_invalid_data_and_stores_nothing(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    response = world.client(world.officer).patch(
        f"/api/v1/documents/{document_id}/",
        {"data": {"contact_email": "asha@afya", "contact_person": "Asha"}},
        format="json",
    )
    assert response.status_code == 400 and "contact_email" in response.json()["data"]
    assert stored(document_id).data == {}
    assert "draft_answers" not in ok(
        world.client(world.officer).get(f"/api/v1/documents/{document_id}/")
    )


def test_a_newer_answer_through_the_api_replaces_the_one_kept_in_the_form(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    url = section_url(document_id, "project_information")
    client.post(url, section_body(client, document_id, "project_information", contact_email="x@y"))
    api_fill(world, document_id, {"contact_email": "mpya@afya.go.tz"})
    page = text(client.get(url))
    assert 'value="mpya@afya.go.tz"' in page and 'value="x@y"' not in page
    assert 'id="error-summary"' not in page


def test_a_save_from_an_older_page_is_refused_and_the_newer_text_kept(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    tab_one, tab_two = browser(world.officer), browser(world.officer)
    url = section_url(document_id, "problem")
    old = section_body(tab_one, document_id, "problem", problem_statement="Maandishi ya kwanza")
    newer = section_body(tab_two, document_id, "problem", problem_statement="Maandishi mapya")
    assert tab_two.post(url, newer).status_code == 302
    before = stored(document_id)
    response = tab_one.post(url, old)
    assert response.status_code == 409
    page = text(response)
    after = stored(document_id)
    assert after.data == before.data == {"problem_statement": "Maandishi mapya"}
    assert after.updated_at == before.updated_at and len(edits(document_id)) == 1
    # The newer text is in the form; what this person typed is shown, to copy.
    assert "Maandishi mapya</textarea>" in page
    assert "Maandishi ya kwanza" in page.split('id="unsaved"')[1].split("</div>")[0]
    assert revision_in(page) != old["revision"]


def test_autosave_answers_json_and_never_overwrites_a_newer_save(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    url = section_url(document_id, "problem")
    body = section_body(client, document_id, "problem", problem_statement="Rasimu ya kwanza")
    response = client.post(url, {**body, "autosave": "1"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["problems"] == 0 and answer["message"].startswith("Imehifadhiwa saa")
    assert stored(document_id).data == {"problem_statement": "Rasimu ya kwanza"}
    # The next autosave carries the new revision; one with the old revision is refused.
    response = client.post(
        url,
        {
            **body,
            "problem_statement": "Rasimu ya pili",
            "revision": answer["revision"],
            "autosave": "1",
        },
    )
    assert response.status_code == 200
    stale = client.post(url, {**body, "problem_statement": "Ya zamani", "autosave": "1"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert "Haijahifadhiwa" in stale.json()["detail"]
    assert stored(document_id).data == {"problem_statement": "Rasimu ya pili"}


def test_save_and_continue_goes_to_the_next_section_and_the_last_back_to_the_list(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    response = client.post(
        section_url(document_id, "objectives"),
        {**section_body(client, document_id, "objectives"), "then": "next"},
    )
    assert response["Location"] == section_url(document_id, "solution")
    response = client.post(
        section_url(document_id, "objectives"),
        {**section_body(client, document_id, "objectives"), "then": "list"},
    )
    assert response["Location"] == f"/documents/{document_id}/edit/"
    last = get_type("concept_note").sections[-1].key  # the steering committee (form 2)
    response = client.post(
        section_url(document_id, last),
        {**section_body(client, document_id, last), "then": "next"},
    )
    assert response["Location"] == f"/documents/{document_id}/edit/"


def test_the_title_is_on_the_first_section_and_a_blank_one_is_not_saved(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    assert 'name="title"' in text(client.get(section_url(document_id, "project_information")))
    assert 'name="title"' not in text(client.get(section_url(document_id, "problem")))
    body = section_body(client, document_id, "project_information", title=" ", project_owner="ICT")
    response = client.post(section_url(document_id, "project_information"), body)
    assert response.status_code == 200
    assert '<a href="#id_title">' in text(response)
    document = stored(document_id)
    assert document.title == "Dhana" and document.data == {"project_owner": "ICT"}


def test_amounts_are_text_inputs_and_keep_their_thousands_separators_working(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    page = text(client.get(section_url(document_id, "budget")))
    budget = re.search(r'<input[^>]*name="total_budget"[^>]*>', page)[0]
    assert 'type="text"' in budget and 'inputmode="numeric"' in budget
    body = section_body(
        client,
        document_id,
        "budget",
        total_budget="1,500,000",
        **{"budget_items-0-item": "Seva", "budget_items-0-amount": "12o"},
    )
    response = client.post(section_url(document_id, "budget"), body)
    assert response.status_code == 200
    assert stored(document_id).data == {"total_budget": 1500000}
    kept = DraftAnswers.objects.get(document_id=document_id).answers
    assert kept["budget_items"]["value"] == [{"item": "Seva", "amount": "12o"}]
    assert '<a href="#id_budget_items-0-amount">' in text(response)


def test_check_your_answers_lists_the_problems_and_sends_only_when_there_are_none(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    data = complete_data("email_account_request")
    data.pop("justification")
    api_fill(world, document_id, data)
    client = browser(world.officer)
    url = f"/documents/{document_id}/check/"
    page = text(client.get(url))
    assert f'href="/documents/{document_id}/edit/justification/#id_justification"' in page
    refused = client.post(url)
    assert refused.status_code == 400 and stored(document_id).status == Status.DRAFT
    api_fill(world, document_id, {"justification": "Mawasiliano ya kazi"})
    page = text(client.get(url))
    assert 'id="error-summary"' not in page and "Mawasiliano ya kazi" in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/documents/{document_id}/"
    document = stored(document_id)
    assert document.status == Status.AWAITING_SIGNATURES
    assert AuditEvent.objects.filter(document=document, action="request-signatures").count() == 1


def test_answers_kept_with_problems_block_sending_from_the_pages_and_go_when_it_is_sent(world):
    document_id = api_document(world, "email_account_request", title="Ombi")
    api_fill(world, document_id, complete_data("email_account_request"))
    client = browser(world.officer)
    # The requester's phone (optional) typed wrong: kept in the form, not stored.
    body = section_body(client, document_id, "requester", phone="simu yangu")
    assert client.post(section_url(document_id, "requester"), body).status_code == 200
    assert client.post(f"/documents/{document_id}/check/").status_code == 400
    response = client.post(f"/documents/{document_id}/actions/request-signatures/")
    assert response.status_code == 400 and stored(document_id).status == Status.DRAFT
    # Through the API it may still be sent (the API knows nothing of the form): the kept answer
    # is then dropped, and what is signed is what is stored.
    ok(
        world.client(world.officer).post(
            f"/api/v1/documents/{document_id}/request-signatures/", {}, format="json"
        )
    )
    assert DraftAnswers.objects.get(document_id=document_id).answers == {}


def test_only_the_author_edits_sections_of_a_document_of_their_institution(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    url = section_url(document_id, "problem")
    assert browser(world.officer_moe).get(url).status_code == 404
    assert browser(world.officer_moe).post(url, {"problem_statement": "x"}).status_code == 404
    response = browser(world.ict_head).post(url, {"problem_statement": "x"})
    assert response.status_code == 302 and response["Location"] == f"/documents/{document_id}/"
    assert browser(world.officer).get(section_url(document_id, "hakuna")).status_code == 404
    assert browser(world.ict_head).get(f"/documents/{document_id}/check/").status_code == 302
    assert stored(document_id).data == {}
    assert not DraftAnswers.objects.filter(document_id=document_id).exists()


@pytest.mark.parametrize("type_key", ORDER)
def test_every_section_of_every_type_has_its_page(world, type_key):
    document_id = draft_of(world, type_key, "Hati")
    client = browser(world.officer)
    for section in get_type(type_key).sections:
        assert section.key != "all"
        response = client.get(section_url(document_id, section.key))
        assert response.status_code == 200, section.key
        page = text(response)
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids)), section.key
        for described in re.findall(r'aria-describedby="([^"]+)"', page):
            for target in described.split():
                assert target in ids, (section.key, target)


def test_more_rows_on_a_section_page_saves_nothing_and_answers_htmx_with_the_table(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    client = browser(world.officer)
    url = section_url(document_id, "implementation_plan")
    body = section_body(
        client, document_id, "implementation_plan", **{"milestones-0-milestone": "Uchambuzi"}
    )
    part = client.post(url, {**body, "more_rows": "milestones"}, HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    fragment = text(part)
    assert fragment.lstrip().startswith('<div class="table-field" id="field-milestones"')
    assert 'name="milestones-rows" value="6"' in fragment and 'value="Uchambuzi"' in fragment
    assert f'hx-post="{url}"' in fragment
    assert stored(document_id).data == {}
    assert not DraftAnswers.objects.filter(document_id=document_id).exists()


def test_a_typed_nul_is_dropped_and_never_a_500(world):
    document_id = api_document(world, "concept_note", title="Dhana")
    response = browser(world.officer).post(
        section_url(document_id, "problem"),
        {"problem_statement": "Tatizo\x00 la maabara", "then": "next"},
    )
    assert response.status_code == 302
    assert stored(document_id).data == {"problem_statement": "Tatizo la maabara"}
