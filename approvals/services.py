"""The steps where people approve: signing in order, and the agency's review.

Each service is one lifecycle transition through workflow.services.run_transition, so each takes
the row lock, writes its audit event and sends the signal in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.checklist_selectors import checklist_prefill
from approvals.checklist_services import checklist_approval_check
from approvals.models import Decision, Review, SealedPdf, Signature, SignatureStatus
from config.storage import storage_errors
from forms_templates.definitions import AUTHOR, current_lang
from forms_templates.registry import get_type
from workflow.audit import audit_record
from workflow.exceptions import Conflict, Invalid
from workflow.gating import project_advance
from workflow.lifecycle import DocumentLifecycle
from workflow.models import Document, DocumentVersion, Membership, Role, Status
from workflow.readiness import ensure_ready
from workflow.services import clean_text, run_transition
from workflow.signin import reauthenticate
from workflow.transitions import transition_preflight

FIELD_COMMENT_MAX = 2000
_ROLE_NAMES = {role.value: role.label for role in Role}


def _active_signatures(document: Document) -> list[Signature]:
    return sorted(
        (s for s in document.signatures.all() if s.active), key=lambda signature: signature.order
    )


def _resolve_signers(document: Document) -> list[tuple[int, str, Any]]:
    """(order, role, user) for each signatory of the type, in order."""
    definition = get_type(document.type)
    roles = {s.role for s in definition.signatories if s.role != AUTHOR and not s.person_field}
    holders: dict[str, Any] = {}
    memberships = (
        Membership.objects.filter(institution_id=document.institution_id, role__in=roles)
        .select_related("user")
        .order_by("id")
    )
    for membership in memberships:
        if membership.user.is_active:
            holders.setdefault(membership.role, membership.user)
    signers = []
    for order, signatory in definition.signatories_in_order():
        if signatory.role == AUTHOR:
            signers.append((order, signatory.role, document.author))
            continue
        if signatory.person_field:
            signers.append((order, signatory.role, _named_signer(document, signatory)))
            continue
        user = holders.get(signatory.role)
        if user is None:
            raise Conflict(
                _(
                    "Nobody in your institution holds the role “%(role)s”: ask your "
                    "administrator to assign it before sending for signature."
                )
                % {"role": _ROLE_NAMES.get(signatory.role, signatory.role)},
                code="no_signatory",
            )
        signers.append((order, signatory.role, user))
    return signers


def _named_signer(document: Document, signatory) -> Any:
    """The active person of the document's institution whose username the form names (the
    servant a mailbox is for, their supervisor); anyone else is a 400 naming the field."""
    field = signatory.person_field
    username = str(document.data.get(field) or "").strip()
    membership = (
        Membership.objects.filter(
            institution_id=document.institution_id,
            user__username__iexact=username,
            user__is_active=True,
        )
        .select_related("user")
        .first()
        if username
        else None
    )
    if membership is None:
        raise Invalid(
            _("Nobody of your institution has this username."),
            errors={
                "data": {
                    field: [
                        _(
                            "“%(username)s” is not the username of a person of your "
                            "institution: name the %(role)s from your institution's people."
                        )
                        % {"username": username, "role": signatory.role_name.get(current_lang())}
                    ]
                }
            },
        )
    return membership.user


def document_request_signatures(*, document_id: Any, by) -> Document:
    def check(document: Document) -> None:
        if document.author_id != by.pk:
            return  # the permission check answers 403
        ensure_ready(document)

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        signers = _resolve_signers(document)
        if not document.version_frozen:
            DocumentVersion.objects.create(
                document=document,
                number=document.version,
                title=document.title,
                data=document.data,
                attachments=document.attachment_manifest,
                content_hash=document.content_hash,
                created_by=by,
            )
            document.version_frozen = True
        # A new round: earlier signatures (other versions, or a declined round) stop counting.
        Signature.objects.filter(document=document, active=True).update(active=False)
        Signature.objects.bulk_create(
            Signature(
                document=document,
                version=document.version,
                role=role,
                order=order,
                signer=user,
                content_hash=document.content_hash,
            )
            for order, role, user in signers
        )
        document.next_signer = signers[0][2]
        document.assignee = None
        return {
            "content_hash": document.content_hash,
            "signers": [{"order": o, "role": r, "signer": u.username} for o, r, u in signers],
        }

    return run_transition(
        document_id=document_id, by=by, method="request_signatures", apply=apply, check=check
    )


def document_sign(*, document_id: Any, by, password: Any, request: Any = None) -> Document:
    """The next signer signs, after giving their password again. The password is checked
    (about half a second of hashing, and django-axes' lockout: give ``request`` so the client's
    address counts) before the row lock is taken; under the lock only the state is checked
    again, so nobody else's transition on the document waits for someone's password."""
    state: dict[str, Any] = {}

    def check(document: Document) -> None:
        signatures = _active_signatures(document)
        if any(
            s.signer_id == by.pk and s.status == SignatureStatus.SIGNED for s in signatures
        ) and (document.next_signer_id != by.pk):
            raise Conflict(_("You have already signed this document."), code="already_signed")
        if document.next_signer_id != by.pk:
            return  # 403 from the state machine's permission
        pending = [s for s in signatures if s.status == SignatureStatus.PENDING]
        mine = pending[0] if pending and pending[0].signer_id == by.pk else None
        if mine is None or mine.content_hash != document.content_hash:
            raise Conflict(_("The signature list does not match this version."), code="stale")
        state["signature"] = mine
        state["remaining"] = len(pending) - 1
        state["next"] = pending[1] if len(pending) > 1 else None

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        signature: Signature = state["signature"]
        signature.status = SignatureStatus.SIGNED
        signature.signed_at = timezone.now()
        signature.save(update_fields=["status", "signed_at"])
        following: Signature | None = state["next"]
        document.next_signer_id = following.signer_id if following else None
        return {
            "role": signature.role,
            "order": signature.order,
            "content_hash": signature.content_hash,
            "remaining": state["remaining"],
        }

    # sign's target (awaiting_signatures or signed) depends on how many remain, which check()
    # computes under the lock before the transition runs.
    transition_kwargs: dict[str, Any] = {}

    def check_and_target(document: Document) -> None:
        check(document)
        transition_kwargs["remaining"] = state.get("remaining", 0)

    transition_preflight(document_id=document_id, by=by, method="sign", check=check)
    reauthenticate(request=request, user=by, password=password)
    return run_transition(
        document_id=document_id,
        by=by,
        method="sign",
        apply=apply,
        check=check_and_target,
        transition_kwargs=transition_kwargs,
    )


def document_decline(*, document_id: Any, by, reason: Any) -> Document:
    reason = clean_text(reason, field="reason", required=True)

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        signature = next(
            s
            for s in _active_signatures(document)
            if s.signer_id == by.pk and s.status == SignatureStatus.PENDING
        )
        signature.status = SignatureStatus.DECLINED
        signature.signed_at = timezone.now()
        signature.reason = reason
        signature.save(update_fields=["status", "signed_at", "reason"])
        document.next_signer = None
        return {"role": signature.role, "reason": reason}

    return run_transition(document_id=document_id, by=by, method="decline", apply=apply)


def document_claim(*, document_id: Any, by) -> Document:
    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        document.assignee = by
        return {"assignee": by.username}

    return run_transition(document_id=document_id, by=by, method="claim", apply=apply)


def document_release(*, document_id: Any, by) -> Document:
    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        document.assignee = None
        return {}

    return run_transition(document_id=document_id, by=by, method="release", apply=apply)


def _new_verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by people
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def document_approve(
    *, document_id: Any, by, comment: Any = "", override_reason: Any = None
) -> Document:
    """Approve: every checklist criterion marked and none "not met", or ``override_reason``
    saying why the agency approves anyway (kept on the review and in the audit event)."""
    comment = clean_text(comment, field="comment", required=False)
    override = clean_text(override_reason, field="override_reason", required=False)

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        # Under the row lock, after the permission check: marks change only under this lock.
        checklist = checklist_approval_check(
            document=document, override_reason=override, asked=override_reason is not None
        )
        now = timezone.now()
        document.approved_at = now
        document.verification_code = _new_verification_code()
        Review.objects.create(
            document=document,
            version=document.version,
            reviewer=by,
            decision=Decision.APPROVED,
            comment=comment,
            checklist_override=override,
        )
        project_advance(document=document)
        payload = {
            "comment": comment,
            "verification_code": document.verification_code,
            "checklist": checklist,
        }
        if override:
            payload["override_reason"] = override
        return payload

    return run_transition(document_id=document_id, by=by, method="approve", apply=apply)


def document_reject(*, document_id: Any, by, reason: Any) -> Document:
    reason = clean_text(reason, field="reason", required=True)

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        Review.objects.create(
            document=document,
            version=document.version,
            reviewer=by,
            decision=Decision.REJECTED,
            comment=reason,
        )
        return {"reason": reason}

    return run_transition(document_id=document_id, by=by, method="reject", apply=apply)


def _clean_field_comments(document_type: str, value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise Invalid(
            _("Invalid field comments."),
            errors={"field_comments": [_("Must be an object of field: comment.")]},
        )
    definition = get_type(document_type)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, text in value.items():
        base = key.split("[", 1)[0]
        if definition.item(base) is None and key != "title":
            errors[key] = [_("No such field in this document.")]
        elif not isinstance(text, str) or not text.strip():
            errors[key] = [_("The comment must be non-empty text.")]
        elif len(text) > FIELD_COMMENT_MAX:
            errors[key] = [_("At most %(limit)d characters.") % {"limit": FIELD_COMMENT_MAX}]
        else:
            cleaned[key] = text.strip()
    if errors:
        raise Invalid(_("Invalid field comments."), errors={"field_comments": errors})
    return cleaned


def document_request_changes(
    *, document_id: Any, by, comment: Any, field_comments: Any = None
) -> Document:
    comment = clean_text(comment, field="comment", required=False)

    def apply(document: Document, flow: DocumentLifecycle) -> dict[str, Any]:
        # Validated after the permission check: someone else's bad comments are a 403, not 400.
        comments = _clean_field_comments(document.type, field_comments)
        text, from_checklist = comment, []
        if field_comments is None or not text:
            # Left to the checklist: the "not met" notes beside their fields, and as the comment.
            prefill = checklist_prefill(document=document)
            comments = prefill.field_comments if field_comments is None else comments
            text = text or prefill.comment
            from_checklist = prefill.criteria
        text = clean_text(text, field="comment", required=True)
        Review.objects.create(
            document=document,
            version=document.version,
            reviewer=by,
            decision=Decision.CHANGES_REQUESTED,
            comment=text,
            field_comments=comments,
        )
        document.assignee = None
        payload: dict[str, Any] = {"comment": text, "field_comments": comments}
        if from_checklist:
            payload["from_checklist"] = from_checklist
        return payload

    return run_transition(document_id=document_id, by=by, method="request_changes", apply=apply)


# --- The printed document: the sealed PDF of an approved document, and draft previews ---------
# Not transitions: they run after the approval commits (approvals.tasks), outside any request.


def sealed_pdf_create(*, document_id: Any, lang: str = "sw") -> SealedPdf | None:
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


__all__ = [
    "document_approve",
    "document_claim",
    "document_decline",
    "document_reject",
    "document_release",
    "document_request_changes",
    "document_request_signatures",
    "document_sign",
    "preview_pdf_render",
    "sealed_pdf_create",
]
