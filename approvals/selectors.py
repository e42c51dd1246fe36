"""Reads where people approve: document lists, the review queue and the signature inbox.

Each costs a constant number of queries whatever the page size: the representation's relations
are joined or prefetched here, and the queue and inbox run on partial indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import connection
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from approvals.deadlines import overdue_q
from approvals.delegation import principals_acted_for, with_acting
from approvals.models import Review, Signature, SignatureStatus
from approvals.search import document_text_q
from config.sql import Reusable
from workflow.exceptions import Forbidden, Invalid
from workflow.lifecycle import PREFETCHED_SIGNATURES
from workflow.models import QUEUE_STATUSES, Document, Status
from workflow.roles import user_context
from workflow.selectors import visible_documents

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def with_related(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related(
        "institution", "project", "assignee", "author", "next_signer"
    ).prefetch_related(
        Prefetch(
            "signatures",
            queryset=Signature.objects.filter(active=True)
            .select_related("signer", "signed_by")
            .order_by("order"),
        )
    )


# The signature columns the representation and the permissions read (approvals.serializers,
# workflow.lifecycle), the usernames joined: not the content hash, the delegation nor the
# creation time.
_SIGNATURE_COLUMNS = (
    "document_id",
    "version",
    "role",
    "order",
    "signer_id",
    "status",
    "signed_at",
    "reason",
    "signed_by_id",
    "active",
    "signer__username",
    "signed_by__username",
)


@dataclass(frozen=True, slots=True)
class ActiveSignature:
    """An active signature as the API's representation and the lifecycle's permissions read it
    (the names of the Signature fields, plus the usernames ``for_api`` annotates)."""

    document_id: UUID
    version: int
    role: str
    order: int
    signer_id: int
    status: str
    signed_at: datetime | None
    reason: str
    signed_by_id: int | None
    active: bool
    signer_username: str
    signed_by_username: str | None


def for_api(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What the API's document representation reads, and nothing more: the institution joined,
    the people as their usernames (no User rows built: a page of 50 built 300 of them). Clears
    what ``with_related`` loaded for the pages. The signatures: ``with_signatures`` on the rows
    fetched."""
    return (
        documents.select_related(None)
        .prefetch_related(None)
        .select_related("institution")
        .annotate(
            author_username=F("author__username"),
            assignee_username=F("assignee__username"),
            assignee_is_active=F("assignee__is_active"),  # a reserved resubmission's claim
            next_signer_username=F("next_signer__username"),
        )
    )


# The active signatures of a page, or of one document (a detail), on PostgreSQL: the documents'
# ids as one array parameter, so that the statement is the same for every page, compiled once
# per connection (config.sql.Reusable). Elsewhere: the queryset, one placeholder per id.
_DOCUMENTS_SIGNATURES = Reusable(
    lambda pks: (
        Signature.objects.filter(
            active=True, document_id__in=RawSQL("SELECT unnest(%s::uuid[])", (pks,))
        )
        .order_by("order")
        .values_list(*_SIGNATURE_COLUMNS)
    ),
    placeholder=[UUID(int=0)],
)


def with_signatures(documents: list[Document]) -> list[Document]:
    """Put each document's active signatures, in order, where ``active_signatures_of`` reads
    them (``workflow.lifecycle.PREFETCHED_SIGNATURES``): one query for all of them, read as
    columns. A prefetch built a Signature per row and, for the related manager's cache, a
    filtered queryset per document: a queue page's 150 signatures cost it a fifth of the
    page's Python time. On PostgreSQL by a statement compiled once."""
    by_document: dict[UUID, list[ActiveSignature]] = {}
    for document in documents:
        by_document.setdefault(document.pk, [])
    if by_document and connection.vendor == "postgresql":
        for row in _DOCUMENTS_SIGNATURES.rows(list(by_document)):
            by_document[row[0]].append(ActiveSignature(*row))
    elif by_document:
        rows = Signature.objects.filter(active=True, document_id__in=list(by_document))
        for row in rows.order_by("order").values_list(*_SIGNATURE_COLUMNS):
            by_document[row[0]].append(ActiveSignature(*row))
    for document in documents:
        setattr(document, PREFETCHED_SIGNATURES, by_document[document.pk])
    return documents


