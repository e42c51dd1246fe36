"""Writes of the pages: a form save that always keeps what was typed, and Word uploads with undo.

A draft always saves. The page's save stores every answer that is valid against the type's JSON
Schema through :func:`workflow.services.document_update` — the API's PATCH, so ``Document.data``
holds exactly what the API would store, with the same audit event — and keeps each answer the
schema refuses, as typed, in :class:`portal.models.DraftAnswers` beside the document, with its
error. The API's contract stays whole: PATCH still refuses invalid data, and the API never sees
the kept answers. Only sending for signature needs everything valid.

Every save of the form starts from a revision (the document's ``updated_at`` and the form's own
revision, read when the page was shown): a save from an older one — another tab, an autosave
overtaken by a newer save, an edit through the API or a Word upload meanwhile — is refused with
``Conflict(code="stale")`` and changes nothing, so no save ever overwrites a newer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_templates.registry import get_type
from forms_templates.validation import validate_data
from portal.models import DraftAnswers
from workflow.exceptions import Conflict
from workflow.models import EDITABLE_STATUSES, Document
from workflow.services import (
    document_check_editable,
    document_update,
    lock_document,
)

# One source for the limit: the column's (the service refuses what the database would).
TITLE_MAX = Document._meta.get_field("title").max_length  # forms_templates.forms.TITLE_MAX

_ITEM_OF_PATH = re.compile(r"^[^\[.]+")


@dataclass
class DraftSaved:
    document: Document
    draft: DraftAnswers
    # The kept answers' errors, keyed as forms_templates.validation keys them.
    errors: dict[str, list[str]] = field(default_factory=dict)
    title_errors: list[str] = field(default_factory=list)

    @property
    def revision(self) -> str:
        return revision_of(self.document, self.draft)


def revision_of(document: Document, draft: DraftAnswers | None) -> str:
    """The version of a document's answers a page shows: it changes with every save, whichever
    way it was made (the form, the API, a Word upload)."""
    stamp = int(document.updated_at.timestamp() * 1_000_000)
    return f"{stamp}.{draft.revision if draft is not None else 0}"


def kept_answers(document: Document, draft: DraftAnswers | None) -> dict[str, Any]:
    """The answers typed but not valid that are still current: an entry whose stored value
    changed since (a newer save replaced it) no longer counts."""
    if draft is None or document.status not in EDITABLE_STATUSES:
        return {}
    return {
        key: entry.get("value")
        for key, entry in (draft.answers or {}).items()
        if isinstance(entry, dict) and document.data.get(key) == entry.get("base")
    }


def item_of(path: str) -> str:
    """The field or table a validation path is about: ``milestones[2].due_date`` → milestones."""
    match = _ITEM_OF_PATH.match(path)
    return match.group(0) if match else path


def _storable(value: Any) -> Any:
    # PostgreSQL cannot store NUL in jsonb: the schema refuses it, and so would the database.
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    return value


def _title_problem(title: str) -> list[str]:
    if not title.strip():
        return [_("The title may not be blank.")]
    if len(title.strip()) > TITLE_MAX:
        return [_("The title is too long: at most %(limit)d characters.") % {"limit": TITLE_MAX}]
    return []


def draft_save(
    *,
    document_id: UUID,
    by: AbstractBaseUser,
    answers: dict[str, Any],
    title: str | None = None,
    section_keys: list[str] | tuple[str, ...] = (),
    base_revision: str | None = None,
    source: str = "web",
) -> DraftSaved:
    """Save a page of the form: ``answers`` are the JSON values of the page's items (None for
    blank). Valid answers are stored as a PATCH of just those that changed; each invalid one is
    kept beside the document and its errors returned. ``title`` None leaves the title alone;
    a blank or too long title is not saved and its error returned. 404/409/403 as an edit."""
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        document_check_editable(document_id=document.pk, by=by)
        definition = get_type(document.type)
        draft = DraftAnswers.objects.select_for_update().filter(document=document).first()
        if base_revision is not None and base_revision != revision_of(document, draft):
            raise Conflict(
                _("These answers were saved again after you opened the page."), code="stale"
            )
        present = {key: value for key, value in answers.items() if value is not None}
        errors = validate_data(definition, present)
        refused = {item_of(path) for path in errors}
        changes = {
            key: value
            for key, value in answers.items()
            if key not in refused and document.data.get(key) != value
        }
        title_errors = _title_problem(title) if title is not None else []
        new_title = title if title is not None and not title_errors else None
        if new_title is not None and new_title.strip() == document.title:
            new_title = None
        if changes or new_title is not None:
            document = document_update(
                document_id=document.pk,
                by=by,
                title=new_title,
                data=changes or None,
                source=source,
            )
        draft = _keep(draft, document, answers, refused, section_keys, by)
    return DraftSaved(
        document=document,
        draft=draft,
        errors={path: messages for path, messages in errors.items()},
        title_errors=title_errors,
    )


def _keep(
    draft: DraftAnswers | None,
    document: Document,
    answers: dict[str, Any],
    refused: set[str],
    section_keys,
    by: AbstractBaseUser,
) -> DraftAnswers:
    draft = draft or DraftAnswers(document=document)
    kept = {
        key: entry
        for key, entry in (draft.answers or {}).items()
        if isinstance(entry, dict) and document.data.get(key) == entry.get("base")
    }
    for key, value in answers.items():
        if key in refused:
            kept[key] = {"value": _storable(value), "base": document.data.get(key)}
        else:
            kept.pop(key, None)
    draft.answers = kept
    draft.sections_saved = sorted(set(draft.sections_saved or []) | set(section_keys))
    draft.revision += 1
    draft.saved_at = timezone.now()
    draft.saved_by = by
    draft.save()
    return draft


def draft_discard_kept(*, document: Document) -> None:
    """The kept answers of a document that left its editable states (sent for signature,
    withdrawn) are dropped: what is signed is what is stored. Called inside the transition."""
    DraftAnswers.objects.filter(document=document).exclude(answers={}).update(answers={})
