"""An action taken on a document's page (a POST); a refusal re-renders the page with it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.actions import perform
from portal.actions import ACTIONS
from portal.views.common import document_or_404, errors_onto, refused
from portal.views.documents import render_document
from workflow.exceptions import Invalid, WorkflowError


@login_required
@require_POST
def document_action(request: HttpRequest, pk, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("No such action."))
    document = document_or_404(request.user, pk)
    form = spec.form(document, request.POST)
    form.is_valid()  # every input is optional text: the service says what is wrong
    try:
        perform(
            action,
            document_id=document.pk,
            by=request.user,
            fields=spec.fields(form),
            request=request,
        )
    except WorkflowError as exc:
        status = refused(request, exc)
        if isinstance(exc, Invalid):
            errors_onto(form, exc)
        document = document_or_404(request.user, pk)
        return render_document(request, document, bound={action: form}, status=status)
    messages.success(request, str(spec.done))
    return redirect(reverse("web:document", kwargs={"pk": document.pk}))