def _check_status(value: str) -> None:
    if value not in Status.values:
        raise Invalid(
            _("Unknown status."),
            errors={
                "status": [
                    _("Unknown status “%(status)s”. Known: %(known)s.")
                    % {"status": value, "known": ", ".join(Status.values)}
                ]
            },
        )


def document_list(user: User, *, filters: dict[str, str]) -> QuerySet[Document]:
    documents = visible_documents(user)
    if filters.get("type"):
        documents = documents.filter(type=filters["type"])
    if filters.get("status"):
        _check_status(filters["status"])
        documents = documents.filter(status=filters["status"])
    if filters.get("project"):
        from uuid import UUID

        try:
            documents = documents.filter(project_id=UUID(filters["project"]))
        except ValueError:
            raise Invalid(
                _("Invalid project."), errors={"project": [_("Not a project id.")]}
            ) from None
    return with_acting(with_related(documents), user).order_by("-updated_at", "pk")


def review_queue(user: User, *, filters: dict[str, str]) -> QuerySet[Document]:
    """Submitted and under-review documents of every institution, oldest submission first."""
    ctx = user_context(user)
    if not ctx.is_reviewer:
        raise Forbidden(_("Only agency reviewers have a review queue."))
    documents = Document.objects.filter(status__in=QUEUE_STATUSES)
    if filters.get("status"):
        if filters["status"] not in QUEUE_STATUSES:
            raise Invalid(
                _("Invalid status."),
                errors={
                    "status": [
                        _("The queue holds only documents submitted to the agency or under review.")
                    ]
                },
            )
        documents = documents.filter(status=filters["status"])
    if filters.get("type"):
        documents = documents.filter(type=filters["type"])
    if filters.get("institution"):
        documents = documents.filter(institution__code=filters["institution"])
    if filters.get("q"):
        condition = document_text_q(filters["q"])
        if condition is not None:
            documents = documents.filter(condition)
    assignee = filters.get("assignee")
    if assignee == "me":
        documents = documents.filter(assignee_id=user.pk)
    elif assignee == "none":
        documents = documents.filter(assignee__isnull=True)
    elif assignee:
        raise Invalid(_("Invalid assignee."), errors={"assignee": [_("Use “me” or “none”.")]})
    order = ["last_submitted_at", "pk"]
    if filters.get("sort") == "newest":
        order = ["-last_submitted_at", "-pk"]
    elif filters.get("sort") not in (None, "", "oldest", "overdue"):
        raise Invalid(
            _("Invalid order."),
            errors={"sort": [_("Sort by “oldest”, “newest” or “overdue”.")]},
        )
    overdue = "first" if filters.get("sort") == "overdue" else filters.get("overdue")
    if overdue == "first":
        # Overdue first, oldest submission first within each group (approvals.deadlines).
        documents = documents.annotate(
            late_first=Case(When(overdue_q(), then=Value(0)), default=Value(1))
        )
        order.insert(0, "late_first")
    elif overdue:
        raise Invalid(_("Invalid overdue."), errors={"overdue": [_("Use “first”.")]})
    return with_related(documents).order_by(*order)


def signature_inbox(user: User) -> QuerySet[Document]:
    """Documents whose next pending signature is the caller's, or is of someone the caller acts
    for today (approvals.delegation)."""
    if not user.is_authenticated:
        return Document.objects.none()
    documents = Document.objects.filter(
        Q(next_signer_id=user.pk) | Q(next_signer_id__in=principals_acted_for(user)),
        status=Status.AWAITING_SIGNATURES,
    )
    return with_acting(with_related(documents), user).order_by("status_changed_at", "pk")


def last_version_seen(*, document: Document, user: User) -> int | None:
    """The latest version of ``document`` that ``user`` signed or decided on as a reviewer (None:
    neither): where "what changed since version N" starts for a signatory signing again or a
    reviewer reading a resubmission. Two queries."""
    signed = (
        Signature.objects.filter(
            document=document, signer_id=user.pk, status=SignatureStatus.SIGNED
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    reviewed = (
        Review.objects.filter(document=document, reviewer_id=user.pk)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    seen = [version for version in (signed, reviewed) if version is not None]
    return max(seen) if seen else None
