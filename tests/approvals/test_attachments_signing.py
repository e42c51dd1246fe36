"""Annexes are part of what is signed: adding or removing one after signing starts a new
version that everyone signs again; the sealed PDF lists them with their hashes, the embedded
record lets anyone recompute the content hash, and public verification shows them."""

from __future__ import annotations

import hashlib
import io
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from pypdf import PdfReader

from approvals.models import Signature
from tests import attachment_files as files
from tests.approvals.pdf_support import pdf_text
from tests.helpers import PASSWORD, act, drive, new_document, ok, upload
from workflow.attachments.storage import attachment_storage
from workflow.hashing import content_hash
from workflow.models import Attachment, AuditEvent, Document, DocumentVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dev_seal", "clean_cache")]


def test_adding_an_annex_after_signing_starts_a_new_version_and_everyone_signs_again(world):
    note = drive(world, new_document(world), "changes_requested")
    signed_hash = note.content_hash
    assert {s.content_hash for s in Signature.objects.filter(document=note)} == {signed_hash}

    quotation = files.xlsx_bytes()
    body = ok(
        upload(world, world.officer, note.pk, quotation, name="bei.xlsx", kind="quotation"), 201
    )
    assert body["version"] == 2

    document = ok(world.client(world.officer).get(f"/api/v1/documents/{note.pk}/"))
    assert document["version"] == 2
    assert document["content_hash"] != signed_hash
    assert document["signatures"] == []  # the version-1 signatures no longer count
    event = AuditEvent.objects.filter(document_id=note.pk).last()
    assert (event.action, event.version, event.payload["new_version"]) == (
        "attachment-add",
        2,
        True,
    )
    (first,) = DocumentVersion.objects.filter(document_id=note.pk)
    assert [entry["kind"] for entry in first.attachments] == ["cover_letter"]

    body = ok(act(world, world.officer, note.pk, "request-signatures"))
    assert [s["status"] for s in body["signatures"]] == ["pending"] * 4
    assert {s["version"] for s in body["signatures"]} == {2}
    for signer in (world.officer, world.system_owner, world.ict_head, world.accounting_officer):
        body = ok(act(world, signer, note.pk, "sign", {"password": PASSWORD}))
    assert body["status"] == "signed"
    stored = Document.objects.get(pk=note.pk)
    active = Signature.objects.filter(document=stored, active=True)
    assert {s.content_hash for s in active} == {stored.content_hash} != {signed_hash}
    second = DocumentVersion.objects.get(document=stored, number=2)
    assert sorted(entry["kind"] for entry in second.attachments) == ["cover_letter", "quotation"]
    assert (
        second.content_hash
        == stored.content_hash
        == content_hash(
            type=stored.type, title=stored.title, data=stored.data, attachments=second.attachments
        )
    )


def test_removing_an_annex_after_signing_keeps_it_on_record_for_the_signed_version(world):
    note = drive(world, new_document(world), "changes_requested")
    (cover,) = Attachment.objects.filter(document=note)
    url = f"/api/v1/documents/{note.pk}/attachments/{cover.pk}/"
    assert world.client(world.officer).delete(url).status_code == 204

    cover.refresh_from_db()
    assert (cover.version, cover.removed_in_version) == (1, 2)
    assert attachment_storage().exists(cover.storage_name)
    listed = ok(world.client(world.officer).get(f"/api/v1/documents/{note.pk}/attachments/"))
    assert listed["results"] == []
    assert world.client(world.officer).get(url).status_code == 200  # still on record
    document = Document.objects.get(pk=note.pk)
    assert (document.version, document.attachment_manifest) == (2, [])
    # Version 2 lacks the cover letter a concept note needs.
    refused = act(world, world.officer, note.pk, "request-signatures")
    assert refused.status_code == 400 and "attachments" in refused.json()


def test_while_awaiting_signatures_annexes_are_frozen(world):
    note = drive(world, new_document(world), "awaiting_signatures")
    (cover,) = Attachment.objects.filter(document=note)
    assert upload(world, world.officer, note.pk, files.pdf_bytes(note="x")).status_code == 409
    url = f"/api/v1/documents/{note.pk}/attachments/{cover.pk}/"
    assert world.client(world.officer).delete(url).status_code == 409
    assert Document.objects.get(pk=note.pk).version == 1


def test_the_sealed_pdf_lists_the_annexes_with_their_hashes(world):
    note = new_document(world)
    design = files.image_bytes("PNG", size=(64, 48))
    ok(
        upload(world, world.officer, note.pk, design, name="Mchoro wa mfumo.png", kind="design"),
        201,
    )
    drive(world, note, "approved")
    response = world.client(world.officer).get(f"/api/v1/documents/{note.pk}/pdf/")
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)

    text = "".join("".join(pdf_text(pdf)).split())
    assert "Viambatisho" in text
    rows = Attachment.objects.filter(document=note).order_by("created_at")
    assert [row.name for row in rows] == ["cover_letter.pdf", "Mchoro wa mfumo.png"]
    for row in rows:
        assert "".join(row.name.split()) in text
        assert row.sha256 in text
    assert "Barua ya utangulizi" in " ".join(pdf_text(pdf))
    assert hashlib.sha256(design).hexdigest() == rows[1].sha256

    (record_bytes,) = next(iter(PdfReader(io.BytesIO(pdf)).attachments.values()))
    record = json.loads(record_bytes)
    assert [entry["sha256"] for entry in record["attachments"]] == [row.sha256 for row in rows]
    assert record["content_hash"] == content_hash(
        type=record["type"],
        title=record["title"],
        data=record["data"],
        attachments=record["attachments"],
    )


def test_public_verification_shows_the_annexes(world):
    note = drive(world, new_document(world), "approved")
    (cover,) = Attachment.objects.filter(document=note)
    body = ok(Client().get(f"/api/v1/verify/{note.verification_code}/"))
    assert body["attachments"] == [
        {
            "name": "cover_letter.pdf",
            "kind": "cover_letter",
            "kind_name": {"sw": "Barua ya utangulizi", "en": "Cover letter"},
            "size": cover.size,
            "content_type": "application/pdf",
            "sha256": cover.sha256,
        }
    ]


def test_a_reviewer_downloads_the_annexes_of_a_submitted_document_but_no_other_institution(
    world,
):
    note = drive(world, new_document(world), "submitted")
    (cover,) = Attachment.objects.filter(document=note)
    url = f"/api/v1/documents/{note.pk}/attachments/{cover.pk}/"
    response = world.client(world.reviewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert world.client(world.officer_moe).get(url).status_code == 404
    assert world.client(world.ict_head_moe).get(url).status_code == 404
    assert world.client(world.reviewer).delete(url).status_code == 409


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock races need PostgreSQL")
def test_two_uploads_racing_for_the_last_place_store_one_file(world):
    draft = new_document(world, "email_account_request")
    for number in range(19):
        content = files.image_bytes("PNG", color=(number, 1, 2))
        ok(
            upload(world, world.officer, draft.pk, content, name=f"{number}.png", kind="design"),
            201,
        )
    barrier = threading.Barrier(2)
    results: list[int] = []

    def worker(number: int) -> None:
        try:
            content = files.pdf_bytes(note=f"mbio {number}")
            barrier.wait(timeout=30)
            results.append(
                upload(world, world.officer, draft.pk, content, kind="other").status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == [201, 400]
    assert Attachment.objects.filter(document=draft).count() == 20
    names = attachment_storage().listdir(str(draft.pk))[1]
    assert len(names) == 20
    assert len(Document.objects.get(pk=draft.pk).attachment_manifest) == 20
