"""The approval app's services: the lifecycle's transitions (they live together in
approvals.transitions, and are named here too), the sealed PDF of an approved document and the
drafts' previews.
"""

from __future__ import annotations

import datetime
import hashlib
from uuid import UUID

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approvals.models import SealedPdf

# The transitions are named here too (many callers import them from approvals.services); their
# one list is approvals.transitions.__all__.
from approvals.transitions import *  # noqa: F403
from approvals.transitions import __all__ as _TRANSITIONS
from config.storage import storage_errors
from workflow.audit import audit_record
from workflow.exceptions import Invalid
from workflow.models import Document, Status

# --- The printed document: the sealed PDF of an approved document, and draft previews ---------
# Not transitions: they run after the approval commits (approvals.tasks), outside any request.


def sealed_pdf_create(*, document_id: UUID, lang: str = "sw") -> SealedPdf | None:
    """Render the approved document once, seal it with the agency's certificate, store it.

    Idempotent: when the sealed file exists it is returned untouched. None when the document is
    not (or no longer) approved. Rendering and sealing take seconds, so no row lock or
    transaction is held meanwhile; two runs racing store one file (the unique constraint) and
    the loser removes its own.
    """
    from approvals.printing import document_print_context, document_record, record_json
    from approvals.sealing import seal_identity, seal_pdf
    from forms_templates.printing import PDF_A, PdfAttachment, build_html, render_pdf

    if lang not in SealedPdf.Language.values:
        raise Invalid(_("Unknown language."), errors={"lang": [_("Use “sw” or “en”.")]})
    existing = SealedPdf.objects.filter(document_id=document_id, lang=lang).first()
    if existing is not None:
        return existing
    document = Document.objects.select_related("institution").filter(pk=document_id).first()
    if document is None or document.status != Status.APPROVED or not document.verification_code:
        return None
    identity = seal_identity()
    context = document_print_context(document, lang=lang)
    record = document_record(document, context)
    attachment = PdfAttachment(
        name=f"{(document.reference or 'idhini').replace('/', '-')}.json",
        content=record_json(record),
        description="Idhini: form data of the approved document (JSON)",
        relationship="Data",
        modified=document.approved_at.astimezone(datetime.UTC),  # written as UTC ("Z")
    )
    pdf = render_pdf(build_html(context), attachments=[attachment], pdf_variant=PDF_A)
    sealed = seal_pdf(pdf, identity=identity)
    digest = hashlib.sha256(sealed).hexdigest()
    row = SealedPdf(
        document=document,
        lang=lang,
        sha256=digest,
        size=len(sealed),
        version=document.version,
        content_hash=document.content_hash,
        certificate_fingerprint=identity.fingerprint,
        pdf_variant=PDF_A,
    )
    row.file.save(f"{lang}-{digest[:20]}.pdf", ContentFile(sealed), save=False)
    try:
        with transaction.atomic():
            row.save()
            _audit_sealed(row)
    except IntegrityError:
        winner = SealedPdf.objects.get(document_id=document.pk, lang=lang)
        # Remove this run's own file, never the winner's: an object store without exclusive
        # create may have given both runs the same name (identical bytes, the same second).
        if row.file.name != winner.file.name:
            row.file.delete(save=False)
        return winner
    return row


def _audit_sealed(row: SealedPdf) -> None:
    """The issued file's SHA-256 joins the document's hash-chained trail (append-only on
    PostgreSQL), so a file row edited later no longer matches what the trail says was issued.
    The agency's system issues it: no actor."""
    document = Document.objects.select_for_update().get(pk=row.document_id)
    audit_record(
        document=document,
        action="seal",
        actor=None,
        from_status=document.status,
        to_status=document.status,
        payload={
            "lang": row.lang,
            "sha256": row.sha256,
            "size": row.size,
            "certificate_fingerprint": row.certificate_fingerprint,
            "pdf_variant": row.pdf_variant,
        },
    )
    document.save(update_fields=["audit_seq", "audit_head"])


PREVIEW_DIR = "previews"
PREVIEWS_KEPT = 4


def preview_pdf_render(*, document: Document, lang: str) -> tuple[str, bytes]:
    """Render the watermarked preview of a document not yet approved and keep it, named by the
    hash of its print HTML (any change to data, signatures or status makes a new one). Returns
    the storage name and the PDF. Older previews of the document are removed."""
    from approvals.printing import document_print_context
    from forms_templates.printing import build_html, render_pdf

    html = build_html(document_print_context(document, lang=lang))
    name = preview_pdf_name(document, html)
    pdf = render_pdf(html)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    _prune_previews(document, keep=name)
    return name, pdf


def preview_pdf_name(document: Document, html: str) -> str:
    from forms_templates.printing import html_digest

    return f"{PREVIEW_DIR}/{document.pk}/{html_digest(html)}.pdf"


def _prune_previews(document: Document, *, keep: str) -> None:
    directory = f"{PREVIEW_DIR}/{document.pk}"
    try:
        _dirs, files = default_storage.listdir(directory)
        dated = sorted(
            ((default_storage.get_modified_time(f"{directory}/{f}"), f) for f in files),
            reverse=True,
        )
        for _when, file_name in dated[PREVIEWS_KEPT:]:
            if f"{directory}/{file_name}" != keep:
                default_storage.delete(f"{directory}/{file_name}")
    except (*storage_errors(), NotImplementedError):
        # Pruning is housekeeping: a preview left behind costs disk, not correctness.
        return


__all__ = [*_TRANSITIONS, "preview_pdf_render", "sealed_pdf_create"]
