"""The agency's digital seal on approved PDFs (pyHanko, PAdES), and checking a seal.

Key and certificate come from ``SEAL_KEY_PATH`` / ``SEAL_CERT_PATH`` (PEM; the certificate file
may carry the issuing chain after the seal's own certificate). Unset in development and tests, a
self-signed pair is created under ``VAR_DIR/seal/`` on first use — under a file lock, so two
processes starting at once make one pair — and reused. Production refuses to seal without a
configured pair rather than issue documents under a throwaway key.

The seal is a PAdES baseline B-B certification signature (B-T when ``SEAL_TSA_URL`` names a
timestamp authority) that allows no further change to the document.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings

from approvals.seal_keys import dev_certificate, signer_class, write_atomically
from forms_templates.identity import Agency
from workflow.agency import current_agency

logger = logging.getLogger(__name__)

SEAL_FIELD = "IdhiniAgencySeal"
SEAL_LOCATION = "Tanzania"
# The seal's displayed name and reason are the agency's, as configured (workflow.agency).
# Room for the CMS signature, reserved up front so pyHanko skips its dry-run signature.
_RESERVED_BASE = 8192
_RESERVED_TIMESTAMP = 12288
DEV_KEY_NAME = "dev-seal-key.pem"
DEV_CERT_NAME = "dev-seal-cert.pem"


class SealError(Exception):
    """Sealing is impossible (configuration, key material, timestamp authority)."""


@dataclass(frozen=True)
class SealIdentity:
    signer: object  # pyhanko.sign.signers.SimpleSigner
    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    certificate_pem: bytes
    fingerprint: str  # SHA-256 of the certificate (DER), hex
    development: bool

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


# --- Key material -------------------------------------------------------------------------

_identities: dict[tuple, SealIdentity] = {}
_identities_lock = threading.Lock()


def _dev_dir() -> Path:
    return Path(settings.VAR_DIR) / "seal"


def _create_dev_pair(directory: Path) -> None:
    """A self-signed RSA key and certificate for development, written atomically."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = dev_certificate(key).public_bytes(serialization.Encoding.PEM)
    write_atomically(directory / DEV_KEY_NAME, key_pem, 0o600)
    write_atomically(directory / DEV_CERT_NAME, cert_pem, 0o644)


def _dev_paths() -> tuple[Path, Path]:
    directory = _dev_dir()
    key_path, cert_path = directory / DEV_KEY_NAME, directory / DEV_CERT_NAME
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a+b") as lock:
        # Two processes (web and worker) may both reach first use: one creates, one waits.
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if not (key_path.exists() and cert_path.exists()):
                logger.warning("Creating a self-signed development seal under %s", directory)
                _create_dev_pair(directory)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    return key_path, cert_path


def _configured_paths() -> tuple[Path, Path, bool]:
    key_path, cert_path = settings.SEAL_KEY_PATH, settings.SEAL_CERT_PATH
    if key_path and cert_path:
        return Path(key_path), Path(cert_path), False
    if key_path or cert_path:
        raise SealError("Set both SEAL_KEY_PATH and SEAL_CERT_PATH, or neither (development).")
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise SealError(
            "SEAL_KEY_PATH and SEAL_CERT_PATH are not set: production does not seal with a "
            "development key."
        )
    dev_key, dev_cert = _dev_paths()
    return dev_key, dev_cert, True


