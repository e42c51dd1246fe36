"""From a Document to what forms_templates prints: the plain print context, and the form data
record embedded in the sealed PDF. Reads only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings

from approvals.models import ChecklistMark, Decision, Review, Signature, SignatureStatus
from forms_templates.attachment_kinds import kind_label
from forms_templates.definitions import T
from forms_templates.printing import (
    PrintAttachment,
    PrintContext,
    PrintDecision,
    PrintMark,
    PrintSignatory,
)
from forms_templates.registry import get_type
from workflow.agency import current_agency
from workflow.attachments.selectors import current_attachments
from workflow.models import Document, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STATUS_LABELS: dict[str, T] = {
    Status.DRAFT: T("Rasimu", "Draft"),
    Status.AWAITING_SIGNATURES: T("Inasubiri sahihi", "Awaiting signatures"),
    Status.SIGNED: T("Imesainiwa", "Signed"),
    Status.SUBMITTED: T("Imewasilishwa kwa {agency}", "Submitted to the {agency}"),
    Status.UNDER_REVIEW: T("Inahakikiwa na {agency}", "Under review by the {agency}"),
    Status.CHANGES_REQUESTED: T("Marekebisho yanahitajika", "Changes requested"),
    Status.APPROVED: T("Imeidhinishwa", "Approved"),
    Status.REJECTED: T("Imekataliwa", "Rejected"),
    Status.WITHDRAWN: T("Imeondolewa", "Withdrawn"),
}
DECISION_LABELS: dict[str, T] = {
    Decision.APPROVED: T("Imeidhinishwa", "Approved"),
    Decision.REJECTED: T("Imekataliwa", "Rejected"),
    Decision.CHANGES_REQUESTED: T("Marekebisho yanahitajika", "Changes requested"),
}
RECORD_SCHEMA = "idhini.approved-document/1"


def display_name(user: User) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or "").strip() or user.get_username()


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/verify/{code}/"


def status_label(status: str) -> T:
    """The status in both languages, naming the agency as configured."""
    return current_agency().say(STATUS_LABELS.get(status, T(status, status)))


def _signatures(document: Document) -> dict[int, Signature]:
    """The active round's signatures that belong to the current version, by order."""
    return {
        signature.order: signature
        for signature in Signature.objects.filter(document=document, active=True)
        .select_related("signer", "signed_by")
        .order_by("order")
        if signature.version == document.version
    }


def _decision(document: Document) -> Review | None:
    """The agency's final decision on this version (approval or rejection), if any."""
    if document.status not in (Status.APPROVED, Status.REJECTED):
        return None
    return (
        Review.objects.filter(
            document=document,
            version=document.version,
            decision__in=[Decision.APPROVED, Decision.REJECTED],
        )
        .select_related("reviewer")
        .order_by("-created_at", "-pk")
        .first()
    )


def _checklist(document: Document) -> tuple[PrintMark, ...]:
    """The review checklist as the reviewers left it on the decided version (printed only with
    a decision: before it, the marks are the reviewers' working notes)."""
    marks = {
        mark.criterion: mark
        for mark in ChecklistMark.objects.filter(
            document=document, version=document.version
        ).select_related("marked_by")
    }
    printed = []
    for criterion in get_type(document.type).checklist:
        mark = marks.get(criterion.key)
        printed.append(
            PrintMark(
                key=criterion.key,
                group=criterion.group,
                text=criterion.text,
                mark=mark.mark if mark else None,
                note=mark.note if mark else "",
                marked_by=display_name(mark.marked_by) if mark else "",
                marked_at=mark.marked_at if mark else None,
            )
        )
    return tuple(printed)


def _attachments(document: Document) -> tuple[PrintAttachment, ...]:
    return tuple(
        PrintAttachment(
            kind=row.kind,
            kind_label=kind_label(row.kind),
            name=row.name,
            size=row.size,
            sha256=row.sha256,
            content_type=row.content_type,
        )
        for row in current_attachments(document)
    )


