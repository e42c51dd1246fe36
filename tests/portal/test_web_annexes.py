"""Annexes in the pages: listed on the task list, the check page and the document page with
their kind, name, size, who and when, downloaded through the API with the session; attached with
a plain multipart form (the API's guards; refusals beside the input in Swahili, nothing stored)
and removed with a POST; the required kinds as tasks; the signatory's summary with each annex's
SHA-256; the history in Swahili."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.attachment_files import pdf_bytes, windows_program
from tests.helpers import PASSWORD, act, complete_data, ok, upload_required
from tests.portal.web_helpers import api_document, api_fill, browser, stored
from workflow.models import Attachment, AuditEvent, Status

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def concept_note(world, *, fill: bool = True) -> str:
    document_id = api_document(world, "concept_note", title="Dhana ya maabara")
    if fill:
        api_fill(world, document_id, complete_data("concept_note"))
    return document_id


def attach(
    client, document_id: str, content: bytes, *, name="barua.pdf", kind="cover_letter", back="edit"
):
    return client.post(
        f"/documents/{document_id}/annexes/",
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "kind": kind, "next": back},
    )


def section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"')[1].split("</section>")[0]


def test_the_cover_letter_is_a_task_attached_through_the_task_list_and_downloaded(world):
    document_id = concept_note(world)
    client = browser(world.officer)
    page = text(client.get(f"/documents/{document_id}/edit/"))
    annexes = section(page, "annexes")
    assert "Viambatisho" in annexes and "Barua ya utangulizi" in annexes
    assert "Hakijaambatishwa" in annexes and "Hakuna kiambatisho" in annexes
    assert 'enctype="multipart/form-data"' in annexes and 'name="kind"' in annexes
    # Everything answered, and still not ready: the cover letter is missing.
    assert "Baadhi ya majibu au viambatisho" in section(page, "send")
    content = pdf_bytes(note="barua ya utangulizi")
    response = attach(client, document_id, content)
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document_id}/edit/#annexes"
    row = Attachment.objects.get(document_id=document_id)
    assert (row.kind, row.name, row.uploaded_by) == ("cover_letter", "barua.pdf", world.officer)
    assert AuditEvent.objects.filter(document_id=document_id, action="attachment-add").count() == 1
    page = text(client.get(response["Location"]))
    annexes = section(page, "annexes")
    assert "Kimeambatishwa: barua.pdf." in page  # the message after the upload
    assert "Kimeambatishwa" in annexes and "Hakijaambatishwa" not in annexes
    link = f'href="/api/v1/documents/{document_id}/attachments/{row.pk}/"'
    assert link in annexes
    assert (world.officer.get_full_name() or world.officer.username) in annexes
    assert "Barua ya utangulizi" in annexes and "barua.pdf" in annexes
    assert "Baadhi ya majibu au viambatisho" not in section(page, "send")
    # The download link works with the browser's session, as the file it was.
    download = client.get(f"/api/v1/documents/{document_id}/attachments/{row.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    # Another institution's officer sees neither the page nor the file.
    other = browser(world.officer_moe)
    assert other.get(f"/documents/{document_id}/annexes/").status_code == 404
    assert other.get(f"/api/v1/documents/{document_id}/attachments/{row.pk}/").status_code == 404


def test_a_refused_file_is_named_beside_the_input_in_swahili_and_nothing_is_stored(world):
    document_id = concept_note(world)
    client = browser(world.officer)
    before = stored(document_id).content_hash
    response = attach(client, document_id, windows_program(), name="barua.pdf")
    assert response.status_code == 400
    page = text(response)
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_annex_file"' in summary
    error = page.split('id="id_annex_file-error"')[1].split("</p>")[0]
    assert error.strip() and "Kosa:" in error
    assert 'aria-invalid="true"' in page.split('id="id_annex_file"')[1].split(">")[0]
    assert not Attachment.objects.filter(document_id=document_id).exists()
    assert stored(document_id).content_hash == before
    # No kind chosen: named too, and the file is not stored.
    response = client.post(
        f"/documents/{document_id}/annexes/",
        {"file": SimpleUploadedFile("b.pdf", pdf_bytes(), "application/pdf")},
    )
    assert response.status_code == 400
    assert 'href="#id_annex_kind"' in text(response)
    assert "Chagua kiambatisho ni cha aina gani." in text(response)
    # No file.
    response = client.post(f"/documents/{document_id}/annexes/", {"kind": "cover_letter"})
    assert response.status_code == 400 and "Chagua faili la kuambatisha." in text(response)
    assert not Attachment.objects.filter(document_id=document_id).exists()


def test_only_the_author_of_an_editable_document_attaches_or_removes(world):
    document_id = concept_note(world)
    upload_required(world, world.officer, document_id, "concept_note")
    row = Attachment.objects.get(document_id=document_id)
    # A colleague who may see it: no form, and a POST changes nothing.
    page = text(browser(world.ict_head).get(f"/documents/{document_id}/"))
    assert 'id="annex-upload"' not in page and "/remove/" not in page
    response = attach(browser(world.ict_head), document_id, pdf_bytes(note="x"), kind="other")
    assert response.status_code == 302 and response["Location"] == f"/documents/{document_id}/"
    response = browser(world.ict_head).post(
        f"/documents/{document_id}/annexes/{row.pk}/remove/", {"next": "document"}
    )
    assert response.status_code == 302
    assert list(Attachment.objects.filter(document_id=document_id)) == [row]
    # Another institution: 404.
    response = browser(world.officer_moe).post(f"/documents/{document_id}/annexes/{row.pk}/remove/")
    assert response.status_code == 404
    # Awaiting signatures: the author cannot change them either (the form is not offered).
    ok(act(world, world.officer, document_id, "request-signatures"))
    page = text(browser(world.officer).get(f"/documents/{document_id}/"))
    assert 'id="annex-upload"' not in page
    response = browser(world.officer).post(f"/documents/{document_id}/annexes/{row.pk}/remove/")
    assert response.status_code == 302
    assert Attachment.objects.filter(pk=row.pk, removed_in_version__isnull=True).exists()


def test_the_author_removes_an_annex_and_the_history_says_so_in_swahili(world):
    document_id = concept_note(world)
    client = browser(world.officer)
    attach(client, document_id, pdf_bytes(note="barua"), back="document")
    row = Attachment.objects.get(document_id=document_id)
    response = client.post(
        f"/documents/{document_id}/annexes/{row.pk}/remove/", {"next": "document"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document_id}/#annexes"
    assert not Attachment.objects.filter(document_id=document_id).exists()
    assert stored(document_id).attachment_manifest == []
    page = text(client.get(response["Location"]))
    assert "Kiambatisho kimeondolewa." in page
    history = section(page, "history")
    assert "Kiambatisho kimeambatishwa" in history and "Kiambatisho kimeondolewa" in history
    assert "Barua ya utangulizi: barua.pdf" in history
    assert "attachment-add" not in history


def test_the_check_page_names_the_missing_cover_letter_and_does_not_send(world):
    document_id = concept_note(world)
    client = browser(world.officer)
    page = text(client.get(f"/documents/{document_id}/check/"))
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert f'href="/documents/{document_id}/edit/#annexes"' in summary
    assert "Barua ya utangulizi" in summary
    assert "<button>Tuma kwa ajili ya sahihi</button>" not in section(page, "send")
    assert client.post(f"/documents/{document_id}/check/").status_code == 400
    assert stored(document_id).status == Status.DRAFT
    # Attached from the check page: back to it, and it goes.
    response = attach(client, document_id, pdf_bytes(note="barua"), back="check")
    assert response["Location"] == f"/documents/{document_id}/check/#annexes"
    assert 'id="error-summary"' not in text(client.get(f"/documents/{document_id}/check/"))
    response = client.post(f"/documents/{document_id}/check/")
    assert response.status_code == 302
    assert stored(document_id).status == Status.AWAITING_SIGNATURES


def test_the_signatory_sees_each_annex_with_its_sha256_in_the_summary(world):
    document_id = concept_note(world)
    content = pdf_bytes(note="barua ya kusaini")
    attach(browser(world.officer), document_id, content)
    ok(act(world, world.officer, document_id, "request-signatures"))
    for signer in (world.officer, world.system_owner):  # then the head of ICT's turn
        ok(act(world, signer, document_id, "sign", {"password": PASSWORD}))
    page = text(browser(world.ict_head).get(f"/documents/{document_id}/"))
    summary = section(page, "summary")
    assert "Viambatisho" in summary and "barua.pdf" in summary
    assert hashlib.sha256(content).hexdigest() in summary
    assert page.index('id="summary"') < page.index('id="declaration"')
