"""Rules across fields in the pages: a total that is not the sum of its lines shows on the task
list (the section *Ina matatizo*, the message under it and in the error summary, linked to the
input) and on the check page (beside the answers it involves and in the error summary), and the
document cannot be sent from there."""

from __future__ import annotations

import pytest

from tests.helpers import complete_data, upload_required
from tests.portal.web_helpers import api_document, api_fill, browser, stored
from workflow.models import Status

pytestmark = pytest.mark.django_db

MESSAGE = "Jumla ya bajeti lazima ilingane na jumla ya vipengele vya bajeti."


def text(response) -> str:
    return response.content.decode()


def wrong_total(world) -> str:
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    data = complete_data("concept_note")
    data["total_budget"] = 999
    api_fill(world, document_id, data)
    upload_required(world, world.officer, document_id, "concept_note")
    return document_id


def test_the_task_list_shows_the_broken_rule_in_its_section_and_the_error_summary(world):
    document_id = wrong_total(world)
    page = text(browser(world.officer).get(f"/documents/{document_id}/edit/"))
    budget = page.split('id="task-status-budget"')[1].split("</li>")[0]
    assert ">Ina matatizo</strong>" in budget and MESSAGE in budget
    assert "Kilichoandikwa: 999" in budget
    others = page.split('id="task-status-project_information"')[1].split("</li>")[0]
    assert "Imekamilika" in others and MESSAGE not in others
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert f'href="/documents/{document_id}/edit/budget/#' in summary and MESSAGE in summary
    # Corrected: the section is complete, no summary.
    data = complete_data("concept_note")
    api_fill(world, document_id, data)
    page = text(browser(world.officer).get(f"/documents/{document_id}/edit/"))
    assert 'id="error-summary"' not in page
    assert "Imekamilika" in page.split('id="task-status-budget"')[1].split("</li>")[0]


def test_the_check_page_shows_the_broken_rule_beside_the_answers_and_does_not_send(world):
    document_id = wrong_total(world)
    client = browser(world.officer)
    page = text(client.get(f"/documents/{document_id}/check/"))
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert MESSAGE in summary
    budget = page.split('id="check-budget"')[1].split("</section>")[0]
    total_row = budget.split("Jumla ya bajeti (TZS)</dt>")[1].split("</div>")[0]
    assert MESSAGE in total_row
    items_row = budget.split("Vipengele vya bajeti</dt>")[1].split("</dd>")[0]
    assert MESSAGE in items_row
    assert "Tuma kwa ajili ya sahihi</button>" not in page
    response = client.post(f"/documents/{document_id}/check/")
    assert response.status_code == 400 and stored(document_id).status == Status.DRAFT
