"""What every page shares: pages of a list, the document a person may see, a refusal shown
as a message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from approvals import selectors
from approvals.delegation import with_acting
from approvals.models import Decision, Review
from config.api.uploads import limit_upload
from workflow.exceptions import NotFound, WorkflowError
from workflow.models import (
    EDITABLE_STATUSES,
    Document,
)
from workflow.selectors import document_get_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def document_or_404(user: User, pk) -> Document:
    try:
        # with_acting: an acting officer (kaimu) is offered the signature of the one they act for.
        queryset = with_acting(selectors.with_related(Document.objects.all()), user)
        return document_get_visible(document_id=pk, by=user, queryset=queryset)
    except NotFound as exc:
        raise Http404(exc.message) from None


def refused(request: HttpRequest, exc: WorkflowError, *, details: bool = False) -> int:
    """Show a service's refusal as a message (with each of its errors when no form shows them
    next to an input); the HTTP status to re-render the page with."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    messages.error(request, exc.message)
    if details:
        for message in flatten(exc.errors or {}):
            messages.error(request, message)
    return exc.status_code


def uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def errors_onto(form: forms.Form, exc: WorkflowError) -> None:
    """A service's field errors next to the form's inputs (the rest above the form)."""
    if hasattr(form, "add_service_errors"):
        form.add_service_errors(exc.errors)
        return
    for key, value in (exc.errors or {}).items():
        form.add_error(key if key in form.fields else None, flatten(value))


def flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(m) for v in value.values() for m in flatten(v)]
    if isinstance(value, list | tuple):
        return [str(m) for m in value]
    return [str(value)]


def editable_by(document: Document, user: User) -> bool:
    # Whether to offer the form; document_update enforces the same rule on save.
    return document.status in EDITABLE_STATUSES and document.author_id == user.pk


def reviews_of(document: Document) -> list[Review]:
    return list(document.reviews.select_related("reviewer").order_by("created_at", "pk"))


def open_change_request(reviews: list[Review]) -> Review | None:
    """The latest review, when it returned the document: its per-field comments are current."""
    if reviews and reviews[-1].decision == Decision.CHANGES_REQUESTED:
        return reviews[-1]
    return None


def guard_upload(request: HttpRequest, *, max_bytes: int) -> HttpResponse | None:
    """Before a page reads a multipart body: the counting upload handler first (TooLarge over
    ``max_bytes``, nothing kept on disk), then the CSRF check — which reads the form, so it runs
    here, after the handler, instead of in the middleware (the view is csrf_exempt). The CSRF
    refusal, or None."""
    limit_upload(request, max_bytes=max_bytes)
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


def read_upload(upload) -> tuple[bytes, str]:
    """An uploaded file's bytes and its name as given (without NUL characters), closed after."""
    try:
        return upload.read(), (upload.name or "").replace("\x00", "")
    finally:
        upload.close()
