"""The sealed PDF's decision page lists the review checklist as the reviewers left it: each
criterion, its mark, its note, who marked it, and the reason for an override. Read back from the
real sealed file with pypdf."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from approvals.printing import document_print_context
from forms_templates.registry import get_type
from tests.approvals.pdf_support import pdf_text
from tests.helpers import act, drive, new_document, ok
from workflow.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dev_seal", "clean_cache")]

OVERRIDE = "Ombi la dharura la Katibu Mkuu; msimamizi atathibitisha baadaye."


def squeezed(text: str) -> str:
    """Without any whitespace: table cells wrap long sentences anywhere."""
    return "".join(text.split())


def _pdf(world, document_id, lang="sw") -> bytes:
    response = world.client(world.officer).get(f"/api/v1/documents/{document_id}/pdf/?lang={lang}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if response.streaming else response.content


def _approved_with_marks(world, capture) -> str:
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    marks = {c.key: {"mark": "met"} for c in get_type("email_account_request").checklist}
    marks["personal_data_minimal"] = {"mark": "na", "note": "Hakuna taarifa za ziada"}
    marks["supervisor_endorsed"] = {"mark": "not_met", "note": "Sahihi ya msimamizi haipo"}
    del marks["acceptable_use"]  # left unmarked
    client = world.client(world.reviewer)
    ok(
        client.patch(
            f"/api/v1/documents/{document.pk}/checklist/",
            {"marks": {k: v for k, v in marks.items() if k != "account_type_fits"}},
            format="json",
        )
    )
    ok(act(world, world.reviewer, document.pk, "release"))
    ok(act(world, world.reviewer2, document.pk, "claim"))
    ok(
        world.client(world.reviewer2).patch(
            f"/api/v1/documents/{document.pk}/checklist/",
            {"marks": {"account_type_fits": {"mark": "met", "note": "Akaunti binafsi"}}},
            format="json",
        )
    )
    with capture(execute=True):
        ok(act(world, world.reviewer2, document.pk, "approve", {"override_reason": OVERRIDE}))
    return document.pk


def test_the_sealed_pdf_lists_the_checklist_and_its_marks(
    world, django_capture_on_commit_callbacks
):
    document_id = _approved_with_marks(world, django_capture_on_commit_callbacks)
    pdf = _pdf(world, document_id)
    pages = pdf_text(pdf)
    decision_page = squeezed(" ".join(pages[-2:]))
    definition = get_type("email_account_request")
    assert squeezed("Orodha hakiki ya uhakiki") in decision_page
    for criterion in definition.checklist:
        assert squeezed(criterion.text.sw) in decision_page, criterion.key
    for words in (
        "Kimetimizwa",
        "Hakijatimizwa",
        "Hakihusiki",
        "Hakijawekewa alama",
        "Sahihi ya msimamizi haipo",
        "Hakuna taarifa za ziada",
        "Akaunti binafsi",
        "reviewer2",  # who marked, beside the mark
        OVERRIDE,
        "Sababu ya kuidhinisha bila orodha hakiki kukamilika",
    ):
        assert squeezed(words) in decision_page, words
    # The group headings of the review, in Swahili.
    assert squeezed("Usalama na taarifa binafsi") in decision_page

    # The machine-readable twin inside the file carries the same marks.
    (record_bytes,) = next(iter(PdfReader(io.BytesIO(pdf)).attachments.values()))
    record = json.loads(record_bytes)
    marks = {item["criterion"]: item for item in record["checklist"]}
    assert [item["criterion"] for item in record["checklist"]] == [
        c.key for c in definition.checklist
    ]
    assert marks["supervisor_endorsed"]["mark"] == "not_met"
    assert marks["acceptable_use"]["mark"] is None
    assert marks["account_type_fits"]["marked_by"] == "reviewer2"
    assert marks["need_justified"]["marked_by"] == "reviewer"
    assert record["decision"]["checklist_override"] == OVERRIDE


def test_the_english_print_has_the_checklist_in_english(world, django_capture_on_commit_callbacks):
    document_id = _approved_with_marks(world, django_capture_on_commit_callbacks)
    text = squeezed(" ".join(pdf_text(_pdf(world, document_id, lang="en"))))
    assert squeezed("Review checklist") in text
    assert squeezed(get_type("email_account_request").checklist[0].text.en) in text
    for words in ("Not met", "Not applicable", "Not marked", "Security and personal data"):
        assert squeezed(words) in text, words


def test_before_a_decision_the_print_shows_no_marks(world):
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    ok(
        world.client(world.reviewer).patch(
            f"/api/v1/documents/{document.pk}/checklist/",
            {"marks": {"need_justified": {"mark": "not_met", "note": "Siri ya mhakiki"}}},
            format="json",
        )
    )
    context = document_print_context(Document.objects.get(pk=document.pk), lang="sw")
    assert context.checklist == () and context.decision is None
    # The officer's preview of the document in review: no working notes of the reviewer.
    preview = _pdf(world, document.pk)
    assert "Siri ya mhakiki" not in squeezed(" ".join(pdf_text(preview)))
