"""Annexes over HTTP: every accepted type kept with its hash and the type its content has; every
hostile or unwanted file refused with the reason and nothing stored; who may add, download and
remove; the 20-annex and 10 MB limits; the name shown never names the stored file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import attachment_files as files
from tests.helpers import act, create_project, drive, new_document, ok, upload
from workflow.attachments.storage import attachment_storage
from workflow.audit import verify_chain
from workflow.hashing import content_hash
from workflow.models import Attachment, AuditEvent, Document

pytestmark = pytest.mark.django_db

ACCEPTED = {
    "pdf": (files.pdf_bytes, "application/pdf", "pdf"),
    "docx": (
        files.docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": (
        files.xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "odt": (files.odt_bytes, "application/vnd.oasis.opendocument.text", "odt"),
    "png": (lambda: files.image_bytes("PNG"), "image/png", "png"),
    "jpeg": (lambda: files.image_bytes("JPEG"), "image/jpeg", "jpg"),
}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def state(document_id) -> tuple:
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.version,
        document.content_hash,
        document.attachment_manifest,
        document.audit_seq,
        Attachment.objects.filter(document_id=document_id).count(),
        AuditEvent.objects.filter(document_id=document_id).count(),
    )


@pytest.fixture
def draft(world):
    """A complete e-mail account request: a type that requires no annex."""
    return new_document(world, "email_account_request")


@pytest.mark.parametrize("kind", list(ACCEPTED))
def test_each_accepted_type_is_kept_with_the_type_its_content_has(world, draft, kind):
    make, content_type, extension = ACCEPTED[kind]
    content = make()
    before = Document.objects.get(pk=draft.pk)
    # A misleading name and declared type: neither is asked.
    response = world.client(world.officer).post(
        f"/api/v1/documents/{draft.pk}/attachments/",
        {
            "file": SimpleUploadedFile("faili.bin", content, "application/x-msdownload"),
            "kind": "design",
        },
        format="multipart",
    )
    body = ok(response, 201)
    assert set(body) >= {"id", "name", "kind", "size", "sha256", "content_type", "created_at"}
    assert body["content_type"] == content_type
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["name"] == f"faili.bin.{extension}"
    assert (body["kind"], body["kind_name"]["sw"], body["kind_name"]["en"]) == (
        "design",
        "Michoro ya usanifu",
        "Design",
    )

    row = Attachment.objects.get(pk=body["id"])
    assert row.storage_name.startswith(f"{draft.pk}/") and "faili" not in row.storage_name
    with attachment_storage().open(row.storage_name) as handle:
        assert handle.read() == content
    (path,) = stored_files()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "attachments")

    document = Document.objects.get(pk=draft.pk)
    manifest = [{"kind": "design", "name": row.name, "sha256": row.sha256}]
    assert document.attachment_manifest == manifest
    assert document.content_hash == content_hash(
        type=document.type, title=document.title, data=document.data, attachments=manifest
    )
    assert document.content_hash != before.content_hash
    event = AuditEvent.objects.filter(document=document).last()
    assert event.action == "attachment-add"
    assert event.payload["sha256"] == row.sha256 and event.payload["name"] == row.name
    assert event.payload["content_hash"] == document.content_hash
    assert verify_chain(document, AuditEvent.objects.filter(document=document)) == []

    download = world.client(world.officer).get(
        f"/api/v1/documents/{draft.pk}/attachments/{row.pk}/"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == (
        f"attachment; filename=\"faili.bin.{extension}\"; filename*=UTF-8''faili.bin.{extension}"
    )


REFUSED = {
    "a renamed Linux program": (files.elf_program, "ripoti.pdf", "program"),
    "a renamed Windows program": (files.windows_program, "bei.xlsx", "program"),
    "a PDF with a zip appended": (
        lambda: files.pdf_bytes() + files.small_zip(),
        "barua.pdf",
        "polyglot",
    ),
    "a zip that starts as a PDF": (
        lambda: b"%PDF-1.7\n" + files.xlsx_bytes(),
        "bei.xlsx",
        "polyglot",
    ),
    "an image that is also a zip": (
        lambda: files.image_bytes("PNG") + files.small_zip(),
        "picha.png",
        "polyglot",
    ),
    "data appended after a PDF": (
        lambda: files.pdf_bytes() + b"\n<script>alert(1)</script>",
        "barua.pdf",
        "appended",
    ),
    "a zip bomb named .xlsx": (files.xlsx_zip_bomb, "bei.xlsx", "expand to 100.0 MB"),
    "a decompression-bomb PNG": (lambda: files.png_bomb(12_000), "mchoro.png", "too many pixels"),
    "a PDF with JavaScript": (files.pdf_with_javascript, "barua.pdf", "JavaScript"),
    "a PDF that launches a program": (
        files.pdf_with_launch_action,
        "barua.pdf",
        "starts a program",
    ),
    "an encrypted PDF": (files.encrypted_pdf, "barua.pdf", "encrypted"),
    "a damaged PDF": (lambda: files.pdf_bytes()[:300] + b"%%EOF", "barua.pdf", "damaged"),
    "a macro-enabled workbook": (
        lambda: files.xlsx_bytes(main=files.XLSM_MAIN),
        "bei.xlsx",
        "macros",
    ),
    "an OpenDocument text with macros": (
        lambda: files.odt_bytes(extra={"Basic/Standard/Module1.xml": "<m/>"}),
        "muhtasari.odt",
        "macros",
    ),
    "an OpenDocument spreadsheet": (
        lambda: files.odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
        "bei.odt",
        "not accepted",
    ),
    "a plain zip archive": (files.small_zip, "michoro.docx", "zip archive"),
    "an old Word file": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "barua.doc",
        "old Office file",
    ),
    "a text file": (lambda: b"Habari za asubuhi", "barua.pdf", "not accepted"),
    "an empty file": (lambda: b"", "barua.pdf", "empty"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_file_is_a_400_naming_why_and_nothing_is_stored(world, draft, case):
    make, name, words = REFUSED[case]
    before = state(draft.pk)
    client = world.client(world.officer)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        f"/api/v1/documents/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile(name, make(), "application/pdf"), "kind": "quotation"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    (message,) = response.json()["file"]
    assert words in message, message
    assert state(draft.pk) == before
    assert stored_files() == []


def test_refusals_read_in_swahili_by_default(world, draft):
    response = upload(world, world.officer, draft.pk, files.elf_program(), name="ripoti.pdf")
    assert response.status_code == 400
    (message,) = response.json()["file"]
    assert "programu" in message.lower(), message
    response = upload(world, world.officer, draft.pk, files.xlsx_zip_bomb(), name="bei.xlsx")
    (message,) = response.json()["file"]
    assert "100.0 MB" in message and "ingepanuka" in message, message


def test_a_file_over_10_mb_is_a_413_and_nothing_is_stored(world, draft):
    assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    before = state(draft.pk)
    content = files.pdf_bytes() + b" " * (
        settings.ATTACHMENT_MAX_BYTES + 1 - len(files.pdf_bytes())
    )
    assert len(content) == 10 * 1024 * 1024 + 1
    response = upload(world, world.officer, draft.pk, content, name="kubwa.pdf")
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
    assert state(draft.pk) == before
    assert stored_files() == []


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(world, draft):
    response = world.client(world.officer).generic(
        "POST",
        f"/api/v1/documents/{draft.pk}/attachments/",
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.ATTACHMENT_MAX_BYTES * 2),
    )
    assert response.status_code == 413
    assert stored_files() == []


def test_the_21st_annex_is_refused_and_nothing_more_is_stored(world, draft):
    for number in range(20):
        content = files.image_bytes("PNG", color=(number, 100, 200))
        ok(
            upload(world, world.officer, draft.pk, content, name=f"{number}.png", kind="design"),
            201,
        )
    assert len(stored_files()) == 20
    before = state(draft.pk)
    response = upload(world, world.officer, draft.pk, files.pdf_bytes(), kind="other")
    assert response.status_code == 400
    assert "20" in response.json()["file"][0]
    assert state(draft.pk) == before
    assert len(stored_files()) == 20


def test_a_path_traversal_name_is_only_a_name_and_the_file_is_stored_under_a_random_one(
    world, draft, tmp_path
):
    names = {
        "../../../etc/passwd.pdf": "passwd.pdf",
        "..\\..\\Windows\\System32\\barua.pdf": "barua.pdf",
    }
    for number, (raw, shown) in enumerate(names.items()):
        content = files.pdf_bytes(note=str(number))
        body = ok(upload(world, world.officer, draft.pk, content, name=raw), 201)
        assert body["name"] == shown
        row = Attachment.objects.get(pk=body["id"])
        assert "passwd" not in row.storage_name and "barua" not in row.storage_name
        assert ".." not in row.storage_name
    root = Path(settings.MEDIA_ROOT).resolve() / "attachments"
    assert all(path.resolve().is_relative_to(root) for path in stored_files())
    assert len(stored_files()) == 2
    assert not (tmp_path / "etc").exists()


def test_the_same_file_twice_is_refused(world, draft):
    content = files.pdf_bytes()
    ok(upload(world, world.officer, draft.pk, content, name="barua.pdf"), 201)
    before = state(draft.pk)
    response = upload(world, world.officer, draft.pk, content, name="nakala.pdf", kind="other")
    assert response.status_code == 400
    assert "barua.pdf" in response.json()["file"][0]
    assert state(draft.pk) == before
    assert len(stored_files()) == 1


@pytest.mark.parametrize(
    ("fields", "key"),
    [({"kind": ""}, "kind"), ({"kind": "invoice"}, "kind"), ({"kind": "other", "x": "1"}, "x")],
)
def test_a_missing_or_unknown_kind_or_field_is_a_400_and_nothing_is_stored(
    world, draft, fields, key
):
    before = state(draft.pk)
    response = world.client(world.officer).post(
        f"/api/v1/documents/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("barua.pdf", files.pdf_bytes()), **fields},
        format="multipart",
    )
    assert response.status_code == 400
    assert key in response.json()
    assert state(draft.pk) == before
    assert stored_files() == []


def test_who_may_add_an_annex_and_when(world, draft):
    content = files.pdf_bytes()
    before = state(draft.pk)
    assert upload(world, world.ict_head, draft.pk, content).status_code == 403
    assert upload(world, world.officer_moe, draft.pk, content).status_code == 404
    assert upload(world, world.reviewer, draft.pk, content).status_code == 404  # a draft
    assert upload(world, world.officer, "si-namba", content).status_code == 404
    assert state(draft.pk) == before
    waiting = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    response = upload(world, world.officer, waiting.pk, content)
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert stored_files() == []


def test_outside_draft_the_409_comes_before_the_body_is_read(world):
    waiting = drive(world, new_document(world, "email_account_request"), "awaiting_signatures")
    response = world.client(world.officer).generic(
        "POST",
        f"/api/v1/documents/{waiting.pk}/attachments/",
        b"this is not multipart at all",
        content_type="multipart/form-data; boundary=nothing",
    )
    assert response.status_code == 409


def test_downloads_only_for_those_who_can_see_the_document(world, draft):
    content = files.pdf_bytes()
    body = ok(upload(world, world.officer, draft.pk, content, name="Barua ya Wizara.pdf"), 201)
    url = f"/api/v1/documents/{draft.pk}/attachments/{body['id']}/"
    assert world.client(world.officer_moe).get(url).status_code == 404
    assert world.client(world.reviewer).get(url).status_code == 404  # a draft
    assert world.client().get(url).status_code in (401, 403)
    assert world.client(world.officer).get(url + "x/").status_code == 404
    other = f"/api/v1/documents/{draft.pk}/attachments/00000000-0000-0000-0000-000000000000/"
    assert world.client(world.officer).get(other).status_code == 404
    response = world.client(world.ict_head).get(url)  # same institution
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Barua-ya-Wizara.pdf\"; filename*=UTF-8''Barua%20ya%20Wizara.pdf"
    )
    drive(world, draft, "submitted")
    response = world.client(world.reviewer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert world.client(world.officer_moe).get(url).status_code == 404


def test_the_list_shows_the_current_annexes_at_a_fixed_cost(world, draft):
    client = world.client(world.officer)
    url = f"/api/v1/documents/{draft.pk}/attachments/"
    ok(upload(world, world.officer, draft.pk, files.pdf_bytes(), name="barua.pdf"), 201)

    def listed():
        with CaptureQueriesContext(connection) as captured:
            body = ok(client.get(url))
        return body, len(captured.captured_queries)

    listed()  # the first request of a client warms per-process caches
    body, one = listed()
    assert [item["name"] for item in body["results"]] == ["barua.pdf"]
    for number in range(4):
        content = files.image_bytes("JPEG", color=(number * 40, 0, 0))
        ok(
            upload(world, world.officer, draft.pk, content, name=f"{number}.jpg", kind="design"),
            201,
        )
    body, five = listed()
    assert len(body["results"]) == 5 and five == one
    assert world.client(world.officer_moe).get(url).status_code == 404


def test_removing_an_annex_from_a_draft_never_signed_removes_row_and_file(
    world, draft, django_capture_on_commit_callbacks
):
    original = Document.objects.get(pk=draft.pk).content_hash
    body = ok(upload(world, world.officer, draft.pk, files.pdf_bytes(), name="barua.pdf"), 201)
    url = f"/api/v1/documents/{draft.pk}/attachments/{body['id']}/"
    assert world.client(world.ict_head).delete(url).status_code == 403
    assert world.client(world.officer_moe).delete(url).status_code == 404
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.officer).delete(url)
    assert response.status_code == 204
    document = Document.objects.get(pk=draft.pk)
    assert not Attachment.objects.filter(document=document).exists()
    assert stored_files() == []
    # Without annexes the hash is the one of {type, title, data}, exactly as before.
    assert document.content_hash == original
    assert document.content_hash == content_hash(
        type=document.type, title=document.title, data=document.data
    )
    assert document.version == 1
    event = AuditEvent.objects.filter(document=document).last()
    assert (event.action, event.payload["name"]) == ("attachment-remove", "barua.pdf")
    assert world.client(world.officer).delete(url).status_code == 404


def test_annexes_cannot_be_removed_while_awaiting_signatures(world, draft):
    body = ok(upload(world, world.officer, draft.pk, files.pdf_bytes(), name="barua.pdf"), 201)
    drive(world, draft, "awaiting_signatures")
    before = state(draft.pk)
    response = world.client(world.officer).delete(
        f"/api/v1/documents/{draft.pk}/attachments/{body['id']}/"
    )
    assert response.status_code == 409
    assert state(draft.pk) == before
    assert len(stored_files()) == 1


def test_a_concept_note_needs_its_cover_letter_before_signing(world):
    from workflow.services import document_create

    note = new_document(world, "concept_note")
    (cover,) = Attachment.objects.filter(document=note)
    response = world.client(world.officer).delete(
        f"/api/v1/documents/{note.pk}/attachments/{cover.pk}/"
    )
    assert response.status_code == 204
    ok(
        upload(
            world, world.officer, note.pk, files.docx_bytes(), name="bei.docx", kind="quotation"
        ),
        201,
    )
    before = state(note.pk)
    response = act(world, world.officer, note.pk, "request-signatures")
    assert response.status_code == 400
    assert response.json() == {
        "attachments": [
            "Kiambatisho “Barua ya utangulizi” kinahitajika: kiambatishe kabla ya kutuma kwa "
            "ajili ya sahihi."
        ]
    }
    assert state(note.pk) == before

    ok(upload(world, world.officer, note.pk, files.pdf_bytes(), name="barua.pdf"), 201)
    assert ok(act(world, world.officer, note.pk, "request-signatures"))["status"] == (
        "awaiting_signatures"
    )
    # An incomplete form (its answers, and the rules its empty tables break) and a missing annex
    # are named together.
    project = create_project(world, name="Mradi mwingine")
    empty = document_create(
        type="concept_note", title="Dhana", project_id=project.pk, by=world.officer
    )
    refused = act(world, world.officer, empty.pk, "request-signatures")
    assert refused.status_code == 400
    assert set(refused.json()) == {"data", "rules", "attachments"}


def test_the_document_type_says_which_annexes_it_requires(world):
    body = ok(world.client().get("/api/v1/document-types/concept_note/"))
    assert body["required_attachments"] == [
        {"kind": "cover_letter", "name": {"sw": "Barua ya utangulizi", "en": "Cover letter"}}
    ]
    assert (
        ok(world.client().get("/api/v1/document-types/email_account_request/"))[
            "required_attachments"
        ]
        == []
    )


def test_the_annex_endpoints_are_in_the_openapi_schema(world):
    schema = world.client().get("/api/v1/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/documents/{id}/attachments/"]
    assert {"get", "post"} <= set(listing)
    assert "multipart/form-data" in listing["post"]["requestBody"]["content"]
    assert {"get", "delete"} <= set(schema["paths"]["/api/v1/documents/{id}/attachments/{aid}/"])
