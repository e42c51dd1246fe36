"""The agency's review queue: what waits, for how long, who has it, what is overdue.

The reviewers' home page (portal.views.home.dashboard hands them over). Filters, search and
order are plain GET parameters, so every view of the queue is a link; htmx swaps only the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from approvals import selectors
from approvals.deadlines import is_overdue
from approvals.queue_selectors import queue_counts
from forms_templates.definitions import current_lang
from forms_templates.registry import all_types
from portal.htmx import wants_part
from portal.views.common import paginate, refused
from workflow.exceptions import WorkflowError
from workflow.humanize import duration
from workflow.lifecycle import allowed_actions
from workflow.models import QUEUE_STATUSES, Document, Institution, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FILTERS = ("type", "institution", "status", "assignee", "q", "sort")
SORTS = (
    ("oldest", gettext_lazy("Oldest submission first")),
    ("overdue", gettext_lazy("Overdue first")),
    ("newest", gettext_lazy("Newest submission first")),
)


@dataclass(frozen=True)
class QueueRow:
    document: Document
    age: str
    overdue: bool
    resubmitted: bool
    reserved: bool
    can_claim: bool


def _rows(documents, user: User) -> list[QueueRow]:
    now = timezone.now()
    rows = []
    for document in documents:  # one page of documents, already loaded: no query each
        submitted = document.last_submitted_at
        rows.append(
            QueueRow(
                document=document,
                age=duration((now - submitted).total_seconds()) if submitted else "",
                overdue=is_overdue(document, now),
                resubmitted=bool(document.submitted_at and submitted != document.submitted_at),
                reserved=document.status == Status.SUBMITTED and document.assignee_id is not None,
                can_claim="claim" in allowed_actions(document, user),
            )
        )
    return rows


def review_queue(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    status = 200
    try:
        documents = selectors.review_queue(request.user, filters=filters)
    except WorkflowError as exc:
        status = refused(request, exc, details=True)
        documents = Document.objects.none()
    page = paginate(request, documents)
    context: dict[str, Any] = {
        "page": page,
        "rows": _rows(page.object_list, request.user),
        "filters": filters,
        "filtered": any(filters[name] for name in FILTERS if name != "sort"),
    }
    if wants_part(request):
        context["htmx_part"] = True
        return render(request, "portal/_queue_results.html", context, status=status)
    lang = current_lang()
    counts = queue_counts(request.user)
    types = [(key, d.name.get(lang)) for key, d in all_types().items()]
    context.update(
        counts=counts,
        type_counts=[(key, name, counts.by_type.get(key, 0)) for key, name in types],
        status_counts=[
            (s.value, s.label, counts.by_status.get(s.value, 0)) for s in QUEUE_STATUSES
        ],
        types=types,
        institutions=[(i.code, i.name(lang)) for i in Institution.objects.filter(is_agency=False)],
        queue_statuses=[(s.value, s.label) for s in QUEUE_STATUSES],
        sorts=SORTS,
    )
    return render(request, "portal/review_queue.html", context, status=status)
