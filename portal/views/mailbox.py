"""The mail administrators' pages: the queue of approved mailbox requests, one request with
its forms (claim, release, provision with the address created, refuse with a reason). Plain
forms, no JavaScript needed, calling the services the API calls (approvals.provisioning)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from approvals.provisioning import (
    mailbox_claim,
    mailbox_provision,
    mailbox_refuse,
    mailbox_release,
)
from approvals.provisioning_api import notice_response
from approvals.provisioning_selectors import mailbox_actions, mailbox_of, mailbox_queue
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.views.common import errors_onto, paginate, refused
from workflow.exceptions import WorkflowError


class ProvisionForm(forms.Form):
    address = forms.CharField(
        label=gettext_lazy("Address created"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "The mailbox as created in the mail system, in the institution's mail domain. "
            "Never write a password here: the servant gets it from you by telephone or in person."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the servant (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Say why the mailbox cannot be created: the servant reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


FILTERS = (
    ("", gettext_lazy("Open (waiting or claimed)")),
    ("waiting", gettext_lazy("Waiting")),
    ("claimed", gettext_lazy("Claimed")),
    ("provisioned", gettext_lazy("Created")),
    ("refused", gettext_lazy("Refused")),
)


@login_required
@require_GET
def mailbox_list(request: HttpRequest) -> HttpResponse:
    status_filter = request.GET.get("status", "")
    assignee = request.GET.get("assignee", "")
    status = 200
    try:
        rows = mailbox_queue(request.user, status=status_filter, assignee=assignee)
    except WorkflowError as exc:
        if exc.status_code == 403:
            raise Http404(exc.message) from None  # the page is not theirs to know about
        status = refused(request, exc, details=True)
        rows = mailbox_queue(request.user)
    context = {
        "page": paginate(request, rows),
        "filters": {"status": status_filter, "assignee": assignee},
        "choices": FILTERS,
    }
    return render(request, "portal/mailbox_queue.html", context, status=status)


def _answers(provisioning) -> list[tuple[str, str]]:
    """The request's answers a mail administrator needs, labelled as the form labels them."""
    document = provisioning.document
    definition = get_type(document.type)
    lang = current_lang()
    shown = []
    for item in definition.items() if definition else ():
        value = (document.data or {}).get(item.key)
        if value in (None, "", []) or getattr(item, "kind", "") in ("table", "long_text"):
            continue
        choices = {c.value: c.label.get(lang) for c in getattr(item, "choices", ())}
        shown.append((item.label.get(lang), choices.get(value, str(value))))
    return shown


def _page(request, provisioning, *, provision=None, refuse=None, status=200) -> HttpResponse:
    address = provisioning.address or provisioning.requested_address
    context = {
        "mailbox": provisioning,
        "document": provisioning.document,
        "answers": _answers(provisioning),
        "actions": mailbox_actions(provisioning, request.user),
        "provision_form": provision or ProvisionForm(initial={"address": address}),
        "refuse_form": refuse or RefuseForm(),
        "domains": provisioning.document.institution.mail_domain_list(),
    }
    return render(request, "portal/mailbox_detail.html", context, status=status)


def _provisioning(request: HttpRequest, pk):
    try:
        return mailbox_of(document_id=pk, by=request.user)
    except WorkflowError as exc:
        raise Http404(exc.message) from None


@login_required
@require_GET
def mailbox_page(request: HttpRequest, pk) -> HttpResponse:
    return _page(request, _provisioning(request, pk))


DONE = {
    "claim": gettext_lazy("You claimed it: create the mailbox, then record the address."),
    "release": gettext_lazy("Released: another mail administrator can claim it."),
    "provision": gettext_lazy("Recorded: the servant and their supervisor are being told."),
    "refuse": gettext_lazy("Refused: the servant and their supervisor are being told why."),
}


@login_required
@require_POST
def mailbox_step(request: HttpRequest, pk, step: str) -> HttpResponse:
    provisioning = _provisioning(request, pk)
    provision = ProvisionForm(request.POST) if step == "provision" else None
    refuse = RefuseForm(request.POST) if step == "refuse" else None
    form = provision or refuse
    try:
        if step == "claim":
            mailbox_claim(document_id=pk, by=request.user)
        elif step == "release":
            mailbox_release(document_id=pk, by=request.user)
        elif step == "provision" and provision.is_valid():
            mailbox_provision(document_id=pk, by=request.user, **provision.cleaned_data)
        elif step == "refuse" and refuse.is_valid():
            mailbox_refuse(document_id=pk, by=request.user, **refuse.cleaned_data)
        elif step not in DONE:
            raise Http404(_("No such step."))
        else:  # a field over its length: the form says which
            return _page(request, provisioning, provision=provision, refuse=refuse, status=400)
    except WorkflowError as exc:
        status = refused(request, exc, details=form is None)
        if form is not None:
            errors_onto(form, exc)
        provisioning = _provisioning(request, pk)
        return _page(request, provisioning, provision=provision, refuse=refuse, status=status)
    messages.success(request, DONE[step])
    return redirect("web:mailbox", pk=provisioning.document_id)


@login_required
@require_GET
def mailbox_notice(request: HttpRequest, pk) -> HttpResponse:
    """The mailbox notice PDF, for whoever may see the request."""
    return notice_response(_provisioning(request, pk), request.GET.get("lang", "sw"))
