"""Reads of the pages: the state of a document's form (its answers with those kept in the form
on top, the revision a save must start from, when it was last saved)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from approvals.models import Signature, SignatureStatus
from portal.document_page import REASON_ACTIONS, Reason, reason_for
from portal.models import DraftAnswers
from portal.services import kept_answers, revision_of
from workflow.models import AuditEvent, Document, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class FormState:
    draft: DraftAnswers | None
    kept: dict[str, Any]
    values: dict[str, Any]
    revision: str
    sections_saved: list[str] = field(default_factory=list)
    saved_at: datetime.datetime | None = None


def form_state(document: Document) -> FormState:
    draft = DraftAnswers.objects.filter(document=document).first()
    kept = kept_answers(document, draft)
    # The last save, whichever way it was made: the form's, or an edit through the API or Word.
    times = [draft.saved_at] if draft is not None and draft.saved_at else []
    last_edit = (
        AuditEvent.objects.filter(document=document, action="edit")
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )
    if last_edit is not None:
        times.append(last_edit)
    saved_at = max(times) if times else None
    return FormState(
        draft=draft,
        kept=kept,
        values={**document.data, **kept},
        revision=revision_of(document, draft),
        sections_saved=list(draft.sections_saved or []) if draft is not None else [],
        saved_at=saved_at,
    )


ATTENTION_LIMIT = 20
ATTENTION_EVENTS = 400
REJECTED_SHOWN_DAYS = 30


def needing_attention(user: User) -> list[tuple[Document, Reason]]:
    """The person's own documents that came back or stopped — returned for changes, declined by
    a signatory, rejected in the last month — each with its reason, newest first. One query:
    the reasons are read from the audit trail (portal.document_page.reason_for)."""
    since = timezone.now() - datetime.timedelta(days=REJECTED_SHOWN_DAYS)
    declined = Signature.objects.filter(active=True, status=SignatureStatus.DECLINED)
    events = (
        AuditEvent.objects.filter(document__author_id=user.pk, action__in=REASON_ACTIONS)
        .filter(
            Q(document__status=Status.CHANGES_REQUESTED)
            | Q(document__status=Status.REJECTED, document__status_changed_at__gte=since)
            | Q(document__status=Status.DRAFT, document_id__in=declined.values("document_id"))
        )
        .select_related("document", "actor")
        .order_by("-document__status_changed_at", "document_id", "seq")[:ATTENTION_EVENTS]
    )
    by_document: dict[Any, list[AuditEvent]] = {}
    for event in events:
        by_document.setdefault(event.document_id, []).append(event)
    found = []
    for document_events in by_document.values():
        document = document_events[0].document
        reason = reason_for(document, document_events)
        if reason is not None:
            found.append((document, reason))
    return found[:ATTENTION_LIMIT]
