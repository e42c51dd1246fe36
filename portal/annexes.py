"""What the pages show of a document's annexes: the current ones (kind, name, size, who, when,
the download through the API, the SHA-256), and the kinds its type requires, each attached or
not. Reads only (workflow.attachments.selectors); the views render it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from forms_templates.attachment_kinds import AttachmentKind, kind_label
from forms_templates.definitions import DocumentType
from workflow.attachments.selectors import current_attachments
from workflow.models import Document


@dataclass(frozen=True)
class AnnexRow:
    id: str
    kind: str
    kind_name: str
    name: str
    size: int
    sha256: str
    uploaded_by: object
    created_at: datetime.datetime
    download: str


@dataclass(frozen=True)
class RequiredAnnex:
    kind: str
    name: str
    attached: bool

    @property
    def label(self) -> str:
        return _("Attached") if self.attached else _("Not attached")


def annex_rows(document: Document, lang: str) -> list[AnnexRow]:
    """The annexes of the document's current version, in the order they were attached."""
    return [
        AnnexRow(
            id=str(row.pk),
            kind=row.kind,
            kind_name=kind_label(row.kind).get(lang),
            name=row.name,
            size=row.size,
            sha256=row.sha256,
            uploaded_by=row.uploaded_by,
            created_at=row.created_at,
            download=f"/api/v1/documents/{document.pk}/attachments/{row.pk}/",
        )
        for row in current_attachments(document)
    ]


def required_annexes(
    definition: DocumentType, rows: list[AnnexRow], lang: str
) -> list[RequiredAnnex]:
    present = {row.kind for row in rows}
    return [
        RequiredAnnex(kind, kind_label(kind).get(lang), kind in present)
        for kind in definition.required_attachments
    ]


def kind_choices(definition: DocumentType, lang: str) -> list[tuple[str, str]]:
    """The kinds to choose from, the type's required ones first."""
    required = list(definition.required_attachments)
    ordered = required + [kind for kind in AttachmentKind.values if kind not in required]
    return [(kind, kind_label(kind).get(lang)) for kind in ordered]
