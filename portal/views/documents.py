"""The pages people use in a browser: the dashboard, projects, a document's page, its form and
its actions. Server-rendered, light, and working without JavaScript.

Views stay thin: they read through the selectors, write through the same services as the API,
and turn a service's refusal (a ``WorkflowError``) into a message on the page, re-rendered with
what the person typed — never a 500. Only GET renders; every change is a POST. Where htmx is
loaded, the document lists and the edit form's tables ask for just their part of the page
(``approvals.htmx``); the answer is the same part of the same page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from forms_templates.answers import answers, comment_label
from forms_templates.definitions import DocumentType, current_lang
from forms_templates.registry import get_type
from forms_templates.validation import missing_required
from portal.actions import ACTIONS, action_form
from portal.changes import changes_since, history
from portal.checklist import ChecklistPanel, checklist_panel
from portal.document_page import reason_for, signing_role, summary
from portal.forms import FIELD_COMMENT_PREFIX, new_document_form
from portal.next_steps import progress, what_next
from portal.similar import review_similar
from portal.views.annexes import annex_context
from portal.views.common import (
    document_or_404,
    editable_by,
    errors_onto,
    open_change_request,
    refused,
    reviews_of,
    uuid_or_none,
)
from portal.views.review import render_review
from workflow.exceptions import WorkflowError
from workflow.lifecycle import allowed_actions
from workflow.models import (
    Document,
)
from workflow.roles import user_context
from workflow.selectors import visible_projects
from workflow.services import (
    document_create,
)


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    project = None
    if request.method == "GET" and request.GET.get("project"):
        project_id = uuid_or_none(request.GET["project"])
        project = visible_projects(request.user).filter(pk=project_id).first()
    form = new_document_form(
        request, data=request.POST if request.method == "POST" else None, project=project
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            document = document_create(
                type=form.cleaned_data["type"],
                title=form.cleaned_data["title"],
                project_id=form.cleaned_data["project"] or None,
                by=request.user,
            )
        except WorkflowError as exc:
            status = refused(request, exc)
            errors_onto(form, exc)
        else:
            messages.success(request, _("Document created: fill in the form."))
            return redirect("web:document-edit", pk=document.pk)
    return render(request, "portal/document_new.html", {"form": form}, status=status)


@login_required
@require_GET
def document_detail(request: HttpRequest, pk) -> HttpResponse:
    return render_document(request, document_or_404(request.user, pk))


# Signing is at the end of the page, after what is signed; the other actions stay at the top.
SIGNING_ACTIONS = ("sign", "decline")


def render_document(
    request: HttpRequest,
    document: Document,
    *,
    bound: dict[str, forms.Form] | None = None,
    panel: ChecklistPanel | None = None,
    status: int = 200,
) -> HttpResponse:
    if user_context(request.user).is_agency:
        # The agency's staff get the page built for deciding (portal.views.review).
        posted = request.POST if bound and request.method == "POST" else None
        return render_review(request, document, posted=posted, panel=panel, status=status)
    lang = current_lang()
    if panel is None:
        panel = checklist_panel(document, request.user, lang)
    definition = get_type(document.type)
    reviews = _labelled_reviews(document, definition, lang)
    change_request = open_change_request(reviews)
    events = history(document, definition)
    reason = reason_for(document, events)
    action_forms = _action_forms(request, document, bound)
    sections = _answer_sections(definition, document, change_request, action_forms, lang)
    editable = editable_by(document, request.user)
    role_names = {
        order: signatory.role_name.get(lang)
        for order, signatory in definition.signatories_in_order(document.form_version)
    }
    context = {
        **annex_context(document, request.user, back="document", lang=lang),
        "document": document,
        "checklist": panel,
        "similar": review_similar(document, request.user, lang),
        "definition": definition,
        "type_name": definition.name.get(lang),
        "sections": sections,
        "signatures": [
            (signature, role_names.get(signature.order, signature.role))
            for signature in document.signatures.all()
            if signature.active
        ],
        "reviews": reviews,
        "change_request": change_request,
        "reason": reason,
        "reason_box_id": "change-request" if reason and reason.kind == "returned" else "reason",
        "events": events,
        "action_forms": [e for e in action_forms if e["name"] not in SIGNING_ACTIONS],
        "signing_forms": {e["name"]: e for e in action_forms if e["name"] in SIGNING_ACTIONS},
        "signing_role": signing_role(document, request.user),
        "summary": summary(definition, document.data, lang),
        "changes_since": changes_since(document, request.user),
        "steps": progress(document),
        "what_next": what_next(document, request.user),
        "editable": editable,
        "missing": missing_required(definition, document.data, document.form_version)
        if editable
        else {},
    }
    return render(request, "portal/document_detail.html", context, status=status)


def _labelled_reviews(document: Document, definition: DocumentType, lang: str) -> list:
    """The document's reviews, each field comment under the label a person reads."""
    reviews = reviews_of(document)
    for review in reviews:
        review.labelled_comments = [
            (comment_label(definition, key, lang), text)
            for key, text in (review.field_comments or {}).items()
        ]
    return reviews


def _action_forms(request: HttpRequest, document: Document, bound) -> list[dict]:
    entries = []
    for action in allowed_actions(document, request.user):
        spec = ACTIONS[action]
        form = (bound or {}).get(action) or action_form(action, document, request.user)
        entries.append({"name": action, "spec": spec, "form": form})
    return entries


def _answer_sections(definition, document: Document, change_request, action_forms, lang: str):
    """The answers by section, with the agency's comments, and a reviewer's comment inputs."""
    sections = answers(
        definition,
        document.data,
        lang,
        field_comments=change_request.field_comments if change_request else None,
    )
    changes_form = next(
        (entry["form"] for entry in action_forms if entry["name"] == "request-changes"), None
    )
    if changes_form is not None:
        for section in sections:
            for answer in section.answers:
                answer.comment_input = changes_form[FIELD_COMMENT_PREFIX + answer.key]
    return sections
