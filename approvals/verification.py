"""Public verification: what anyone learns from a verification code or from a PDF file.

Reads only. The public page and both API endpoints build their answers here, so they agree.
A file is valid only when its SHA-256 is one we issued (a stored SealedPdf) *and* its seal
validates against the certificate that sealed it, covering the whole file.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from approvals.models import OPEN_PROVISIONING, MailboxProvisioning, Provisioning, SealedPdf
from approvals.printing import (
    document_print_context,
    status_label,
    verification_url,
)
from forms_templates.registry import get_type
from workflow.models import Document, Status

logger = logging.getLogger(__name__)

_CODE = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")
CHECK_TIMEOUT = 20  # seconds for pyHanko to read an uploaded file
CHECK_MEMORY_MB = 512

PROBLEMS = {
    "not_issued": gettext_noop(
        "The agency did not issue this file: it is not one of our sealed PDFs, or it was "
        "changed after sealing."
    ),
    "unsigned": gettext_noop("The file carries no digital seal."),
    "other_certificate": gettext_noop("The file is sealed, but not with the agency's certificate."),
    "modified": gettext_noop("The file was changed after it was sealed."),
    "modified_after_sealing": gettext_noop("Something was added to the file after it was sealed."),
    "broken_signature": gettext_noop("The seal is damaged and does not validate."),
    "untrusted": gettext_noop("The seal's certificate is not valid for sealing."),
    "unreadable": gettext_noop("The file is damaged: its seal cannot be read."),
    "not_approved": gettext_noop("The document is no longer approved."),
}


def normalize_code(code: str) -> str | None:
    """``abcd efgh-jklm npqr`` → ``ABCD-EFGH-JKLM-NPQR``; None if it cannot be a code."""
    if not isinstance(code, str) or len(code) > 40:
        return None
    compact = re.sub(r"[\s-]", "", code).upper()
    if len(compact) != 16:
        return None
    normal = "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    return normal if _CODE.match(normal) else None


def document_by_code(code: str) -> Document | None:
    normal = normalize_code(code)
    if normal is None:
        return None
    return (
        Document.objects.select_related("institution", "mailbox")
        .filter(verification_code=normal, approved_at__isnull=False)
        .first()
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _public_signature(signatory) -> dict[str, Any]:
    # The role key like the document API's; the person by name, not by username: this answer
    # is public.
    return {
        "role": signatory.role,
        "order": signatory.order,
        "title": signatory.title.as_dict(),
        "role_name": signatory.role_name.as_dict(),
        "name": signatory.name,
        "status": signatory.status,
        "signed_at": _iso(signatory.signed_at),
        "content_hash": signatory.content_hash,
    }


def _public_attachment(attachment) -> dict[str, Any]:
    return {
        "name": attachment.name,
        "kind": attachment.kind,
        "kind_name": attachment.kind_label.as_dict(),
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
    }


def _public_file(sealed: SealedPdf) -> dict[str, Any]:
    return {
        "lang": sealed.lang,
        "sha256": sealed.sha256,
        "size": sealed.size,
        "sealed_at": _iso(sealed.created_at),
        "certificate_sha256": sealed.certificate_fingerprint,
    }


# What the public learns of an approved mailbox request's mailbox: its state and since when, in
# three words. Not the address created, the refusal's reason, the note or who handled it: the
# code is printed on paper that travels, and none of that is needed to trust the approval.
# "claimed" is the agency's inner step: to the public it is still waiting.
PUBLIC_MAILBOX = {
    Provisioning.WAITING: (
        "waiting",
        {"sw": "Inasubiri kufunguliwa", "en": "Waiting to be created"},
    ),
    Provisioning.CLAIMED: (
        "waiting",
        {"sw": "Inasubiri kufunguliwa", "en": "Waiting to be created"},
    ),
    Provisioning.PROVISIONED: (
        "provisioned",
        {"sw": "Imefunguliwa", "en": "Created"},
    ),
    Provisioning.REFUSED: (
        "refused",
        {
            "sw": "Haikufunguliwa: wasimamizi wa barua pepe walikataa kuifungua",
            "en": "Not created: the mail administrators refused it",
        },
    ),
}


def public_mailbox(document: Document) -> dict[str, Any] | None:
    """``{status, status_name, since}`` for an approved mailbox request; None for other types
    (and for a request approved before provisioning was recorded)."""
    try:
        row = document.mailbox  # select_related by document_by_code and check_uploaded_pdf
    except MailboxProvisioning.DoesNotExist:
        return None
    status, name = PUBLIC_MAILBOX[row.status]
    since = row.created_at if row.status in OPEN_PROVISIONING else row.completed_at
    return {"status": status, "status_name": name, "since": _iso(since)}


def verification_summary(document: Document) -> dict[str, Any]:
    """What a citizen may know about an approved document (JSON-ready)."""
    context = document_print_context(document, lang="sw")
    definition = get_type(document.type)
    files = list(SealedPdf.objects.filter(document=document).order_by("lang"))
    return {
        "valid": document.status == Status.APPROVED,
        "verification_code": document.verification_code,
        "reference": document.reference,
        "type": document.type,
        "type_name": definition.name.as_dict() if definition else None,
        "institution": document.institution.code,
        "institution_name": {
            "sw": document.institution.name_sw,
            "en": document.institution.name_en,
        },
        "title": document.title,
        "status": document.status,
        "status_name": status_label(document.status).as_dict(),
        "approved_at": _iso(document.approved_at),
        "approved_by": context.decision.reviewer if context.decision else None,
        "version": document.version,
        "content_hash": document.content_hash,
        "signatures": [_public_signature(signatory) for signatory in context.signatories],
        # The annexes issued with the document: anyone holding one can compare its SHA-256.
        "attachments": [_public_attachment(attachment) for attachment in context.attachments],
        "files": [_public_file(sealed) for sealed in files],
        "mailbox": public_mailbox(document),  # null unless the document is a mailbox request
        "verify_url": verification_url(document.verification_code),
    }


EMPTY_SUMMARY_KEYS = (
    "verification_code",
    "reference",
    "type",
    "type_name",
    "institution",
    "institution_name",
    "title",
    "status",
    "status_name",
    "approved_at",
    "approved_by",
    "version",
    "content_hash",
    "signatures",
    "attachments",
    "files",
    "mailbox",
    "verify_url",
)


def looks_like_pdf(data: bytes) -> bool:
    # PDF readers accept up to 1 KiB of anything before the header.
    return b"%PDF-" in data[:1024]


def _trusted_fingerprints(sealed: SealedPdf | None) -> frozenset[str]:
    from approvals.sealing import SealError, seal_identity

    fingerprints = set()
    if sealed is not None:
        # The certificate that sealed this very file (the agency may have renewed since).
        fingerprints.add(sealed.certificate_fingerprint)
    try:
        fingerprints.add(seal_identity().fingerprint)
    except SealError:
        logger.warning("No sealing certificate configured; checking against issued files only")
    return frozenset(fingerprints)


def check_uploaded_pdf(data: bytes) -> dict[str, Any]:
    """The verdict on an uploaded PDF, with the document's summary when we issued it."""
    from approvals.sealing import SealCheck, check_seal
    from forms_templates.printing.sandbox import SandboxError, run_limited

    digest = hashlib.sha256(data).hexdigest()
    sealed = (
        SealedPdf.objects.select_related("document", "document__institution", "document__mailbox")
        .filter(sha256=digest)
        .first()
    )
    trusted = _trusted_fingerprints(sealed)
    try:
        # A hostile file must not exhaust the web process: pyHanko reads it in a limited child.
        check = run_limited(
            check_seal,
            data,
            trusted_fingerprints=trusted,
            timeout=CHECK_TIMEOUT,
            memory_mb=CHECK_MEMORY_MB,
        )
    except SandboxError as exc:
        logger.info("Reading an uploaded PDF failed: %s", exc)
        check = SealCheck(signed=False, problem="unreadable")
    problem = check.problem
    if problem is None and sealed is None:
        problem = "not_issued"
    if problem is None and check.signer_fingerprint != sealed.certificate_fingerprint:
        problem = "other_certificate"
    if problem is None and sealed.document.status != Status.APPROVED:
        problem = "not_approved"
    result: dict[str, Any] = {
        "valid": problem is None,
        "problem": problem,
        "detail": _(PROBLEMS[problem]) if problem else _("This is a genuine sealed document."),
        "sha256": digest,
        "lang": sealed.lang if sealed else None,
        "seal": {
            "signed": check.signed,
            "intact": check.intact,
            "covers_whole_file": check.whole_file,
            "agency_certificate": check.signer_fingerprint in trusted,
            "signer": check.signer_subject,
            "certificate_sha256": check.signer_fingerprint,
            "signed_at": _iso(check.signed_at),
            "timestamped": check.timestamped,
        },
    }
    if sealed is not None:
        summary = verification_summary(sealed.document)
        summary.pop("valid")
        result.update(summary)
    else:
        result.update(dict.fromkeys(EMPTY_SUMMARY_KEYS))
    return result
