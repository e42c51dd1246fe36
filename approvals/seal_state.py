"""Where an approved document's sealed PDF stands: ready, being prepared, or not yet made.

With a worker, an approval enqueues the seal (approvals.receivers); without one it runs after
the approval's response (config.after_response), and a cache mark says it is under way, so the
PDF endpoint answers 202 meanwhile instead of rendering a second copy in the request. The mark
expires with the seal's time limit: a process that died mid-seal leaves the next download (or
the page's button) to seal it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from approvals.models import SealedPdf
from workflow.models import Document, Status
from workflow.selectors import DocumentId

READY, PREPARING, NOT_MADE = "ready", "preparing", "not_made"
MARK_SECONDS = settings.PDF_RENDER_TIMEOUT + 60


def _key(document_id: DocumentId, lang: str) -> str:
    return f"idhini:seal-in-flight:{document_id}:{lang}"


def mark_in_flight(document_id: DocumentId, lang: str) -> None:
    cache.set(_key(document_id, lang), 1, timeout=MARK_SECONDS)


def clear_in_flight(document_id: DocumentId, lang: str) -> None:
    cache.delete(_key(document_id, lang))


def in_flight(document_id: DocumentId, lang: str) -> bool:
    return cache.get(_key(document_id, lang)) is not None


def eager() -> bool:
    from celery_app import app

    return bool(app.conf.task_always_eager)


def seal_state(document: Document, lang: str = "sw") -> tuple[str, SealedPdf | None]:
    """(state, the stored file when ready); None for a document that is not approved."""
    if document.status != Status.APPROVED:
        return "", None
    sealed = SealedPdf.objects.filter(document_id=document.pk, lang=lang).first()
    if sealed is not None:
        return READY, sealed
    if in_flight(document.pk, lang) or not eager():
        # With a worker, the approval's task or the beat sweep is on it.
        return PREPARING, None
    return NOT_MADE, None
