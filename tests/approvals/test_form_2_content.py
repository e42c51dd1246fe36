"""Issue 15's content, per type: every new section and field is in the JSON Schema, the Django
form, the Word template and the PDF, and a Word file downloaded, filled in and uploaded keeps
every new answer.

The lists below are the issue's own (item 1), written out rather than read from the definitions,
so a field dropped from a type fails here.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from forms_templates.definitions import Table
from forms_templates.docx import DOCX_CONTENT_TYPE, build_template
from forms_templates.forms import DocumentDataForm, cell_name
from forms_templates.printing import build_html, render_pdf
from forms_templates.registry import ORDER, get_type
from tests.approvals.pdf_support import flat, pdf_text, print_context
from tests.forms_templates import docx_files as files
from tests.helpers import new_document
from workflow.models import Document

# {type: {field or table: columns (None for a field)}}: what issue 15 item 1 asks of each type.
NEW_CONTENT: dict[str, dict[str, tuple[str, ...] | None]] = {
    "concept_note": {
        "similar_systems": ("system", "owner", "why_not_reused"),
        "egov_standards": None,
        "integrations": (
            "system",
            "owner_institution",
            "data_exchanged",
            "direction",
            "via_govesb",
        ),
        "hosting_option": None,
        "hosting_reason": None,
        "platform": None,
        "programming_language": None,
        "database": None,
        "licence_type": None,
        "users_internal": None,
        "users_public": None,
        "storage_gb": None,
        "data_classification": None,
        "personal_data": None,
        "pdpc_registration": None,
        "security_controls": None,
        "backup_recovery": None,
        "running_cost_per_year": None,
        "running_cost_funder": None,
        "staffing_training": None,
        "committee_meeting_date": None,
        "committee_minute_ref": None,
        "budget_items": ("cost_category", "financial_year", "quantity", "unit_cost", "amount"),
        "budget_vote": None,
        "budget_subvote": None,
    },
    "implementation_report": {
        "funds": ("financial_year", "period", "approved", "released", "spent"),
        "milestone_dates": ("milestone", "planned_date", "actual_date"),
        "status_ratings": ("dimension", "rating"),
    },
    "completion_report": {
        "benefits": ("objective", "kpi", "target", "achieved"),
        "acceptance_test_date": None,
        "go_live_date": None,
        "security_test_done": None,
        "source_code_handed_over": None,
        "ict_portal_reference": None,
        "contract_closed": None,
        "schedule_variance_days": None,
    },
    "terms_of_reference": {
        "ip_ownership": None,
        "acceptance_testing": None,
        "warranty_months": None,
        "training_documentation": None,
        "selection_method": None,
        "evaluation_criteria": None,
        "contract_type": None,
    },
    "email_account_request": {
        "request_kind": None,
        "servant_username": None,
        "account_type": None,
        "custodian": None,
        "acceptable_use": None,
        "requested_address": None,
        "new_address": None,
    },
}
TYPES = list(ORDER)


def test_every_type_has_its_list():
    assert set(NEW_CONTENT) == set(TYPES)


@pytest.mark.parametrize("key", TYPES)
def test_the_schema_carries_every_new_field_and_column(key):
    properties = get_type(key).json_schema()["properties"]
    for name, columns in NEW_CONTENT[key].items():
        assert name in properties, name
        assert not properties[name].get("deprecated"), name
        if columns:
            assert set(columns) <= set(properties[name]["items"]["properties"]), name


def test_benefits_are_one_of_the_progress_reports_red_amber_green_dimensions():
    ratings = get_type("implementation_report").json_schema()["properties"]["status_ratings"]
    assert "benefits" in ratings["items"]["properties"]["dimension"]["enum"]
    assert ratings["items"]["properties"]["rating"]["enum"] == ["red", "amber", "green"]


@pytest.mark.parametrize("key", TYPES)
def test_the_django_form_asks_every_new_field_with_its_labels(key):
    definition = get_type(key)
    form = DocumentDataForm(definition, lang="en")
    for name, columns in NEW_CONTENT[key].items():
        item = definition.item(name)
        if columns:
            assert isinstance(item, Table)
            for column in item.columns:
                if column.key in columns:
                    assert cell_name(item, 0, column) in form.fields, (name, column.key)
        else:
            assert form.fields[name].label == item.label.en, name


@pytest.mark.parametrize("key", TYPES)
def test_the_word_template_has_a_place_for_every_new_answer(key):
    definition = get_type(key)
    document = files.open_docx(build_template(definition))
    for name, columns in NEW_CONTENT[key].items():
        if columns:
            table = files.table_element(document, name)
            assert table is not None, name
            header = "".join(t.text or "" for t in table.iter(f"{files.W}t"))
            for column in columns:
                assert "{{idhini:column:%s}}" % column in header, (name, column)  # noqa: UP031
        else:
            assert files.answer_cell(document, name) is not None, name


@pytest.mark.parametrize("key", TYPES)
def test_the_pdf_prints_every_new_section_and_label(key):
    definition = get_type(key)
    context = print_context(key)
    html = build_html(context)
    text = flat(" ".join(pdf_text(render_pdf(html)))).casefold()
    for name, columns in NEW_CONTENT[key].items():
        item = definition.item(name)
        section = next(s for s in definition.sections if item in s.items)
        assert f'id="section-{section.key}"' in html, section.key
        assert flat(section.title.sw).casefold() in text, section.key
        assert escape(item.label.sw) in html, name
        for column in columns or ():
            assert escape(next(c for c in item.columns if c.key == column).label.sw) in html


@pytest.mark.parametrize("key", TYPES)
def test_a_word_file_downloaded_filled_and_uploaded_keeps_every_new_answer(world, key):
    definition = get_type(key)
    document = new_document(world, key, fill=False)
    client = world.client(world.officer)
    downloaded = client.get(
        f"/api/v1/document-types/{key}/template.docx", HTTP_ACCEPT=DOCX_CONTENT_TYPE
    )
    assert downloaded.status_code == 200
    filled, expected = files.fill_like_a_person(downloaded.content, definition)

    response = client.post(
        f"/api/v1/documents/{document.pk}/import-docx/",
        {"file": SimpleUploadedFile("fomu.docx", filled, DOCX_CONTENT_TYPE)},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    stored = Document.objects.get(pk=document.pk).data
    assert stored == expected
    for name, columns in NEW_CONTENT[key].items():
        assert name in stored, name
        for column in columns or ():
            assert all(column in row for row in stored[name]), (name, column)
