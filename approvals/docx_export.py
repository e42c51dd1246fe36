"""From a Document to its filled Word file (forms_templates.docx builds it). Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from approvals.models import Signature, SignatureStatus
from approvals.printing import display_name, status_label
from forms_templates.definitions import T
from forms_templates.docx import ExportInfo, SignatureLine, ascii_filename, build_document
from forms_templates.docx import layout as docx_layout
from forms_templates.registry import get_type
from workflow.agency import current_agency
from workflow.models import Document, Membership

DECLINED = T("Amekataa kusaini", "Declined to sign")


@dataclass(frozen=True)
class WordFile:
    filename: str
    content: bytes


def _signature_lines(document: Document) -> tuple[SignatureLine | None, ...]:
    definition = get_type(document.type)
    signatures = {
        s.order: s
        for s in Signature.objects.filter(document=document, active=True, version=document.version)
        .select_related("signer")
        .order_by("order")
    }
    titles = {
        (m.user_id, m.role): m.title
        for m in Membership.objects.filter(
            institution_id=document.institution_id,
            user_id__in=[s.signer_id for s in signatures.values()],
        )
    }
    lines: list[SignatureLine | None] = []
    for order, signatory in definition.signatories_in_order(document.form_version):
        signature = signatures.get(order)
        if signature is None:
            lines.append(None)
            continue
        job_title = titles.get((signature.signer_id, signature.role)) or (
            f"{signatory.role_name.sw} / {signatory.role_name.en}"
        )
        signed = ""
        date = ""
        if signature.status == SignatureStatus.SIGNED:
            signed = f"{docx_layout.SIGNED_IN_IDHINI.sw} / {docx_layout.SIGNED_IN_IDHINI.en}"
        elif signature.status == SignatureStatus.DECLINED:
            signed = f"{DECLINED.sw} / {DECLINED.en}"
        if signature.signed_at:
            date = timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M")
        lines.append(
            SignatureLine(
                name=display_name(signature.signer),
                job_title=job_title,
                signature=signed,
                date=date,
            )
        )
    return tuple(lines)


def document_filename(document: Document) -> str:
    if document.reference:
        base = ascii_filename(document.reference)
    else:
        base = ascii_filename(document.title) or document.type
    return f"{base}-v{document.version}.docx"


def document_word_file(document: Document) -> WordFile:
    """The document filled in, in the template's layout, with reference, version and status."""
    definition = get_type(document.type)
    institution = document.institution
    info = ExportInfo(
        title=document.title,
        institution=T(institution.name_sw, institution.name_en),
        project=document.project.name if document.project_id else None,
        form_version=document.form_version,
        reference=document.reference,
        version=document.version,
        status=status_label(document.status),
        signatures=_signature_lines(document),
        generated_at=timezone.localtime(),
        agency=current_agency(),
    )
    return WordFile(document_filename(document), build_document(definition, document.data, info))
