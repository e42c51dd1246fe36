"""The print context: everything the print HTML shows, as plain data.

The approvals side builds it from a Document, its active signatures, the last review, the
review checklist's marks and the institution; the builder here turns it into HTML without
importing the engine, so printing stays a pure function of this value (and the type's
definition).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from forms_templates.definitions import T
from forms_templates.identity import DEFAULT as DEFAULT_AGENCY
from forms_templates.identity import Agency

LANGUAGES = ("sw", "en")
DEFAULT_LANGUAGE = "sw"


@dataclass(frozen=True)
class PrintSignatory:
    """One signatory's place on the signature page (signed or still pending)."""

    order: int
    title: T  # "Imeandaliwa na" / "Prepared by"
    role_name: T  # "Mkuu wa TEHAMA" / "Head of ICT"
    name: str = ""
    status: str = "pending"  # pending | signed | declined
    signed_at: datetime | None = None
    content_hash: str = ""
    role: str = ""  # the definition's role key: author, head_of_ict, ...
    acting_name: str = ""  # who signed in the signatory's place (kaimu), if someone did


@dataclass(frozen=True)
class PrintDecision:
    """The agency's decision on the document."""

    decision: str  # approved | rejected | changes_requested
    label: T
    reviewer: str
    decided_at: datetime
    comment: str = ""
    checklist_override: str = ""  # why it was approved with the checklist incomplete


@dataclass(frozen=True)
class PrintMark:
    """One criterion of the review checklist as the reviewers left it at the decision."""

    key: str
    group: str
    text: T
    mark: str | None = None  # met | not_met | na; None: not marked
    note: str = ""
    marked_by: str = ""
    marked_at: datetime | None = None


@dataclass(frozen=True)
class PrintAttachment:
    """An annex of the document, listed with its hash (the content hash covers it)."""

    kind: str
    kind_label: T
    name: str
    size: int
    sha256: str
    content_type: str = ""


@dataclass(frozen=True)
class PrintContext:
    type_key: str
    title: str
    data: Mapping[str, Any]
    institution_code: str
    institution_name: T
    status: str
    status_label: T
    content_hash: str
    version: int = 1
    reference: str | None = None
    approved: bool = False
    approved_at: datetime | None = None
    signatories: tuple[PrintSignatory, ...] = ()
    attachments: tuple[PrintAttachment, ...] = ()
    decision: PrintDecision | None = None
    checklist: tuple[PrintMark, ...] = ()
    verification_code: str | None = None
    verification_url: str | None = None
    lang: str = DEFAULT_LANGUAGE
    agency: Agency = DEFAULT_AGENCY  # who issues it: name, heading, emblem
    project_name: str = ""  # the project's name, from the project ("" for a mailbox request)
    # The form it was filled against: sections a later form added and it left unanswered are
    # not printed (a document stored before them prints as it did). None: today's form.
    form_version: int | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown print language {self.lang!r}")
        if self.approved and not (self.verification_code and self.verification_url):
            raise ValueError("an approved print needs its verification code and URL")
