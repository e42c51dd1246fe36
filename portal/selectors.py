"""Reads of the pages: the state of a document's form (its answers with those kept in the form
on top, the revision a save must start from, when it was last saved)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from portal.models import DraftAnswers
from portal.services import kept_answers, revision_of
from workflow.models import AuditEvent, Document


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