def seal_identity() -> SealIdentity:
    """The agency's signer and certificate (loaded once per process and file version)."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_path, cert_path, development = _configured_paths()
    try:
        cache_key = (
            str(key_path),
            str(cert_path),
            key_path.stat().st_mtime_ns,
            cert_path.stat().st_mtime_ns,
        )
    except OSError as exc:
        raise SealError(f"The seal's key or certificate cannot be read: {exc}") from exc
    identity = _identities.get(cache_key)
    if identity is not None:
        return identity
    with _identities_lock:
        try:
            cert_pem = cert_path.read_bytes()
            key_pem = key_path.read_bytes()
            certificates = list(load_certs_from_pemder_data(cert_pem))
            key = load_private_key_from_pemder_data(key_pem, passphrase=None)
            private_key = load_pem_private_key(key_pem, password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise SealError(f"The seal's key or certificate is not valid PEM: {exc}") from exc
        if not certificates:
            raise SealError(f"No certificate in {cert_path}.")
        certificate, chain = certificates[0], tuple(certificates[1:])
        signer = signer_class()(
            private_key=private_key,
            signing_cert=certificate,
            signing_key=key,
            # The chain only: pyHanko embeds the signer's own certificate by itself.
            cert_registry=SimpleCertificateStore.from_certs(list(chain)),
        )
        identity = SealIdentity(
            signer=signer,
            certificate=certificate,
            chain=chain,
            certificate_pem=cert_pem,
            fingerprint=certificate_fingerprint(certificate),
            development=development,
        )
        _identities[cache_key] = identity
    return identity


# --- Sealing -------------------------------------------------------------------------------


def _timestamper():
    url = settings.SEAL_TSA_URL
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def _bytes_reserved(identity: SealIdentity, timestamped: bool) -> int:
    certificates = sum(len(c.dump()) for c in (identity.certificate, *identity.chain))
    reserved = _RESERVED_BASE + certificates + (_RESERVED_TIMESTAMP if timestamped else 0)
    return reserved + reserved % 2


def seal_pdf(
    pdf: bytes, *, identity: SealIdentity | None = None, agency: Agency | None = None
) -> bytes:
    """``pdf`` with the agency's PAdES certification signature appended (incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    identity = identity or seal_identity()
    agency = agency or current_agency()
    timestamper = _timestamper()
    metadata = PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=agency.seal_reason,
        location=SEAL_LOCATION,
        name=agency.seal_display_name,
    )
    pdf_signer = PdfSigner(metadata, signer=identity.signer, timestamper=timestamper)
    reserved: int | None = _bytes_reserved(identity, timestamper is not None)
    for _attempt in range(2):
        output = BytesIO()
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf))
            pdf_signer.sign_pdf(writer, output=output, bytes_reserved=reserved)
            return output.getvalue()
        except SigningError as exc:
            if reserved is None:
                raise SealError(f"The PDF could not be sealed: {exc}") from exc
            # Larger than reserved (a long chain, a big timestamp token): let pyHanko measure.
            logger.info("Seal larger than %d bytes reserved; measuring instead", reserved)
            reserved = None
        except OSError as exc:  # the timestamp authority did not answer
            raise SealError(f"The timestamp authority did not answer: {exc}") from exc
    raise SealError("The PDF could not be sealed.")  # pragma: no cover


# --- Checking a seal -----------------------------------------------------------------------


@dataclass(frozen=True)
class SealCheck:
    """What a PDF's seal says. ``problem`` is None only when the seal is intact, valid and made
    by one of the certificates we were told to trust, and covers the whole file."""

    signed: bool
    problem: str | None = None
    intact: bool = False
    valid: bool = False
    whole_file: bool = False
    signer_fingerprint: str | None = None
    signer_subject: str | None = None
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    signature_count: int = 0


def _validate(signature, certificate):
    """pyHanko's status of ``signature`` against ``certificate`` as the only trust root."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=[certificate], allow_fetching=False, revocation_mode="soft-fail"
    )
    return validate_pdf_signature(
        signature,
        signer_validation_context=context,
        key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}),
    )


def _problem(status, *, whole_file: bool, count: int) -> str | None:
    if not status.intact:
        return "modified"
    if not status.valid:
        return "broken_signature"
    if not status.trusted:
        return "untrusted"
    if not whole_file or count != 1:
        return "modified_after_sealing"
    return None


def check_seal(pdf: bytes, *, trusted_fingerprints: frozenset[str]) -> SealCheck:
    """Check the seal of ``pdf``. Never raises for a bad file: a file pyHanko cannot read is
    ``problem="unreadable"``. Run it in the sandbox for uploaded files."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:
        return SealCheck(signed=False, problem="unreadable")
    if not signatures:
        return SealCheck(signed=False, problem="unsigned")
    signature = signatures[0]
    try:
        certificate = signature.signer_cert
        fingerprint = certificate_fingerprint(certificate)
        subject = certificate.subject.human_friendly
    except Exception:
        return SealCheck(signed=True, problem="unreadable", signature_count=len(signatures))
    base = {
        "signed": True,
        "signer_fingerprint": fingerprint,
        "signer_subject": subject,
        "signature_count": len(signatures),
    }
    if fingerprint not in trusted_fingerprints:
        return SealCheck(**base, problem="other_certificate")
    try:
        status = _validate(signature, certificate)
    except Exception:
        return SealCheck(**base, problem="broken_signature")
    timestamp = status.timestamp_validity
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SealCheck(
        **base,
        problem=_problem(status, whole_file=whole_file, count=len(signatures)),
        intact=status.intact,
        valid=status.valid,
        whole_file=whole_file,
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        timestamped=timestamp is not None,
    )


def reset_identity_cache() -> None:
    """Forget loaded key material (tests that switch keys)."""
    with _identities_lock:
        _identities.clear()
