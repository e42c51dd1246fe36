"""The agency's identity is configuration: its name, heading, emblem, reference prefix and seal
name, changed in admin, appear on the next page, e-mail, Word file and PDF (issue 15.5)."""

from __future__ import annotations

import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals.models import SealedPdf
from forms_templates.printing.fetcher import FetchRefused, SafeURLFetcher
from tests.approvals.pdf_support import approve, flat, pdf_text
from workflow.agency import AgencyIdentity, current_agency
from workflow.models import Document

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")

ZANZIBAR = {
    "name_sw": "Mamlaka ya Serikali Mtandao Zanzibar",
    "name_en": "e-Government Authority of Zanzibar",
    "jurisdiction": "zanzibar",
    "reference_prefix": "EGAZ",
    "seal_name": "eGAZ Seal",
}


def png(size=(40, 44), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def admin_client(db, client):
    admin = get_user_model().objects.create_superuser("msimamizi", "m@ega.go.tz", "x-pass-1")
    client.force_login(admin)
    return client


def page_of(user) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get("/")
    assert response.status_code == 200
    return response.content.decode()


def set_identity(admin_client, emblem: bytes | None = None, **changes):
    body = {**ZANZIBAR, **changes}
    if emblem is not None:
        body["emblem"] = SimpleUploadedFile("nembo.png", emblem, content_type="image/png")
    row = AgencyIdentity.objects.first()
    url = (
        f"/admin/workflow/agencyidentity/{row.pk}/change/"
        if row
        else "/admin/workflow/agencyidentity/add/"
    )
    return admin_client.post(url, body)


def test_without_configuration_the_mainland_authority_issues_everything(world):
    agency = current_agency()
    assert agency.name.sw == "Mamlaka ya Serikali Mtandao"
    assert agency.heading.sw == "JAMHURI YA MUUNGANO WA TANZANIA"
    page = page_of(world.officer)
    assert "Mamlaka ya Serikali Mtandao — e-Government Authority" in page
    assert "Wakala" not in page


def test_a_change_in_admin_shows_on_the_next_page_email_word_file_pdf_and_seal(
    world, admin_client, django_capture_on_commit_callbacks
):
    response = set_identity(admin_client, emblem=png())
    assert response.status_code == 302, response.content.decode()[:2000]

    # The next page, no restart.
    page = page_of(world.officer)
    assert "Mamlaka ya Serikali Mtandao Zanzibar — e-Government Authority of Zanzibar" in page

    # The Word template: the Zanzibar heading and the emblem.
    template = world.client().get("/api/v1/document-types/concept_note/template.docx")
    word = docx.Document(io.BytesIO(template.content))
    assert word.paragraphs[0].text.strip().endswith("SERIKALI YA MAPINDUZI YA ZANZIBAR")
    assert any(part.content_type == "image/png" for part in word.part.package.parts)

    # A document through to approval: its reference, its e-mails, its sealed PDF.
    mail.outbox.clear()
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    document = Document.objects.get(pk=document_id)
    assert document.reference.startswith("EGAZ/EM/")
    approved = [
        m for m in mail.outbox if "Mamlaka ya Serikali Mtandao Zanzibar imeidhinisha" in m.body
    ]
    assert approved, [m.body for m in mail.outbox]
    assert "Idhini, mfumo wa idhini ya nyaraka wa Mamlaka ya Serikali Mtandao Zanzibar" in (
        approved[0].body
    )

    sealed = SealedPdf.objects.get(document_id=document_id).file.read()
    text = flat(" ".join(pdf_text(sealed)))
    assert "SERIKALI YA MAPINDUZI YA ZANZIBAR" in text
    assert "Uamuzi wa Mamlaka ya Serikali Mtandao Zanzibar" in text
    assert "JAMHURI YA MUUNGANO" not in text
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert signature.sig_object["/Name"] == "eGAZ Seal"
    assert "Mamlaka ya Serikali Mtandao Zanzibar" in signature.sig_object["/Reason"]


def test_the_emblem_is_re_encoded_by_us_and_other_files_are_refused(admin_client):
    upload = png(size=(1200, 1300))
    assert set_identity(admin_client, emblem=upload).status_code == 302
    stored = bytes(AgencyIdentity.objects.get().emblem_png)
    assert stored.startswith(b"\x89PNG") and stored != upload
    assert max(Image.open(io.BytesIO(stored)).size) <= 600

    before = bytes(AgencyIdentity.objects.get().emblem_png)
    for content, words in (
        (b"MZ\x90\x00 not an image", "programu"),  # a program: refused by what it is
        (blank_pdf(), "PNG"),  # a sound file of another type: still not an emblem
    ):
        response = set_identity(admin_client, emblem=content, name_sw="Jina Jingine")
        assert response.status_code == 200  # the form again, with the error
        errors = " ".join(str(e) for e in response.context["adminform"].form.errors["emblem"])
        assert words in errors, errors
        assert AgencyIdentity.objects.get().name_sw == ZANZIBAR["name_sw"]
        assert bytes(AgencyIdentity.objects.get().emblem_png) == before
    assert current_agency().name.sw == ZANZIBAR["name_sw"]


def test_a_reference_prefix_must_be_capital_letters(admin_client):
    response = set_identity(admin_client, reference_prefix="eg/1")
    assert response.status_code == 200
    assert not AgencyIdentity.objects.exists()
    assert current_agency().reference_prefix == "EGA"


def test_there_is_one_identity_row(admin_client):
    assert set_identity(admin_client).status_code == 302
    assert admin_client.get("/admin/workflow/agencyidentity/add/").status_code == 403
    assert AgencyIdentity.objects.count() == 1


def test_the_print_reads_only_a_png_data_url():
    fetcher = SafeURLFetcher()
    response = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert response.headers["Content-Type"] == "image/png"
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    for url in (
        "data:text/html;base64,PGI+",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png;base64,@@@",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
