"""Projects: the list, a new one, one project and its documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from approvals import selectors
from portal.forms import NewProjectForm, new_document_form
from portal.views.common import errors_onto, paginate, refused
from workflow.exceptions import WorkflowError
from workflow.models import (
    Stage,
)
from workflow.roles import user_context
from workflow.selectors import visible_documents, visible_projects
from workflow.services import (
    project_create,
)


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = visible_projects(request.user).select_related("institution").order_by("-created_at")
    return render(request, "portal/project_list.html", {"page": paginate(request, projects)})


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    form = NewProjectForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                existing_system=form.existing_system(),
                by=request.user,
            )
        except WorkflowError as exc:
            status = refused(request, exc)
            errors_onto(form, exc)
        else:
            messages.success(request, _("Project “%(name)s” created.") % {"name": project.name})
            return redirect("web:project", pk=project.pk)
    return render(request, "portal/project_new.html", {"form": form}, status=status)


@login_required
@require_GET
def project_detail(request: HttpRequest, pk) -> HttpResponse:
    project = visible_projects(request.user).select_related("institution").filter(pk=pk).first()
    if project is None:
        raise Http404(_("No such project."))
    documents = selectors.with_related(visible_documents(request.user).filter(project=project))
    context = {
        "project": project,
        "documents": list(documents.order_by("-updated_at", "pk")),
        "new_document_form": new_document_form(request, project=project)
        if user_context(request.user).is_officer and project.stage != Stage.COMPLETED
        else None,
    }
    return render(request, "portal/project_detail.html", context)


# --- Documents ---------------------------------------------------------------------------------
