"""The sealed PDF, opened with pypdf and pyHanko: the agency's PAdES seal validates against the
published certificate and breaks with one changed byte; the form data travels inside as JSON;
the file stays PDF/A-3b once sealed; markup in the form prints as text and nothing from the file
system or the network gets in."""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import http.server
import io
import json
import re
import threading
from dataclasses import dataclass

import pytest
from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.test import override_settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from rest_framework.test import APIClient

from approvals import sealing
from approvals.models import SealedPdf
from forms_templates.printing import PDF_A, PdfAttachment, build_html, render_pdf
from forms_templates.registry import get_type
from tests.approvals.pdf_support import (
    PAYLOADS,
    approve,
    changed_byte,
    flat,
    pdf_text,
    print_context,
)
from tests.helpers import complete_data
from workflow.hashing import content_hash


@dataclass(frozen=True)
class Sealed:
    pdf: bytes
    identity: sealing.SealIdentity
    data: dict


@pytest.fixture(scope="module")
def sealed_note(seal_var_dir) -> Sealed:
    """One sealed concept note for the whole module (rendering costs about half a second)."""
    with override_settings(
        VAR_DIR=seal_var_dir, SEAL_KEY_PATH="", SEAL_CERT_PATH="", SEAL_TSA_URL=""
    ):
        identity = sealing.seal_identity()
        context = print_context("concept_note", rows=2)
        record = json.dumps({"data": dict(context.data)}, ensure_ascii=False).encode()
        pdf = render_pdf(
            build_html(context),
            attachments=[PdfAttachment("EGA-CN-2026-0001.json", record, "Form data", "Data")],
            pdf_variant=PDF_A,
        )
        return Sealed(sealing.seal_pdf(pdf, identity=identity), identity, dict(context.data))


def published_certificate() -> asn1_x509.Certificate:
    pem = APIClient().get("/api/v1/seal-certificate/").content
    return asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    )


def pyhanko_status(pdf: bytes, certificate: asn1_x509.Certificate):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context)


@pytest.mark.usefixtures("dev_seal")
def test_the_seal_validates_against_the_published_certificate(db, sealed_note):
    status = pyhanko_status(sealed_note.pdf, published_certificate())

    assert status.bottom_line
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    signature = PdfFileReader(io.BytesIO(sealed_note.pdf)).embedded_signatures[0]
    assert signature.docmdp_level == MDPPerm.NO_CHANGES  # a certification seal: no later change
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.field_name == sealing.SEAL_FIELD


def signature_value_offset(pdf: bytes) -> int:
    """Where in the file the signer's signature value (the end of the CMS) is written in hex."""
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf)
    signed_data = cms.ContentInfo.load(binascii.unhexlify(match.group(1)))["content"]
    value = signed_data["signer_infos"][0]["signature"].contents
    position = match.group(1).find(binascii.hexlify(value).upper())
    assert position > 0
    return match.start(1) + position + len(value)  # the middle of the value, in hex digits


def changed_hex_digit(pdf: bytes, at: int) -> bytes:
    data = bytearray(pdf)
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    return bytes(data)


