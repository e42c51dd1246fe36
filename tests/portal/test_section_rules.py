"""Rules across fields on a section's own page: a budget total that is not the sum of its lines
is shown beside the total, beside each line's amount (and its row marked), above the table and in
the error summary linked to the input, in Swahili and in English; corrected, it is gone."""

from __future__ import annotations

import re

import pytest

from tests.helpers import complete_data
from tests.portal.web_helpers import api_document, api_fill, browser

pytestmark = pytest.mark.django_db

SW = "Jumla ya bajeti lazima ilingane na jumla ya vipengele vya bajeti."


def _wrong_total(world) -> str:
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    data = complete_data("concept_note")
    data["total_budget"] = 999
    api_fill(world, document_id, data)
    return document_id


def _field(page: str, field_id: str) -> str:
    return page.split(f'id="{field_id}"')[1].split("</div>")[0]


def test_the_budget_page_shows_the_broken_rule_beside_each_input_it_involves(world):
    document_id = _wrong_total(world)
    rows = len(complete_data("concept_note")["budget_items"])
    page = browser(world.officer).get(f"/documents/{document_id}/edit/budget/").content.decode()
    total = _field(page, "field-total_budget")
    assert '<p class="rule-message" id="id_total_budget-rule">' in total and SW in total
    total_input = re.search(r'<input[^>]*id="id_total_budget"[^>]*>', page).group(0)
    assert "id_total_budget-rule" in re.search(r'aria-describedby="([^"]+)"', total_input).group(1)
    # Above the table once, and each line's amount marked and pointing at it.
    table = page.split('id="field-budget_items"')[1].split("</table>")[0]
    assert table.count(SW) == 1 and '<p class="rule-message" id="rule-budget_items-0">' in table
    for row in range(rows):
        cell = re.search(rf'<td[^>]*>(?:(?!</td>).)*id="id_budget_items-{row}-amount"', page, re.S)
        assert cell.group(0).startswith('<td data-label="Jumla ya mstari (TZS)" class="has-error">')
        assert "rule-budget_items-0" in re.search(
            rf'<input[^>]*id="id_budget_items-{row}-amount"[^>]*>', page
        ).group(0)
    assert page.count('<tr class="has-rule">') == rows
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.count(SW) == 1
    assert re.search(r'<a href="#id_[a-z_0-9-]+">' + re.escape(SW), summary)
    # Every id a describedby names exists on the page.
    ids = set(re.findall(r' id="([^"]+)"', page))
    for named in re.findall(r'aria-describedby="([^"]+)"', page):
        assert set(named.split()) <= ids, named


def test_it_is_in_english_too_and_gone_once_corrected(world):
    document_id = _wrong_total(world)
    url = f"/documents/{document_id}/edit/budget/"
    page = browser(world.officer, "en").get(url).content.decode()
    assert "The total budget must equal the sum of the budget items." in page
    assert SW not in page
    api_fill(world, document_id, complete_data("concept_note"))
    page = browser(world.officer).get(url).content.decode()
    assert 'class="rule-message"' not in page and 'id="error-summary"' not in page


def test_a_section_the_rule_does_not_involve_shows_nothing_of_it(world):
    document_id = _wrong_total(world)
    page = browser(world.officer).get(f"/documents/{document_id}/edit/risks/").content.decode()
    assert SW not in page


def test_the_check_page_marks_the_rows_the_rule_involves(world):
    document_id = _wrong_total(world)
    rows = len(complete_data("concept_note")["budget_items"])
    page = browser(world.officer).get(f"/documents/{document_id}/check/").content.decode()
    budget = page.split('id="check-budget"')[1].split("</section>")[0]
    assert budget.count('<tr class="has-rule">') == rows
    risks = page.split('id="check-risks"')[1].split("</section>")[0]
    assert "has-rule" not in risks
