"""Word through the pages: a filled file uploaded to a draft, what it changed, and *undo*.

The upload is the API's import (``workflow.services.document_import_docx``: the same checks of the
file, the same answers, the same audit event), run under the document's row lock together with
a record of the answers it replaced (:class:`portal.models.WordUpload`). *Undo* puts those answers
back, through the same edit service, while nothing has changed since the upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_templates.answers import display_value
from forms_templates.definitions import DocumentType, Table
from forms_templates.registry import get_type
from portal.models import DraftAnswers, WordUpload
from workflow.exceptions import Conflict, NotFound
from workflow.services import (
    document_check_editable,
    document_import_docx,
    document_replace_data,
    lock_document,
)

FILENAME_MAX = 255


def data_changes(
    definition: DocumentType, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    """What changed, answer by answer in the form's order: ``{"field", "kind"}`` (added,
    removed, changed), and for a table the rows added, removed and changed (row by row)."""
    changes: list[dict[str, Any]] = []
    for item in definition.items():
        old, new = before.get(item.key), after.get(item.key)
        if old == new:
            continue
        kind = "added" if old in (None, []) else "removed" if new in (None, []) else "changed"
        change: dict[str, Any] = {"field": item.key, "kind": kind}
        if not isinstance(item, Table):
            change.update(old=old, new=new)
        else:
            old_rows, new_rows = old or [], new or []
            common = min(len(old_rows), len(new_rows))
            change["rows"] = {
                "added": max(0, len(new_rows) - len(old_rows)),
                "removed": max(0, len(old_rows) - len(new_rows)),
                "changed": sum(1 for i in range(common) if old_rows[i] != new_rows[i]),
            }
        changes.append(change)
    return changes


def word_upload(
    *, document_id: UUID, by: AbstractBaseUser, content: bytes, filename: str = ""
) -> WordUpload:
    """Import a filled Word file into a draft and record what it replaced. Refuses as the API's
    import does (404/409/403, 413 over the limit, 400 ``file`` or ``data``), changing nothing."""
    document = document_check_editable(document_id=document_id, by=by)
    with transaction.atomic():
        locked = lock_document(document_id=document.pk, by=by)
        previous_data, previous_hash = dict(locked.data), locked.content_hash
        imported = document_import_docx(document_id=locked.pk, by=by, content=content)
        # The file is the newer answer to everything it holds: what the form kept goes.
        DraftAnswers.objects.filter(document=imported).exclude(answers={}).update(answers={})
        return WordUpload.objects.create(
            document=imported,
            uploaded_by=by,
            filename=(filename or "")[:FILENAME_MAX],
            previous_data=previous_data,
            previous_hash=previous_hash,
            result_hash=imported.content_hash,
            changes=data_changes(get_type(imported.type), previous_data, imported.data),
        )


def word_undo(*, upload_id: int, document_id: UUID, by: AbstractBaseUser) -> WordUpload:
    """Put back the answers a Word upload replaced. 409 when it was undone already or the
    answers changed since (undo would lose that newer work); 404/409/403 as an edit."""
    with transaction.atomic():
        document = lock_document(document_id=document_id, by=by)
        upload = (
            WordUpload.objects.select_for_update().filter(pk=upload_id, document=document).first()
        )
        if upload is None:
            raise NotFound(_("No such upload."))
        document_check_editable(document_id=document.pk, by=by)
        if upload.undone_at is not None:
            raise Conflict(_("This upload was undone already."), code="undone")
        if document.content_hash != upload.result_hash:
            raise Conflict(
                _(
                    "The answers changed after this upload: undoing it now would lose those "
                    "changes. Change the answers in the form instead."
                ),
                code="changed_since",
            )
        document_replace_data(
            document_id=document.pk, by=by, data=upload.previous_data, source="web-undo"
        )
        upload.undone_at = timezone.now()
        upload.save(update_fields=["undone_at"])
    return upload


@dataclass(frozen=True)
class ChangeView:
    label: str
    kind: str
    old: str = ""
    new: str = ""
    rows: dict[str, int] | None = None


def change_views(definition: DocumentType, upload: WordUpload, lang: str) -> list[ChangeView]:
    """The upload's changes as a person reads them (labels and values in ``lang``)."""
    views = []
    for change in upload.changes:
        item = definition.item(change["field"])
        if item is None:
            continue
        if isinstance(item, Table):
            views.append(ChangeView(item.label.get(lang), change["kind"], rows=change["rows"]))
            continue
        views.append(
            ChangeView(
                item.label.get(lang),
                change["kind"],
                old=display_value(item, change.get("old"), lang),
                new=display_value(item, change.get("new"), lang),
            )
        )
    return views
