"""The archive: every document a person may see, decided ones included, filtered and sorted.

The same query feeds the page (25 a page) and the exports (every row, streamed in chunks by
``export_rows``): what is exported is exactly what the filters show.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Review
from approvals.search import document_text_q
from approvals.selectors import with_related
from forms_templates.registry import get_type
from workflow.exceptions import Invalid
from workflow.models import Document, Status
from workflow.selectors import visible_documents

if TYPE_CHECKING:
    from django.contrib.auth.models import User


FILTERS = ("q", "status", "type", "institution", "project", "from", "to", "reviewer", "sort")
SORTS: dict[str, list[Any]] = {
    "updated": [F("updated_at").desc(), F("pk").desc()],
    "submitted": [F("submitted_at").desc(nulls_last=True), F("pk").desc()],
    "oldest": [F("submitted_at").asc(nulls_last=True), F("pk").asc()],
    "reference": [F("reference").asc(nulls_last=True), F("pk").asc()],
    "title": [F("title").asc(), F("pk").asc()],
}
EXPORT_CHUNK = 2000


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            _("Invalid date."),
            errors={field: [_("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")]},
        ) from None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(documents: QuerySet[Document], filters: dict[str, str]) -> QuerySet[Document]:
    if filters.get("status"):
        if filters["status"] not in Status.values:
            raise Invalid(_("Unknown status."), errors={"status": [_("Choose a status.")]})
        documents = documents.filter(status=filters["status"])
    if filters.get("type"):
        if get_type(filters["type"]) is None:
            raise Invalid(_("Unknown document type."), errors={"type": [_("Choose a type.")]})
        documents = documents.filter(type=filters["type"])
    if filters.get("institution"):
        documents = documents.filter(institution__code=filters["institution"])
    if filters.get("project"):
        try:
            documents = documents.filter(project_id=UUID(filters["project"]))
        except ValueError:
            raise Invalid(
                _("Invalid project."), errors={"project": [_("Not a project id.")]}
            ) from None
    if filters.get("from"):
        documents = documents.filter(submitted_at__gte=_start_of(_day(filters["from"], "from")))
    if filters.get("to"):
        end = _day(filters["to"], "to") + timedelta(days=1)
        documents = documents.filter(submitted_at__lt=_start_of(end))
    if filters.get("reviewer"):
        reviewed = Review.objects.filter(
            document_id=OuterRef("pk"), reviewer__username=filters["reviewer"]
        )
        documents = documents.filter(
            Q(Exists(reviewed)) | Q(assignee__username=filters["reviewer"])
        )
    if filters.get("q"):
        condition = document_text_q(filters["q"])
        if condition is not None:
            documents = documents.filter(condition)
    return documents


def _ordered(documents: QuerySet[Document], sort: str) -> QuerySet[Document]:
    if sort and sort not in SORTS:
        raise Invalid(
            _("Invalid order."),
            errors={"sort": [_("Sort by one of: %(known)s.") % {"known": ", ".join(SORTS)}]},
        )
    return documents.order_by(*SORTS[sort or "updated"])


def _last_review() -> QuerySet[Review]:
    return Review.objects.filter(document_id=OuterRef("pk")).order_by("-created_at", "-pk")


def archive_documents(user: User, *, filters: dict[str, str]) -> QuerySet[Document]:
    """What the person may see (drafts of their own institution; the agency: everything
    submitted), with the last reviewer alongside. 400 for a bad filter."""
    documents = _filter(visible_documents(user), filters)
    full = Concat("reviewer__first_name", Value(" "), "reviewer__last_name")
    name = Coalesce(NullIf(Trim(full), Value("")), F("reviewer__username"))
    documents = documents.annotate(
        last_reviewer=Subquery(_last_review().annotate(name=name).values("name")[:1]),
    )
    return _ordered(with_related(documents), filters.get("sort", ""))


EXPORT_FIELDS = (
    "pk",
    "reference",
    "title",
    "type",
    "institution__code",
    "institution__name_sw",
    "institution__name_en",
    "project__name",
    "status",
    "version",
    "submitted_at",
    "last_submitted_at",
    "approved_at",
    "status_changed_at",
    "reviewer",
    "verification_code",
)


def export_rows(user: User, *, filters: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Every row of the filtered archive as plain values, fetched ``EXPORT_CHUNK`` at a time
    (a server-side cursor on PostgreSQL): memory stays flat at 100,000 rows. The reviewer is
    the document's assignee (who holds it, or who approved or rejected it: a decision keeps
    the assignee), else whoever last reviewed it (a return for changes clears the assignee);
    COALESCE looks up the review only for the rows that need it."""
    documents = _filter(visible_documents(user), filters)
    last = Subquery(_last_review().values("reviewer__username")[:1])
    documents = documents.annotate(reviewer=Coalesce(F("assignee__username"), last))
    documents = _ordered(documents, filters.get("sort", "")).values(*EXPORT_FIELDS)
    yield from documents.iterator(chunk_size=EXPORT_CHUNK)
