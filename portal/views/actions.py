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
from portal.actions import ACTIONS, action_form
from portal.next_steps import after_action
from portal.selectors import form_state
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
    if (
        action == "request-signatures"
        and document.author_id == request.user.pk
        and form_state(document).kept
    ):
        # What the form kept as typed is not stored: it must be corrected before anyone signs.
        messages.error(
            request,
            _(
                "Some answers are kept in the form with problems: correct them before sending "
                "for signature (see “Check your answers”)."
            ),
        )
        return render_document(request, document, status=400)
    form = action_form(action, document, request.user, request.POST)
    form.is_valid()  # every input is optional text: the service says what is wrong
    try:
        done = perform(
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
    if action == "sign":
        return redirect(reverse("web:document-signed", kwargs={"pk": document.pk}))
    messages.success(request, after_action(done, action) or str(spec.done))
    return redirect(reverse("web:document", kwargs={"pk": document.pk}))
