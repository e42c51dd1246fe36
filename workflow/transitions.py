"""The refusals of a transition, in one place: run_transition asks them under the row lock, and
a service with a slow step (the password at signing) asks them first without it.

Order: no such transition from this status (409), the service's own ``check`` (e.g. already
signed), not this person's to take (403). Visibility (404) is the caller's read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

from workflow import refusals
from workflow.exceptions import Conflict, Forbidden, NotFound
from workflow.lifecycle import DocumentLifecycle, action_for
from workflow.models import Document
from workflow.selectors import can_see_document


def refuse_unless_possible(
    document: Document, *, by, method: str, check: Callable[[Document], None] | None = None
) -> DocumentLifecycle:
    flow = DocumentLifecycle(document)
    bound = getattr(flow, method)
    action = action_for(method)
    if not bound.can_proceed():
        raise Conflict(refusals.not_now(document, action), code="invalid_status")
    if check is not None:
        check(document)
    if not bound.has_perm(by):
        raise Forbidden(refusals.not_yours(document, action), code="not_allowed")
    return flow


def transition_preflight(
    *, document_id: Any, by, method: str, check: Callable[[Document], None] | None = None
) -> None:
    """The same refusals as the transition, read without a lock or a transaction: a slow step
    that comes next (hashing a password) is never paid for a transition that would be refused
    anyway, and never while the row is locked. The transition asks them all again under the
    lock, so a change in between is still caught."""
    try:
        pk = UUID(str(document_id))
    except ValueError:
        raise NotFound(_("No such document.")) from None
    document = Document.objects.filter(pk=pk).prefetch_related("signatures").first()
    if document is None or not can_see_document(by, document):
        raise NotFound(_("No such document."))
    refuse_unless_possible(document, by=by, method=method, check=check)
