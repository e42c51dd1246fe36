"""Word both ways in the pages: the blank templates linked from the new-document and types pages,
the filled file downloaded with the session, and the upload of a filled file to a draft — the
API import's guards (size, CSRF after the counting handler, who and when), errors per field and
row in the person's language, a page of what changed, and *undo*."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forms_templates.docx import DOCX_CONTENT_TYPE, build_template
from forms_templates.registry import ORDER, get_type
from portal.models import DraftAnswers, WordUpload
from tests.forms_templates import docx_files as files
from tests.helpers import drive, new_document
from tests.portal.web_helpers import api_fill, browser, stored
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def upload(client, document_id, content: bytes, name: str = "fomu.docx", **extra):
    return client.post(
        f"/documents/{document_id}/word/",
        {"file": SimpleUploadedFile(name, content, content_type=DOCX_CONTENT_TYPE)},
        **extra,
    )


def state(document_id) -> tuple:
    document = Document.objects.get(pk=document_id)
    return (
        document.data,
        document.content_hash,
        document.version,
        AuditEvent.objects.filter(document_id=document_id).count(),
        WordUpload.objects.filter(document_id=document_id).count(),
    )


def filled_template(type_key: str, answers: dict[str, str], rows: dict | None = None) -> bytes:
    content = files.open_docx(build_template(get_type(type_key)))
    for key, value in answers.items():
        files.type_answer(content, key, value)
    for table, table_rows in (rows or {}).items():
        for index, values in enumerate(table_rows):
            files.fill_row(content, table, index, values)
    return files.save_docx(content)


def test_the_types_page_and_the_new_document_form_link_every_blank_template(world):
    client = browser(world.officer)
    types = text(client.get("/document-types/"))
    for key in ORDER:
        assert f'href="/api/v1/document-types/{key}/template.docx"' in types
    assert "Dhana ya Uanzishaji wa Mfumo/Mradi" in types
    new = text(client.get("/documents/new/"))
    for key in ORDER:
        assert f'href="/api/v1/document-types/{key}/template.docx"' in new
    template = Client().get("/api/v1/document-types/concept_note/template.docx")
    assert template.status_code == 200 and template["Content-Type"] == DOCX_CONTENT_TYPE


def test_the_filled_file_downloads_with_the_browsers_session(world):
    document = new_document(world, "email_account_request")
    page = text(browser(world.officer).get(f"/documents/{document.pk}/"))
    assert f'href="/api/v1/documents/{document.pk}/docx/"' in page
    assert f'href="/documents/{document.pk}/word/"' in page
    response = browser(world.officer).get(f"/api/v1/documents/{document.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE
    assert (
        browser(world.officer_moe).get(f"/api/v1/documents/{document.pk}/docx/").status_code == 404
    )


def test_an_upload_replaces_the_answers_shows_what_changed_and_undo_restores_them(world):
    document = new_document(world, "concept_note", fill=False)
    api_fill(world, document.pk, {"project_owner": "Mfumo wa zamani", "scope": "Wigo"})
    before = stored(document.pk)
    client = browser(world.officer)
    content = filled_template(
        "concept_note",
        {"project_owner": "Mfumo wa Maabara", "total_budget": "1,500,000"},
        rows={"milestones": [["Uchambuzi", "2027-02-28", "TEHAMA"], ["Mafunzo", "", ""]]},
    )
    response = upload(client, document.pk, content, name="dhana.docx")
    record = WordUpload.objects.get(document_id=document.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/word/{record.pk}/"
    after = stored(document.pk)
    assert after.data == {
        "project_owner": "Mfumo wa Maabara",
        "total_budget": 1500000,
        "milestones": [
            {"milestone": "Uchambuzi", "due_date": "2027-02-28", "responsible": "TEHAMA"},
            {"milestone": "Mafunzo"},
        ],
    }
    assert record.previous_data == before.data and record.filename == "dhana.docx"
    event = AuditEvent.objects.filter(document_id=document.pk, action="edit").last()
    assert event.payload["source"] == "docx"
    # What changed: each answer (before and after), the table's rows.
    page = text(client.get(response["Location"]))
    assert "Mfumo wa zamani" in page and "Mfumo wa Maabara" in page
    assert "1,500,000" in page
    assert "Wigo wa mradi" in page  # cleared: the file left it empty
    milestones = page.split("Hatua kuu")[1].split("</tr>")[0]
    assert "Mistari iliyoongezwa: 2" in milestones
    # Undo: the answers as they were, through the same edit service.
    assert f'action="/documents/{document.pk}/word/{record.pk}/undo/"' in page
    response = client.post(f"/documents/{document.pk}/word/{record.pk}/undo/")
    assert response.status_code == 302
    restored = stored(document.pk)
    assert restored.data == before.data and restored.content_hash == before.content_hash
    event = AuditEvent.objects.filter(document_id=document.pk, action="edit").last()
    assert event.payload["source"] == "web-undo"
    assert WordUpload.objects.get(pk=record.pk).undone_at is not None
    # Once only.
    again = state(document.pk)
    client.post(f"/documents/{document.pk}/word/{record.pk}/undo/")
    assert state(document.pk) == again


def test_undo_is_refused_once_the_answers_changed_after_the_upload(world):
    document = new_document(world, "email_account_request", fill=False)
    client = browser(world.officer)
    upload(client, document.pk, filled_template("email_account_request", {"full_name": "Zuhura"}))
    record = WordUpload.objects.get(document_id=document.pk)
    api_fill(world, document.pk, {"full_name": "Zuhura Ali"})
    page = text(client.get(f"/documents/{document.pk}/word/{record.pk}/"))
    assert "/undo/" not in page
    before = state(document.pk)
    response = client.post(f"/documents/{document.pk}/word/{record.pk}/undo/", follow=True)
    assert "Majibu yalibadilika baada ya faili hili" in text(response)
    assert state(document.pk) == before


def test_invalid_answers_in_the_file_are_named_by_field_and_row_and_nothing_changes(world):
    document = new_document(world, "completion_report")
    before = state(document.pk)
    content = files.open_docx(build_template(get_type("completion_report")))
    files.type_answer(content, "administrator_email", "si barua pepe")
    files.fill_row(content, "cost_items", 0, ["Seva", "1,000", "900", ""])
    files.fill_row(content, "cost_items", 1, ["Leseni", "2,000", "elfu mbili", ""])
    response = upload(browser(world.officer), document.pk, files.save_docx(content))
    assert response.status_code == 400
    page = text(response)
    problems = page.split('id="file-problems"')[1].split("</div>")[0]
    assert "lazima iwe anwani ya barua pepe" in problems
    assert "mstari 2" in problems
    assert '<a href="#id_file">' in page
    assert state(document.pk) == before
    english = upload(browser(world.officer, language="en"), document.pk, files.save_docx(content))
    assert "Cost by item, row 2, Actual amount (TZS) must be a whole number." in text(english)


def test_a_file_that_is_not_word_and_a_missing_file_are_refused_at_the_file_input(world):
    document = new_document(world, "concept_note")
    before = state(document.pk)
    client = browser(world.officer)
    response = upload(client, document.pk, b"%PDF-1.7 not a word file", name="hati.pdf")
    assert response.status_code == 400
    page = text(response)
    assert 'id="id_file-error"' in page and 'aria-invalid="true"' in page
    response = client.post(f"/documents/{document.pk}/word/", {})
    assert response.status_code == 400 and "Chagua faili la Word" in text(response)
    assert state(document.pk) == before


def test_a_file_over_the_limit_is_a_413_before_the_csrf_check_reads_the_form(
    world, settings, tmp_path
):
    settings.UPLOAD_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-directory")  # nothing goes to disk
    document = new_document(world, "concept_note")
    before = state(document.pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    page = text(client.get(f"/documents/{document.pk}/word/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(
        f"/documents/{document.pk}/word/",
        {"file": SimpleUploadedFile("x.docx", bytes(120_000)), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 413
    assert state(document.pk) == before
    # Without the token: refused, after the limit is in place.
    missing = upload(client, document.pk, build_template(get_type("concept_note")))
    assert missing.status_code == 403
    response = client.post(
        f"/documents/{document.pk}/word/",
        {
            "file": SimpleUploadedFile("x.docx", build_template(get_type("concept_note"))),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302


def test_only_the_author_uploads_and_only_to_a_draft_or_a_returned_document(world):
    document = new_document(world, "email_account_request")
    content = filled_template("email_account_request", {"full_name": "Zuhura"})
    assert upload(browser(world.officer_moe), document.pk, content).status_code == 404
    response = upload(browser(world.ict_head), document.pk, content)
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    sent = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    before = state(sent.pk)
    assert upload(browser(world.officer), sent.pk, content).status_code == 302
    assert state(sent.pk) == before
    assert not WordUpload.objects.exists()


def test_an_upload_to_a_returned_document_starts_a_new_version_and_clears_what_the_form_kept(world):
    document = drive(world, new_document(world, "email_account_request"), "changes_requested")
    DraftAnswers.objects.create(
        document=document, answers={"phone": {"value": "simu", "base": document.data.get("phone")}}
    )
    client = browser(world.officer)
    exported = files.open_docx(client.get(f"/api/v1/documents/{document.pk}/docx/").content)
    files.type_answer(exported, "full_name", "Jina jipya")
    assert upload(client, document.pk, files.save_docx(exported)).status_code == 302
    after = stored(document.pk)
    assert after.version == document.version + 1 and after.data["full_name"] == "Jina jipya"
    assert DraftAnswers.objects.get(document=document).answers == {}
