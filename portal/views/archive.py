"""``/archive/``: every document a person may see, decided ones included; filters, order, and
the filtered list as CSV or Excel (portal.exports)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from approvals.archive_selectors import FILTERS, archive_documents, export_rows
from forms_templates.definitions import current_lang
from forms_templates.registry import all_types
from portal import exports
from portal.htmx import answers_htmx, wants_part
from portal.views.common import paginate, refused
from workflow.exceptions import WorkflowError
from workflow.models import Document, Institution, Role, Status
from workflow.roles import user_context
from workflow.selectors import visible_projects

SORTS = (
    ("updated", gettext_lazy("Last changed first")),
    ("submitted", gettext_lazy("Newest submission first")),
    ("oldest", gettext_lazy("Oldest submission first")),
    ("reference", gettext_lazy("Reference")),
    ("title", gettext_lazy("Title")),
)
PROJECT_CHOICES_MAX = 300


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip()[:200] for name in FILTERS}


def _choices(request: HttpRequest, filters: dict[str, str]) -> dict[str, Any]:
    lang = current_lang()
    ctx = user_context(request.user)
    projects = visible_projects(request.user).order_by("name")
    if filters["institution"]:
        projects = projects.filter(institution__code=filters["institution"])
    elif ctx.is_agency:
        projects = projects.none()  # all the country's projects: choose an institution first
    projects = list(projects.values_list("pk", "name")[: PROJECT_CHOICES_MAX + 1])
    reviewers = (
        get_user_model()
        .objects.filter(memberships__role=Role.REVIEWER, memberships__institution__is_agency=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return {
        "types": [(key, d.name.get(lang)) for key, d in all_types().items()],
        "statuses": Status.choices,
        "institutions": [
            (i.code, i.name(lang)) for i in Institution.objects.filter(is_agency=False)
        ]
        if ctx.is_agency
        else [],
        "projects": projects if len(projects) <= PROJECT_CHOICES_MAX else [],
        "reviewers": [(u.username, u.get_full_name() or u.username) for u in reviewers],
        "sorts": SORTS,
    }


@answers_htmx
@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    status = 200
    try:
        documents = archive_documents(request.user, filters=filters)
    except WorkflowError as exc:
        status = refused(request, exc, details=True)
        documents = Document.objects.none()
    context: dict[str, Any] = {
        "page": paginate(request, documents),
        "filters": filters,
        "filtered": any(filters[name] for name in FILTERS if name != "sort"),
        "query": request.GET.urlencode(),
    }
    if wants_part(request):
        context["htmx_part"] = True
        return render(request, "portal/_archive_results.html", context, status=status)
    context.update(_choices(request, filters))
    return render(request, "portal/archive.html", context, status=status)


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    filters = _filters(request)
    try:
        rows = export_rows(request.user, filters=filters)
        first = next(rows, None)  # a bad filter is refused before the first byte
    except WorkflowError as exc:
        status = refused(request, exc, details=True)
        context = {"page": paginate(request, Document.objects.none()), "filters": filters}
        context.update(_choices(request, filters))
        return render(request, "portal/archive.html", context, status=status)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    everything = _chain(first, rows)
    if kind == "csv":
        return exports.csv_response(everything, f"idhini-archive-{stamp}.csv")
    return exports.xlsx_response(everything, f"idhini-archive-{stamp}.xlsx", _("Documents"))


def _chain(first, rest):
    if first is not None:
        yield first
        yield from rest


@login_required
@require_GET
def archive_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
@require_GET
def archive_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
