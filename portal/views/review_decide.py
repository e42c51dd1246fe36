"""The reviewer's decision, posted from the review page's one form.

* Return for changes: done at once, with every comment typed beside the answers.
* Approve and reject: first a page of their own that says what will happen (sealed, the
  institution told; rejected for good) and lists any comments typed beside the answers, which
  an approval or a rejection does not send. It carries everything typed in hidden inputs:
  "Yes" decides, "Go back" returns to the review page with all of it still in its boxes.
* The approval's page names the review checklist's criteria still unmarked or marked "not
  met" (approvals.checklist_selectors) and then asks why the agency approves anyway (the
  ``override_reason`` the service requires); the service's own refusal of an incomplete
  checklist re-renders that page with its message.
* A refusal (no reason, someone else decided meanwhile) re-renders the review page with the
  message and everything typed, never a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.actions import perform
from approvals.checklist_selectors import document_checklist
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from forms_templates.swahili import concords
from portal.forms import add_code_field
from portal.review_forms import DECISIONS, DecisionForm
from portal.views.common import document_or_404, refused
from portal.views.review import render_review
from workflow.exceptions import Invalid, WorkflowError
from workflow.refusals import why_not
from workflow.second_factor import code_needed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# In Swahili each agrees with the type's noun (forms_templates.swahili): "Limeidhinishwa" for an
# ombi, "Zimeidhinishwa" for hadidu za rejea.
DONE = {
    "approve": lambda: _(
        "Approved. The sealed PDF is being prepared; it appears on this page.%(sw_Subj)s"
    ),
    "reject": lambda: _("Rejected. The institution is told, with your reason.%(sw_Subj)s"),
    "request-changes": lambda: _("Returned to the institution with your comments.%(sw_Subj)s"),
}


def _refuse(request, document, form: DecisionForm, exc: WorkflowError) -> HttpResponse:
    status = refused(request, exc)
    if isinstance(exc, Invalid):
        form.add_service_errors(exc.errors)
    document = document_or_404(request.user, document.pk)
    return render_review(request, document, form=form, status=status)


def _checklist_gaps(document, user: User) -> dict[str, list[tuple[str, str]]]:
    """The criteria an approval would override, as (text, note): {"unmarked": […],
    "not_met": […]} (an unmarked criterion has no note)."""
    checklist = document_checklist(document=document, user=user)
    lang = current_lang()
    views = {view.criterion.key: view for view in checklist.criteria}

    def named(key: str) -> tuple[str, str]:
        view = views[key]
        return view.criterion.text.get(lang), view.current.note if view.current else ""

    return {
        "unmarked": [named(key) for key in checklist.unmarked],
        "not_met": [named(key) for key in checklist.not_met],
    }


def _confirm(
    request, document, form: DecisionForm, decision: str, status: int = 200
) -> HttpResponse:
    refusal = why_not(document, decision, request.user)
    if refusal is not None:
        return _refuse(request, document, form, refusal)
    if decision == "reject" and not form.typed().get("comment", "").strip():
        form.add_error("comment", _("Give the reason for rejecting: the institution is told it."))
        messages.error(request, _("A rejection needs a reason."))
        return render_review(request, document, form=form, status=400)
    gaps = _checklist_gaps(document, request.user) if decision == "approve" else {}
    context = {
        "document": document,
        "type_name": get_type(document.type).name.get(request.LANGUAGE_CODE),
        "decision": decision,
        "typed": form.carried(),
        "comment": form.typed().get("comment", ""),
        "collected": form.collected(),
        "gaps": gaps,
        "needs_override": bool(gaps.get("unmarked") or gaps.get("not_met")),
        "override": form["override_reason"],
        # The second factor, asked with the approval (workflow.second_factor).
        "code_form": add_code_field(forms.Form(prefix=None))
        if decision == "approve" and code_needed(request.user)
        else None,
    }
    return render(request, "portal/review_confirm.html", context, status=status)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    form = DecisionForm(request.POST, definition=get_type(document.type))
    form.is_valid()  # every input is optional text: the service says what is wrong
    decision = request.POST.get("decision", "")
    if decision == "back":
        return render_review(request, document, form=form)
    if decision not in DECISIONS:
        messages.error(request, _("Choose a decision: approve, reject or return for changes."))
        return render_review(request, document, form=form, status=400)
    if decision in ("approve", "reject") and request.POST.get("confirmed") != "yes":
        return _confirm(request, document, form, decision)
    try:
        fields = form.fields_for(decision)
        if decision == "approve" and code_needed(request.user):
            fields["otp"] = request.POST.get("otp", "")
        perform(decision, document_id=document.pk, by=request.user, fields=fields)
    except Invalid as exc:
        if exc.errors and "otp" in exc.errors:  # the code: asked again on the same page
            messages.error(request, " ".join(str(m) for m in exc.errors["otp"]))
            return _confirm(request, document, form, decision, status=400)
        if exc.code != "checklist_incomplete":
            return _refuse(request, document, form, exc)
        # Still on the approval's page: the criteria, and the box for the reason to override.
        form.add_service_errors(exc.errors)
        messages.error(request, exc.message)
        return _confirm(request, document, form, decision, status=400)
    except WorkflowError as exc:
        return _refuse(request, document, form, exc)
    messages.success(request, DONE[decision]() % concords(document.type, current_lang()))
    return redirect("web:document", pk=document.pk)
