"""Home: an officer's or signatory's dashboard, a reviewer's queue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from approvals import selectors
from forms_templates.definitions import current_lang
from forms_templates.registry import all_types
from portal.forms import NewProjectForm, creatable_types, new_document_form
from portal.htmx import answers_htmx, wants_part
from portal.selectors import needing_attention
from portal.views import queue
from portal.views.common import paginate, refused
from workflow.exceptions import WorkflowError
from workflow.models import (
    Document,
    Status,
)
from workflow.roles import user_context
from workflow.selectors import visible_projects

INBOX_LIMIT = 100
DASHBOARD_PROJECTS = 10


@answers_htmx
@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    ctx = user_context(request.user)
    if ctx.is_reviewer:
        return queue.review_queue(request)
    if ctx.is_mail_admin:
        return redirect("web:mailboxes")
    context: dict[str, Any] = {"ctx": ctx, "statuses": Status.choices}
    if not ctx.is_institution_staff:
        return render(request, "portal/dashboard.html", context)
    filters = {
        "status": request.GET.get("status", ""),
        "type": request.GET.get("type", ""),
    }
    status = 200
    try:
        documents = selectors.document_list(request.user, filters=filters)
    except WorkflowError as exc:
        status = refused(request, exc, details=True)
        documents = Document.objects.none()
    context.update(page=paginate(request, documents), filters=filters)
    if wants_part(request):
        # Only the list under the filters: no inbox, no projects, no forms to query for.
        context["htmx_part"] = True
        return render(request, "portal/_dashboard_results.html", context, status=status)
    projects = list(
        visible_projects(request.user).order_by("-created_at")[: DASHBOARD_PROJECTS + 1]
    )
    context.update(
        attention=needing_attention(request.user),
        # The inbox shows no signatures: no need for the list's prefetch of them.
        inbox=list(selectors.signature_inbox(request.user).prefetch_related(None)[:INBOX_LIMIT]),
        types=[(key, d.name.get(current_lang())) for key, d in all_types().items()],
        projects=projects[:DASHBOARD_PROJECTS],
        more_projects=len(projects) > DASHBOARD_PROJECTS,
        new_project_form=NewProjectForm() if ctx.is_officer else None,
        new_document_form=new_document_form(request) if creatable_types(request.user) else None,
    )
    return render(request, "portal/dashboard.html", context, status=status)
