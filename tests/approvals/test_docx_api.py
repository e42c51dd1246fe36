"""The Word API: the blank template of every type, a document's filled export, and the import of a
filled file — refused, with the draft unchanged, for every kind of bad file."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from forms_templates.docx import DOCX_CONTENT_TYPE, build_template, read_docx
from forms_templates.registry import ORDER, get_type
from tests.forms_templates import docx_files as files
from tests.helpers import PASSWORD, complete_data, drive, new_document
from workflow.models import AuditEvent, Document

pytestmark = pytest.mark.django_db

TYPES = list(ORDER)
W = files.W


def _state(document_id):
    document = Document.objects.get(pk=document_id)
    return (
        document.status,
        document.version,
        document.title,
        document.data,
        document.content_hash,
        document.audit_seq,
        AuditEvent.objects.filter(document_id=document_id).count(),
    )


def upload(client, document, content: bytes, name: str = "fomu.docx", **extra):
    return client.post(
        f"/api/v1/documents/{document.pk}/import-docx/",
        {"file": SimpleUploadedFile(name, content, content_type=DOCX_CONTENT_TYPE)},
        format="multipart",
        **extra,
    )


def english(world, user) -> APIClient:
    client = world.client(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def text_of(content: bytes) -> str:
    document = files.open_docx(content)
    return "\n".join(t.text or "" for t in document.element.body.iter(f"{W}t"))


# --- the template ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", TYPES)
def test_anyone_can_download_the_blank_template_of_every_type(key):
    response = APIClient().get(
        f"/api/v1/document-types/{key}/template.docx",
        HTTP_ACCEPT=DOCX_CONTENT_TYPE,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == (f'attachment; filename="idhini-{key}-template.docx"')
    assert read_docx(get_type(key), response.content).to_data() == {}
    assert get_type(key).name.sw.upper() in text_of(response.content)


def test_an_unknown_type_has_no_template():
    response = APIClient().get("/api/v1/document-types/no_such_type/template.docx")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- the filled export ----------------------------------------------------------------------


def test_the_export_is_the_filled_document_with_reference_version_status_and_signatures(world):
    document = drive(world, new_document(world, "concept_note"), "submitted")
    response = world.client(world.officer).get(f"/api/v1/documents/{document.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    filename = re.fullmatch(r'attachment; filename="([^"]+)"', response["Content-Disposition"])
    assert filename and filename.group(1) == (
        f"{document.reference.replace('/', '-')}-v{document.version}.docx"
    )
    text = text_of(response.content)
    for expected in (
        document.reference,
        "Toleo",
        "Imewasilishwa",
        "Wizara ya Afya".upper(),
        document.title,
        "Imesainiwa kidijitali kwenye Idhini",
        "Imeandaliwa na / Prepared by",
    ):
        assert expected in text, expected
    definition = get_type("concept_note")
    assert read_docx(definition, response.content).to_data() == document.data


def test_a_draft_is_exported_under_an_ascii_name_from_its_title(world):
    document = new_document(world, "email_account_request", fill=False)
    Document.objects.filter(pk=document.pk).update(title="Ombi la barua pepe — Bi. Zuhura 😀")
    response = world.client(world.officer).get(f"/api/v1/documents/{document.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Ombi-la-barua-pepe-Bi.-Zuhura-v1.docx"'
    )
    assert "Rasimu" in text_of(response.content)


def test_the_export_is_visible_only_to_those_who_may_see_the_document(world):
    document = new_document(world, "concept_note")
    url = f"/api/v1/documents/{document.pk}/docx/"
    assert world.client(world.ict_head).get(url).status_code == 200
    assert world.client(world.officer_moe).get(url).status_code == 404
    assert world.client(world.reviewer).get(url).status_code == 404  # a draft
    assert APIClient().get(url).status_code in (401, 403)
    drive(world, document, "submitted")
    assert world.client(world.reviewer).get(url).status_code == 200


# --- import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", TYPES)
def test_an_export_imported_unchanged_changes_nothing(world, key):
    document = new_document(world, key)
    client = world.client(world.officer)
    exported = client.get(f"/api/v1/documents/{document.pk}/docx/").content
    before = _state(document.pk)
    response = upload(client, document, exported)
    assert response.status_code == 200, response.content
    assert _state(document.pk) == before


def test_awkward_text_survives_export_and_import_through_the_api(world):
    document = new_document(world, "completion_report", fill=False)
    data = complete_data("completion_report", rows=2)
    data.update(
        summary='Muhtasari: “nukuu” ‘moja’ "double"\r\nMstari wa pili — café 😀\n\n\ttab',
        lessons_learned="",
        operations_unit="  Kitengo cha TEHAMA  ",
    )
    data["objectives_achieved"].append({})
    client = world.client(world.officer)
    response = client.patch(f"/api/v1/documents/{document.pk}/", {"data": data}, format="json")
    assert response.status_code == 200, response.content
    before = _state(document.pk)
    exported = client.get(f"/api/v1/documents/{document.pk}/docx/").content
    response = upload(client, document, exported)
    assert response.status_code == 200, response.content
    assert _state(document.pk) == before
    assert Document.objects.get(pk=document.pk).data == data


@pytest.mark.parametrize("key", TYPES)
def test_a_template_filled_in_by_a_person_replaces_the_draft_data_and_answers_like_patch(
    world, key
):
    definition = get_type(key)
    document = new_document(world, key)
    content, expected = files.fill_like_a_person(build_template(definition), definition)
    client = world.client(world.officer)
    response = upload(client, document, content)
    assert response.status_code == 200, response.content
    imported = AuditEvent.objects.filter(document_id=document.pk).order_by("seq").last()
    assert (imported.action, imported.payload["source"]) == ("edit", "docx")
    body = response.json()
    patched = client.patch(f"/api/v1/documents/{document.pk}/", {"title": "x"}, format="json")
    assert set(body) == set(patched.json())
    assert body["data"] == expected
    assert Document.objects.get(pk=document.pk).data == expected
    event = AuditEvent.objects.filter(document_id=document.pk, action="edit").order_by("seq").last()
    assert event.actor_username == "officer"


def test_fields_left_empty_in_the_file_are_cleared(world):
    definition = get_type("email_account_request")
    document = new_document(world, "email_account_request")
    content = files.open_docx(build_template(definition))
    files.type_answer(content, "full_name", "Zuhura Ali")
    response = upload(world.client(world.officer), document, files.save_docx(content))
    assert response.status_code == 200, response.content
    assert Document.objects.get(pk=document.pk).data == {"full_name": "Zuhura Ali"}


def test_importing_into_a_returned_document_starts_a_new_version(world):
    document = drive(world, new_document(world, "concept_note"), "changes_requested")
    client = world.client(world.officer)
    content = files.open_docx(client.get(f"/api/v1/documents/{document.pk}/docx/").content)
    files.type_answer(content, "project_owner", "Mfumo wa Hospitali (uliorekebishwa)")
    response = upload(client, document, files.save_docx(content))
    assert response.status_code == 200, response.content
    assert response.json()["version"] == document.version + 1
    assert response.json()["data"]["project_owner"] == "Mfumo wa Hospitali (uliorekebishwa)"


@pytest.mark.parametrize(
    "status", ["awaiting_signatures", "signed", "submitted", "under_review", "approved"]
)
def test_importing_outside_draft_is_a_409_before_the_file_is_read(world, status, bomb):
    document = drive(world, new_document(world, "concept_note"), status)
    before = _state(document.pk)
    response = upload(world.client(world.officer), document, bomb)
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert _state(document.pk) == before


def test_only_the_author_imports_and_other_institutions_do_not_see_the_document(world):
    document = new_document(world, "concept_note")
    content = build_template(get_type("concept_note"))
    before = _state(document.pk)
    assert upload(world.client(world.ict_head), document, content).status_code == 403
    assert upload(world.client(world.officer_moe), document, content).status_code == 404
    assert upload(world.client(world.reviewer), document, content).status_code == 404
    assert upload(APIClient(), document, content).status_code in (401, 403)
    assert _state(document.pk) == before


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return files.zip_bomb(build_template(get_type("concept_note")), megabytes=300)


def _bad_files(bomb: bytes) -> dict[str, tuple[bytes, str, str]]:
    template = build_template(get_type("concept_note"))
    other = build_template(get_type("implementation_report"))
    return {
        "plain text": (b"Hii si hati ya Word." * 50, "file", "not a Word document"),
        "a PDF": (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" * 10, "file", "PDF"),
        "a broken zip": (template[:5000], "file", "damaged"),
        "a zip bomb": (bomb, "file", "300.0 MB"),
        "a .docm": (files.as_docm(template), "file", "Macro-enabled"),
        "an attached remote template": (
            files.with_external_template(template),
            "file",
            "links to content outside itself",
        ),
        "entity expansion": (files.with_entity_expansion(template), "file", "DTD"),
        "another type's template": (other, "file", "Project Progress Report"),
        "no fields": (files.save_docx(files.open_docx(files.paragraphs_bomb(3))), "file", "no "),
    }


@pytest.mark.parametrize(
    "case",
    [
        "plain text",
        "a PDF",
        "a broken zip",
        "a zip bomb",
        "a .docm",
        "an attached remote template",
        "entity expansion",
        "another type's template",
        "no fields",
    ],
)
def test_a_bad_file_is_a_400_that_says_why_and_the_draft_is_unchanged(world, bomb, case):
    content, key, words = _bad_files(bomb)[case]
    document = new_document(world, "concept_note")
    before = _state(document.pk)
    response = upload(english(world, world.officer), document, content)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [key]
    assert words in body[key][0], body
    assert _state(document.pk) == before


def test_an_old_template_is_a_400_that_says_so(world):
    import dataclasses

    from forms_templates.definitions import Field

    current = get_type("email_account_request")
    first, *rest = current.sections
    old_first = dataclasses.replace(
        first,
        items=(*first.items, Field("fax", "phone", current.name.__class__("Faksi", "Fax"))),
    )
    old = dataclasses.replace(current, sections=(old_first, *rest), extra={})
    from forms_templates.docx import build_docx

    document = new_document(world, "email_account_request")
    before = _state(document.pk)
    response = upload(english(world, world.officer), document, build_docx(old))
    assert response.status_code == 400
    assert "older template" in response.json()["file"][0]
    assert _state(document.pk) == before


def test_invalid_answers_are_refused_naming_the_field_and_row_like_patch(world):
    definition = get_type("completion_report")
    document = new_document(world, "completion_report")
    content = files.open_docx(build_template(definition))
    files.type_answer(content, "administrator_email", "si barua pepe")
    files.fill_row(content, "cost_items", 0, ["Seva", "1,000", "900", ""])
    files.fill_row(content, "cost_items", 1, ["Leseni", "2,000", "elfu mbili", ""])
    before = _state(document.pk)
    response = upload(english(world, world.officer), document, files.save_docx(content))
    assert response.status_code == 400
    errors = response.json()["data"]
    assert errors["administrator_email"] == [
        "System administrator's e-mail must be an e-mail address."
    ]
    assert errors["cost_items[2].actual_amount"] == [
        "Cost by item, row 2, Actual amount (TZS) must be a whole number."
    ]
    assert _state(document.pk) == before


def test_a_request_without_a_file_is_a_400_naming_the_file_field(world):
    document = new_document(world, "concept_note")
    client = world.client(world.officer)
    url = f"/api/v1/documents/{document.pk}/import-docx/"
    response = client.post(url, {"other": "x"}, format="multipart")
    assert response.status_code == 400
    assert "other" in response.json()
    response = client.post(url, {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


# --- size: 413 before and while the body is read --------------------------------------------


@pytest.fixture
def no_disk(settings, tmp_path):
    """Django's own handlers would write any upload over 1 KB into a directory that does not
    exist (the request would fail): passing tests prove the upload never went near the disk."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-directory")
    return tmp_path / "no-such-directory"


