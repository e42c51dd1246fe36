"""The review checklist's form: the assignee's marks, posted from the panel beside the document.

Without JavaScript the whole list is one form and the page comes back (``#checklist``); with
htmx each change posts the same form and only the panel is swapped. A refusal keeps what was
posted, with each problem beside its criterion, and changes nothing (the service is all or
nothing).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.checklist_services import checklist_update
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.checklist import checklist_panel, posted_marks
from portal.forms import ApproveForm
from portal.htmx import answers_htmx, wants_part
from portal.views.common import document_or_404, refused
from portal.views.documents import render_document
from workflow.exceptions import Invalid, WorkflowError


@login_required
@require_POST
@answers_htmx
def checklist_save(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    lang = current_lang()
    marks = posted_marks(get_type(document.type), request.POST)
    try:
        checklist_update(document_id=document.pk, by=request.user, marks=marks)
    except WorkflowError as exc:
        errors = (exc.errors or {}).get("marks") if isinstance(exc, Invalid) else None
        status = exc.status_code
        if not wants_part(request):
            status = refused(request, exc, details=not isinstance(errors, dict))
        panel = checklist_panel(
            document_or_404(request.user, pk),
            request.user,
            lang,
            posted=request.POST,
            errors=errors if isinstance(errors, dict) else None,
        )
        if wants_part(request) and panel is not None:
            problem = exc.message if isinstance(errors, dict) else _flat(exc)
            return _part(request, document, panel, problem=problem, status=status)
        return render_document(request, document, panel=panel, status=status)
    if wants_part(request):
        panel = checklist_panel(document_or_404(request.user, pk), request.user, lang)
        return _part(request, document, panel, saved=True)
    messages.success(request, _("The checklist is saved."))
    return redirect(reverse("web:document", kwargs={"pk": document.pk}) + "#checklist")


def _flat(exc: WorkflowError) -> str:
    details = [str(m) for m in (exc.errors or {}).get("marks", []) or []]
    return " ".join([exc.message, *details])


def _part(request, document, panel, *, saved=False, problem="", status=200) -> HttpResponse:
    context = {
        "document": document,
        "checklist": panel,
        "saved": saved,
        "problem": problem,
        # The approve form's box follows the marks (htmx swaps it out of band).
        "approve_form": ApproveForm() if panel is not None and panel.can_mark else None,
    }
    return render(request, "portal/_checklist_panel.html", context, status=status)
