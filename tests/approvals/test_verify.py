"""Public verification: the page /verify/<code>/, GET /api/v1/verify/<code>/, POST
/api/v1/verify/ with a PDF, and GET /api/v1/seal-certificate/ — no login, rate-limited per
client address, and never a 500 for what a client sends."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from approvals import sealing
from approvals.models import SealedPdf
from forms_templates.printing import build_html, render_pdf
from tests.approvals.pdf_support import (
    approve,
    changed_byte,
    print_context,
)
from workflow.models import Document

pytestmark = pytest.mark.usefixtures("dev_seal", "clean_cache")


def upload(pdf: bytes, name: str = "hati.pdf", client: APIClient | None = None, **extra):
    client = client or APIClient()
    return client.post(
        "/api/v1/verify/",
        {"file": SimpleUploadedFile(name, pdf, content_type="application/pdf")},
        format="multipart",
        **extra,
    )


@pytest.fixture
def sealed(world, django_capture_on_commit_callbacks) -> SealedPdf:
    document_id = approve(world, capture=django_capture_on_commit_callbacks)
    return SealedPdf.objects.select_related("document").get(document_id=document_id)


def test_the_page_and_both_apis_agree_on_an_approved_document(sealed):
    document = sealed.document
    pdf = sealed.file.read()

    by_code = APIClient().get(f"/api/v1/verify/{document.verification_code}/")
    by_file = upload(pdf)
    page = Client().get(f"/verify/{document.verification_code}/")

    assert by_code.status_code == 200 and by_file.status_code == 200 and page.status_code == 200
    code_body, file_body = by_code.json(), by_file.json()
    assert code_body["valid"] is True and file_body["valid"] is True
    assert file_body["problem"] is None
    assert file_body["sha256"] == sealed.sha256
    for key in (
        "reference",
        "type",
        "institution",
        "title",
        "status",
        "approved_at",
        "content_hash",
        "signatures",
        "files",
    ):
        assert code_body[key] == file_body[key], key
    assert code_body["reference"] == document.reference
    assert code_body["institution"] == "MOH"
    assert code_body["status"] == "approved"
    assert code_body["content_hash"] == document.content_hash
    assert [s["status"] for s in code_body["signatures"]] == [
        "signed"
    ] * 3  # servant, supervisor, HR
    assert code_body["files"] == [
        {
            "lang": "sw",
            "sha256": sealed.sha256,
            "size": sealed.size,
            "sealed_at": code_body["files"][0]["sealed_at"],
            "certificate_sha256": sealed.certificate_fingerprint,
        }
    ]
    assert file_body["seal"]["intact"] is True
    assert file_body["seal"]["agency_certificate"] is True
    html = page.content.decode()
    for shown in (
        document.reference,
        document.title,
        document.content_hash,
        sealed.sha256,
        "Wizara ya Afya",
        "Ministry of Health",
        # Issue 10: without a file checked, the page describes the record, never "genuine".
        "Kilichotolewa na Mamlaka chini ya namba hii",
        "What the agency issued under this code",
        "Bado hujahakiki faili",
        # The mailbox request's last signatory (issue 15's chain).
        "Mkuu wa Idara ya Utawala na Usimamizi wa Rasilimali Watu",
        "Head of human resources",
        "hr_head",  # the signatory's name (no full name: the username)
    ):
        assert shown in html, shown
    assert "good-verdict" not in html and "✔" not in html


def test_one_changed_byte_makes_the_file_invalid(sealed):
    pdf = sealed.file.read()

    for position in (len(pdf) // 3, pdf.index(b"/Contents <") + 40, len(pdf) - 20):
        response = upload(changed_byte(pdf, position))
        assert response.status_code == 200, position
        assert response.json()["valid"] is False, position
        assert response.json()["problem"], position


def test_the_page_checks_an_uploaded_file_without_javascript(sealed):
    code = sealed.document.verification_code
    pdf = sealed.file.read()

    genuine = Client().post(f"/verify/{code}/", {"file": SimpleUploadedFile("a.pdf", pdf)})
    altered = Client().post(
        f"/verify/{code}/", {"file": SimpleUploadedFile("a.pdf", changed_byte(pdf))}
    )
    not_pdf = Client().post(f"/verify/{code}/", {"file": SimpleUploadedFile("a.txt", b"hello")})

    assert genuine.status_code == 200
    assert "Faili ni halali" in genuine.content.decode()
    assert altered.status_code == 200
    assert "✘" in altered.content.decode()
    assert "Faili ni halali" not in altered.content.decode()
    assert not_pdf.status_code == 400


def test_an_unknown_code_is_a_clear_not_found(db):
    api = APIClient().get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    page = Client().get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    junk = APIClient().get("/api/v1/verify/%3Cscript%3E/")

    assert api.status_code == 404
    assert api.json() == {
        "valid": False,
        "detail": api.json()["detail"],
        "code": "not_found",
    }
    assert page.status_code == 404
    assert "Haikupatikana" in page.content.decode()
    assert "Not found" in page.content.decode()
    assert junk.status_code == 404


def test_a_code_is_found_however_it_is_typed(sealed):
    code = sealed.document.verification_code
    typed = code.lower().replace("-", " ")

    response = APIClient().get(f"/api/v1/verify/{typed}/")

    assert response.status_code == 200
    assert response.json()["reference"] == sealed.document.reference


def test_a_pdf_with_no_seal_is_not_valid(db):
    pdf = render_pdf(build_html(print_context("email_account_request")))

    response = upload(pdf)

    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["problem"] == "unsigned"
    assert response.json()["reference"] is None


def _other_identity(tmp_path) -> sealing.SealIdentity:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Not the agency")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return tmp_path / "key.pem", tmp_path / "cert.pem"


def test_a_pdf_sealed_by_another_certificate_is_not_valid(db, settings, tmp_path):
    agency = sealing.seal_identity()
    key_path, cert_path = _other_identity(tmp_path)
    settings.SEAL_KEY_PATH, settings.SEAL_CERT_PATH = str(key_path), str(cert_path)
    impostor = sealing.seal_identity()
    forged = sealing.seal_pdf(render_pdf(build_html(print_context("email_account_request"))))
    settings.SEAL_KEY_PATH = settings.SEAL_CERT_PATH = ""
    assert sealing.seal_identity().fingerprint == agency.fingerprint != impostor.fingerprint

    response = upload(forged)

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["problem"] == "other_certificate"
    assert body["seal"]["agency_certificate"] is False
    assert body["seal"]["certificate_sha256"] == impostor.fingerprint


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + b"\x00garbage" * 200,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        b"%PDF-" + bytes(range(256)) * 40,
        b"%PDF-1.7\n%%EOF",
    ],
    ids=["garbage", "no-xref", "binary", "empty"],
)
def test_a_broken_pdf_is_not_valid_and_never_a_500(db, content):
    response = upload(content)

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["valid"] is False
        assert response.json()["problem"]


def test_a_file_that_is_not_a_pdf_is_400(db):
    response = upload(b"PK\x03\x04 a zip, not a pdf", name="hati.docx")

    assert response.status_code == 400
    assert "file" in response.json()


def test_a_missing_file_is_400(db):
    response = APIClient().post("/api/v1/verify/", {"other": "x"}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


def test_an_upload_over_the_limit_is_413_before_it_is_read(db, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 4096
    big = b"%PDF-1.7\n" + b"0" * 200_000

    response = upload(big)
    page = Client().post("/verify/ABCD-EFGH-JKLM-NPQR/", {"file": SimpleUploadedFile("a.pdf", big)})

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert page.status_code in (404, 413)  # an unknown code answers first


def test_an_upload_just_over_the_limit_is_413(db, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 70_000  # the request's framing fits; the file does not
    response = upload(b"%PDF-1.7\n" + b"0" * 70_000)

    assert response.status_code == 413


def test_verification_is_rate_limited_per_client_address(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"verify": "3/min"},
    }
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    other = APIClient(REMOTE_ADDR="198.51.100.8")

    answers = [client.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/").status_code for _ in range(3)]
    refused = client.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    page = Client(REMOTE_ADDR="198.51.100.7").get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")

    assert answers == [404, 404, 404]
    assert refused.status_code == 429  # a forged X-Forwarded-For does not reset the count
    assert "Retry-After" in refused
    assert page.status_code == 429
    assert other.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/").status_code == 404


def test_a_bad_token_does_not_make_public_verification_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/").status_code == 404
    assert client.get("/api/v1/seal-certificate/").status_code == 200


def test_the_seal_certificate_is_published_as_pem(db):
    identity = sealing.seal_identity()

    response = APIClient().get("/api/v1/seal-certificate/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert response.content == identity.certificate_pem
    published = x509.load_pem_x509_certificate(response.content)
    assert published.fingerprint(hashes.SHA256()).hex() == identity.fingerprint
    assert response["X-Certificate-SHA256"] == identity.fingerprint


def test_a_document_no_longer_approved_is_not_valid(sealed):
    # Approval is final in the lifecycle; this guards the rule should that ever change.
    Document.objects.filter(pk=sealed.document_id).update(status="withdrawn")

    by_code = APIClient().get(f"/api/v1/verify/{sealed.document.verification_code}/")
    by_file = upload(sealed.file.read())

    assert by_code.json()["valid"] is False
    assert by_file.json()["valid"] is False
    assert by_file.json()["problem"] == "not_approved"


def test_verification_needs_no_login_and_reads_nothing_private(sealed):
    body = APIClient().get(f"/api/v1/verify/{sealed.document.verification_code}/").json()

    assert "data" not in body
    assert all("signer" not in signature for signature in body["signatures"])
    assert [s["role"] for s in body["signatures"]] == [
        "requesting_servant",
        "supervisor",
        "head_of_hr",
    ]
    assert io.BytesIO(sealed.file.read()).read(5) == b"%PDF-"
