"""Rendering and sealing off the request path.

``seal_document`` runs after an approval commits (approvals.receivers: ``seal_after_commit``, in
the approval's one broker publish); ``seal_pending`` is the beat sweep that re-enqueues approved
documents still lacking their sealed PDF (the broker was down at approval, or a worker died);
``render_preview`` renders a draft's watermarked preview for the PDF endpoint. Without a broker
(the embedded default) ``.delay`` runs them in-process.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction

from approvals import seal_state, services
from approvals.models import SealedPdf
from config.after_response import defer
from config.publish import publish_after_commit
from config.storage import storage_errors
from workflow.models import Document, Status

logger = logging.getLogger(__name__)

# Render (bounded by PDF_RENDER_TIMEOUT) plus the seal and the store.
_TIME_LIMIT = settings.PDF_RENDER_TIMEOUT + 60
_RETRYABLE_RENDER = ("timeout", "crashed", "memory")


def _retry_countdown(retries: int) -> int:
    return min(600, 15 * 2**retries)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
    soft_time_limit=_TIME_LIMIT - 10,
    time_limit=_TIME_LIMIT,
)
def seal_document(self, document_id: str, lang: str = "sw") -> str | None:
    """Render, seal and store the approved document. A second run finds the file and does
    nothing. Returns the sealed file's SHA-256 (None: the document is not approved)."""
    from approvals.sealing import SealError
    from forms_templates.printing import RenderError

    try:
        sealed = services.sealed_pdf_create(document_id=document_id, lang=lang)
    except (OperationalError, SealError, *storage_errors()) as exc:
        # Database or storage hiccup, timestamp authority away: worth another try later.
        raise self.retry(exc=exc, countdown=_retry_countdown(self.request.retries)) from exc
    except RenderError as exc:
        if exc.kind not in _RETRYABLE_RENDER:
            raise
        raise self.retry(exc=exc, countdown=_retry_countdown(self.request.retries)) from exc
    return sealed.sha256 if sealed is not None else None


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=2,
    soft_time_limit=_TIME_LIMIT - 10,
    time_limit=_TIME_LIMIT,
)
def render_preview(self, document_id: str, lang: str = "sw") -> str | None:
    """Render and keep the watermarked preview of a document that is not approved."""
    document = Document.objects.select_related("institution").filter(pk=document_id).first()
    if document is None or document.status == Status.APPROVED:
        return None
    try:
        name, _pdf = services.preview_pdf_render(document=document, lang=lang)
    except (OperationalError, *storage_errors()) as exc:
        raise self.retry(exc=exc, countdown=5) from exc
    return name


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def seal_pending(limit: int = 200) -> int:
    """Enqueue sealing for approved documents without their Swahili sealed PDF."""
    sealed = SealedPdf.objects.filter(lang="sw").values("document_id")
    pending = list(
        Document.objects.filter(status=Status.APPROVED, verification_code__isnull=False)
        .exclude(pk__in=sealed)
        .order_by("approved_at")
        .values_list("pk", flat=True)[:limit]
    )
    for document_id in pending:
        enqueue_seal(str(document_id))
    return len(pending)


def seal_after_commit(document_id: str, lang: str = "sw") -> None:
    """Once the current transaction (an approval) commits: with a worker, the seal joins the
    transaction's one broker publish (config.publish); without one, ``seal_soon``."""
    if seal_state.eager():
        transaction.on_commit(lambda: seal_soon(document_id, lang))
        return
    publish_after_commit(seal_document.s(document_id, lang))


def seal_soon(document_id: str, lang: str = "sw") -> None:
    """After an approval commits, without a worker (the embedded default): seal once the
    approval's response is sent (config.after_response), never inside it, with a mark that says
    it is under way (approvals.seal_state). With a worker the seal is in the approval's publish
    (``seal_after_commit``)."""
    seal_state.mark_in_flight(document_id, lang)

    def seal() -> None:
        try:
            services.sealed_pdf_create(document_id=document_id, lang=lang)
        finally:
            seal_state.clear_in_flight(document_id, lang)

    defer(seal)


def enqueue_seal(document_id: str, lang: str = "sw") -> bool:
    """Ask a worker to seal the document; False when that failed (logged)."""
    try:
        seal_document.delay(document_id, lang)
    except Exception:
        # The broker is down (kombu raises its own OperationalError, or a socket error), or,
        # run eagerly, the seal itself failed. The approval is committed either way: the beat
        # sweep (seal_pending) and the PDF endpoint try again, so log and go on.
        logger.exception(
            "Could not seal document %s (%s) now; it will be retried", document_id, lang
        )
        return False
    return True


def enqueue_preview(document_id: str, lang: str) -> bool:
    try:
        render_preview.delay(document_id, lang)
    except Exception:  # the broker is down: the next request asks again
        logger.exception("Could not enqueue the preview of document %s", document_id)
        return False
    return True