def document_print_context(document: Document, *, lang: str) -> PrintContext:
    definition = get_type(document.type)
    signatures = _signatures(document)
    signatories = []
    for order, signatory in definition.signatories_in_order(document.form_version):
        signature = signatures.get(order)
        decided = signature is not None and signature.status != SignatureStatus.PENDING
        signatories.append(
            PrintSignatory(
                order=order,
                title=signatory.title,
                role_name=signatory.role_name,
                name=display_name(signature.signer) if signature else "",
                status=signature.status if signature else SignatureStatus.PENDING,
                signed_at=signature.signed_at if decided else None,
                content_hash=signature.content_hash if signature else "",
                role=signatory.role,
                acting_name=display_name(signature.signed_by)
                if signature and signature.signed_by_id
                else "",
            )
        )
    review = _decision(document)
    approved = document.status == Status.APPROVED and bool(document.verification_code)
    institution = document.institution
    project = document.project if document.project_id else None
    return PrintContext(
        type_key=document.type,
        title=document.title,
        data=document.data,
        institution_code=institution.code,
        institution_name=T(institution.name_sw, institution.name_en),
        status=document.status,
        status_label=status_label(document.status),
        content_hash=document.content_hash,
        version=document.version,
        reference=document.reference,
        approved=approved,
        approved_at=document.approved_at if approved else None,
        signatories=tuple(signatories),
        attachments=_attachments(document),
        decision=None
        if review is None
        else PrintDecision(
            decision=review.decision,
            label=DECISION_LABELS.get(review.decision, T(review.decision, review.decision)),
            reviewer=display_name(review.reviewer),
            decided_at=review.created_at,
            comment=review.comment,
            checklist_override=review.checklist_override,
        ),
        checklist=() if review is None else _checklist(document),
        verification_code=document.verification_code if approved else None,
        verification_url=verification_url(document.verification_code) if approved else None,
        lang=lang,
        agency=current_agency(),
        project_name=project.name if project else "",
        form_version=document.form_version,
    )


def document_record(document: Document, context: PrintContext) -> dict[str, Any]:
    """The machine-readable twin of the printed document, embedded in the sealed PDF.

    ``content_hash`` can be recomputed by anyone: SHA-256 of the canonical JSON (sorted keys,
    no spaces, UTF-8) of ``{"type", "title", "data"}`` — and, when the document has annexes,
    ``"attachments"``: ``[{"kind", "name", "sha256"}]`` of each, sorted by kind, SHA-256, name.
    """
    return {
        "schema": RECORD_SCHEMA,
        "reference": document.reference,
        "type": document.type,
        "title": document.title,
        "institution": {
            "code": document.institution.code,
            "name": context.institution_name.as_dict(),
        },
        "version": document.version,
        "content_hash": document.content_hash,
        "data": document.data,
        "attachments": [_attachment_record(attachment) for attachment in context.attachments],
        "approved_at": document.approved_at.isoformat() if document.approved_at else None,
        "verification_code": document.verification_code,
        "verification_url": context.verification_url,
        "signatures": [_signature_record(signatory) for signatory in context.signatories],
        "decision": _decision_record(context.decision),
        "checklist": [_checklist_record(item) for item in context.checklist],
    }


def _attachment_record(attachment) -> dict[str, Any]:
    return {
        "kind": attachment.kind,
        "kind_name": attachment.kind_label.as_dict(),
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
    }


def _signature_record(signatory) -> dict[str, Any]:
    return {
        "order": signatory.order,
        "role": signatory.role_name.as_dict(),
        "title": signatory.title.as_dict(),
        "name": signatory.name,
        "status": signatory.status,
        "signed_at": signatory.signed_at.isoformat() if signatory.signed_at else None,
        "content_hash": signatory.content_hash,
        **({"acting_name": signatory.acting_name} if signatory.acting_name else {}),
    }


def _decision_record(decision) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "reviewer": decision.reviewer,
        "decided_at": decision.decided_at.isoformat(),
        "comment": decision.comment,
        "checklist_override": decision.checklist_override,
    }


def _checklist_record(item) -> dict[str, Any]:
    return {
        "criterion": item.key,
        "group": item.group,
        "text": item.text.as_dict(),
        "mark": item.mark,
        "note": item.note,
        "marked_by": item.marked_by,
        "marked_at": item.marked_at.isoformat() if item.marked_at else None,
    }


def record_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def pdf_filename(document: Document, lang: str, *, draft: bool) -> str:
    base = (document.reference or "").replace("/", "-") or f"{document.type}-{str(document.pk)[:8]}"
    prefix = ("rasimu" if lang == "sw" else "draft") + "-" if draft else ""
    return f"{prefix}{base}-{lang}.pdf"