def test_the_default_upload_limit_is_10_mb(world, settings, no_disk):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    document = new_document(world, "concept_note")
    before = _state(document.pk)
    response = upload(world.client(world.officer), document, bytes(10 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert _state(document.pk) == before


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(world):
    document = new_document(world, "concept_note")
    client = world.client(world.officer)
    body = (
        b"--b\r\nContent-Disposition: form-data; name=file; filename=a.docx\r\n\r\nx\r\n--b--\r\n"
    )
    # The declared length is far larger than the body: reading it would fail loudly.
    response = client.generic(
        "POST",
        f"/api/v1/documents/{document.pk}/import-docx/",
        body,
        content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert (
        "10.0 MB"
        in english(world, world.officer)
        .post(
            f"/api/v1/documents/{document.pk}/import-docx/",
            body,
            content_type="multipart/form-data; boundary=b",
            CONTENT_LENGTH=str(50 * 1024 * 1024),
        )
        .json()["detail"]
    )


def test_a_file_over_the_limit_within_the_declared_margin_is_refused_while_streaming(
    world, settings, no_disk
):
    settings.UPLOAD_MAX_BYTES = 100_000
    document = new_document(world, "concept_note")
    before = _state(document.pk)
    response = upload(world.client(world.officer), document, bytes(120_000))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert _state(document.pk) == before


def test_the_limit_holds_for_a_browser_session_whose_csrf_check_reads_the_form(
    world, settings, no_disk
):
    settings.UPLOAD_MAX_BYTES = 100_000
    document = new_document(world, "concept_note")
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="officer", password=PASSWORD)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = upload(client, document, bytes(120_000), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 413
    response = upload(
        client, document, build_template(get_type("concept_note")), HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200, response.content


def test_no_upload_is_kept_on_disk(world, no_disk):
    temp = Path(tempfile.gettempdir())
    before = {p.name for p in temp.iterdir()}
    document = new_document(world, "concept_note")
    client = world.client(world.officer)
    response = upload(client, document, b"PK\x03\x04" + bytes(3 * 1024 * 1024))
    assert response.status_code == 400
    assert response.json()["file"]
    exported = client.get(f"/api/v1/documents/{document.pk}/docx/").content
    assert upload(client, document, exported).status_code == 200
    assert not no_disk.exists()
    left = {p.name for p in temp.iterdir()} - before
    assert not [name for name in left if name.endswith(".upload")]