@pytest.mark.usefixtures("dev_seal")
def test_one_changed_byte_breaks_the_seal(db, sealed_note):
    certificate = published_certificate()
    pdf = sealed_note.pdf
    in_content = changed_byte(pdf, len(pdf) // 4)
    in_seal = changed_hex_digit(pdf, signature_value_offset(pdf))

    assert not pyhanko_status(in_content, certificate).intact
    trusted = frozenset({sealed_note.identity.fingerprint})
    assert sealing.check_seal(in_content, trusted_fingerprints=trusted).problem == "modified"
    assert not pyhanko_status(in_seal, certificate).valid
    assert sealing.check_seal(in_seal, trusted_fingerprints=trusted).problem == "broken_signature"
    assert sealing.check_seal(pdf, trusted_fingerprints=trusted).problem is None


def test_every_section_is_in_the_sealed_pdf(sealed_note):
    definition = get_type("concept_note")

    text = flat(" ".join(pdf_text(sealed_note.pdf)))

    for section in definition.sections:
        assert flat(section.title.sw) in text
    assert "ABCD-EFGH-JKLM-NPQR" in text
    assert "RASIMU" not in text


def test_the_form_data_travels_inside_as_json(sealed_note):
    reader = PdfReader(io.BytesIO(sealed_note.pdf))

    assert list(reader.attachments) == ["EGA-CN-2026-0001.json"]
    (content,) = reader.attachments["EGA-CN-2026-0001.json"]
    assert json.loads(content) == {"data": sealed_note.data}
    catalog = reader.trailer["/Root"]
    (filespec,) = [reference.get_object() for reference in catalog["/AF"]]
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/UF"] == "EGA-CN-2026-0001.json"
    stream = filespec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/json"  # written /application#2fjson
    assert "/ModDate" in stream["/Params"]


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_the_sealed_pdf_keeps_what_pdf_a_3b_asks_for(sealed_note):
    """veraPDF is not available here: these are the PDF/A-3b rules that sealing could break."""
    reader = PdfReader(io.BytesIO(sealed_note.pdf))
    catalog = reader.trailer["/Root"]
    xmp = _xmp(reader)

    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert sealed_note.pdf.startswith(b"%PDF-1.7\n%")
    # Every /Info entry has its equal in XMP (the seal rewrites both).
    info = reader.metadata
    assert f'pdf:Producer="{info["/Producer"]}"' in xmp
    assert f">{info['/Title']}<" in xmp
    assert f">{info['/Author']}<" in xmp
    assert f">{info['/Subject']}<" in xmp
    assert f'xmp:CreatorTool="{info["/Creator"]}"' in xmp
    assert f'pdf:Keywords="{info["/Keywords"]}"' in xmp
    assert "/CreationDate" not in info and "/ModDate" not in info
    (intent,) = catalog["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert len(catalog["/AF"]) == len({ref.idnum for ref in catalog["/AF"]}) == 1
    assert "/Encrypt" not in reader.trailer
    assert len(reader.trailer["/ID"]) == 2
    for key in ("/OpenAction", "/AA", "/JavaScript"):
        assert key not in catalog
    assert set(catalog["/Perms"]) == {"/DocMDP"}
    assert "/NeedAppearances" not in catalog["/AcroForm"]
    (widget,) = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [float(v) for v in widget["/Rect"]] == [0, 0, 0, 0]  # invisible: no appearance needed
    assert widget["/F"] & 4  # printable
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                descriptor = descendant.get_object()["/FontDescriptor"]
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
    # The signature's bytes, decoded, stay under PDF/A's 32,767-byte string limit.
    contents = re.search(rb"/Contents <([0-9a-fA-F]+)>", sealed_note.pdf).group(1)
    assert len(contents) // 2 < 32767


def test_markup_in_the_form_prints_as_text_and_nothing_is_fetched(
    world, dev_seal, django_capture_on_commit_callbacks, tmp_path
):
    hits: list[str] = []

    class Trap(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    secret = tmp_path / "secret.txt"
    secret.write_text("siri-ya-ndani-42")
    payloads = {
        "full_name": PAYLOADS["img"],
        "job_title": PAYLOADS["script"],
        "department": f'<style>@import url("{base}/x.css")</style>',
        "check_number": "<b>&amp;</b>'\"",
        "supervisor_name": f'<img src="{base}/pixel.png">',
        "justification": PAYLOADS["entity"]
        + "\n"
        + f'<link rel=stylesheet href="{base}/e.css">'
        + f'<link rel="attachment" href="file://{secret}">',
    }
    data = {**complete_data("email_account_request"), **payloads}
    try:
        document_id = approve(world, data=data, capture=django_capture_on_commit_callbacks)
        response = world.client(world.officer).get(f"/api/v1/documents/{document_id}/pdf/")
        pdf = b"".join(response.streaming_content)
    finally:
        server.shutdown()
        server.server_close()

    assert response.status_code == 200
    assert hits == []
    assert b"siri-ya-ndani-42" not in pdf
    assert b"root:x:0:0" not in pdf
    # Long unbroken values wrap anywhere: compare without whitespace.
    text = "".join(" ".join(pdf_text(pdf)).split())
    for value in payloads.values():
        assert "".join(value.split()) in text, value
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.attachments) == 1
    (record_bytes,) = next(iter(reader.attachments.values()))
    record = json.loads(record_bytes)
    assert record["data"] == data
    assert record["content_hash"] == content_hash(
        type=record["type"], title=record["title"], data=record["data"]
    )
    sealed = SealedPdf.objects.get(document_id=document_id)
    assert hashlib.sha256(pdf).hexdigest() == sealed.sha256


def test_the_development_pair_is_made_once_when_two_start_together(settings, tmp_path, caplog):
    settings.VAR_DIR = tmp_path
    settings.SEAL_KEY_PATH = settings.SEAL_CERT_PATH = ""
    barrier = threading.Barrier(3)
    results: list[tuple] = []

    def first_use():
        barrier.wait()
        key_path, cert_path = sealing._dev_paths()
        results.append((key_path.read_bytes(), cert_path.read_bytes()))

    with caplog.at_level("WARNING", logger="approvals.sealing"):
        workers = [threading.Thread(target=first_use) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    assert len(results) == 3 and len(set(results)) == 1
    assert [r.message for r in caplog.records].count(
        f"Creating a self-signed development seal under {tmp_path / 'seal'}"
    ) == 1
    assert oct((tmp_path / "seal" / sealing.DEV_KEY_NAME).stat().st_mode & 0o777) == "0o600"
    # Reused afterwards: the same certificate.
    sealing.reset_identity_cache()
    assert sealing.seal_identity().certificate_pem == results[0][1]


def test_production_refuses_to_seal_without_its_key(settings):
    settings.DEBUG = False
    settings.TESTING = False
    settings.SEAL_KEY_PATH = settings.SEAL_CERT_PATH = ""

    with pytest.raises(sealing.SealError, match="SEAL_KEY_PATH"):
        sealing.seal_identity()

    settings.SEAL_KEY_PATH = "/nonexistent/key.pem"
    with pytest.raises(sealing.SealError, match="both"):
        sealing.seal_identity()


def _tsa_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Idhini test TSA")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


def test_with_a_timestamp_authority_the_seal_is_b_t(settings, dev_seal):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    authority = DummyTimeStamper(*_tsa_pair())
    requests: list[int] = []

    class TSA(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(len(body))
            reply = authority.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TSA)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SEAL_TSA_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        pdf = render_pdf(build_html(print_context("email_account_request")), pdf_variant=PDF_A)
        sealed = sealing.seal_pdf(pdf)
    finally:
        server.shutdown()
        server.server_close()

    assert len(requests) == 1
    check = sealing.check_seal(sealed, trusted_fingerprints=frozenset({dev_seal.fingerprint}))
    assert check.problem is None
    assert check.timestamped
    status = pyhanko_status(sealed, dev_seal.certificate)
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
