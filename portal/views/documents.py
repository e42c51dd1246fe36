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

from approvals.models import Decision, Review
from forms_templates.definitions import current_lang
from forms_templates.forms import (
    DocumentDataForm,
    ItemView,
    SectionView,
    answers,
    comment_label,
    comments_by_item,
)
from forms_templates.registry import get_type
from forms_templates.validation import missing_required
from portal.actions import ACTIONS
from portal.forms import FIELD_COMMENT_PREFIX, new_document_form
from portal.htmx import answers_htmx, wants_part
from portal.views.common import document_or_404, errors_onto, refused, uuid_or_none
from portal.views.review import render_review
from workflow.exceptions import Invalid, WorkflowError
from workflow.lifecycle import allowed_actions
from workflow.models import (
    EDITABLE_STATUSES,
    AuditEvent,
    Document,
)
from workflow.roles import user_context
from workflow.selectors import visible_projects
from workflow.services import (
    document_create,
    document_update,
)


def _editable_by(document: Document, user) -> bool:
    # Whether to offer the form; document_update enforces the same rule on save.
    return document.status in EDITABLE_STATUSES and document.author_id == user.pk


def _open_change_request(reviews: list[Review]) -> Review | None:
    """The latest review, when it returned the document: its per-field comments are current."""
    if reviews and reviews[-1].decision == Decision.CHANGES_REQUESTED:
        return reviews[-1]
    return None


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


def render_document(
    request: HttpRequest,
    document: Document,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    if user_context(request.user).is_agency:
        # The agency's staff get the page built for deciding (portal.views.review).
        posted = request.POST if bound and request.method == "POST" else None
        return render_review(request, document, posted=posted, status=status)
    lang = current_lang()
    definition = get_type(document.type)
    reviews = list(document.reviews.select_related("reviewer").order_by("created_at", "pk"))
    for review in reviews:
        review.labelled_comments = [
            (comment_label(definition, key, lang), text)
            for key, text in (review.field_comments or {}).items()
        ]
    change_request = _open_change_request(reviews)
    actions = allowed_actions(document, request.user)
    action_forms = []
    for action in actions:
        spec = ACTIONS[action]
        form = (bound or {}).get(action) or spec.form(document)
        action_forms.append({"name": action, "spec": spec, "form": form})
    changes_form = next(
        (entry["form"] for entry in action_forms if entry["name"] == "request-changes"), None
    )
    sections = answers(
        definition,
        document.data,
        lang,
        field_comments=change_request.field_comments if change_request else None,
    )
    if changes_form is not None:
        for section in sections:
            for answer in section.answers:
                answer.comment_input = changes_form[FIELD_COMMENT_PREFIX + answer.key]
    editable = _editable_by(document, request.user)
    role_names = {
        order: signatory.role_name.get(lang)
        for order, signatory in definition.signatories_in_order()
    }
    context = {
        "document": document,
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
        "events": list(AuditEvent.objects.filter(document=document).order_by("seq")),
        "action_forms": action_forms,
        "editable": editable,
        "missing": missing_required(definition, document.data) if editable else {},
    }
    return render(request, "portal/document_detail.html", context, status=status)


@answers_htmx
@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    if not _editable_by(document, request.user):
        messages.info(
            request,
            _(
                "Only the author can edit a document, and only as a draft or when changes are "
                "requested."
            ),
        )
        return redirect("web:document", pk=document.pk)
    definition = get_type(document.type)
    lang = current_lang()
    status = 200
    if request.method == "POST":
        more_rows_for = request.POST.get("more_rows") or None
        form = DocumentDataForm(
            definition, lang=lang, data=request.POST, more_rows_for=more_rows_for
        )
        if more_rows_for is None:
            title, data = form.to_data()
            try:
                document_update(
                    document_id=document.pk,
                    by=request.user,
                    title=title if title != document.title else None,
                    data=DocumentDataForm.changes(document.data, data),
                    source="web",
                )
            except WorkflowError as exc:
                status = refused(request, exc)
                if isinstance(exc, Invalid):
                    form.add_service_errors(exc.errors)
            else:
                messages.success(request, _("Saved."))
                if request.POST.get("then") == "edit":
                    return redirect("web:document-edit", pk=document.pk)
                return redirect("web:document", pk=document.pk)
    else:
        form = DocumentDataForm(
            definition, lang=lang, title=document.title, document_data=document.data
        )
    reviews = list(document.reviews.select_related("reviewer").order_by("created_at", "pk"))
    change_request = _open_change_request(reviews)
    sections = form.sections(
        comments_by_item(definition, change_request.field_comments, lang)
        if change_request
        else None
    )
    if request.method == "POST" and wants_part(request):
        # "More rows" through htmx: that table alone, with every value as it was posted.
        table = _table_item(sections, request.POST.get("more_rows") or "")
        if table is not None:
            return render(request, "forms_templates/_table_field.html", {"item": table})
    context = {
        "document": document,
        "type_name": definition.name.get(lang),
        "instructions": definition.instructions.get(lang) if definition.instructions else "",
        "form": form,
        "sections": sections,
        "change_request": change_request,
        "new_version": document.version_frozen,
    }
    return render(request, "portal/document_edit.html", context, status=status)


def _table_item(sections: list[SectionView], key: str) -> ItemView | None:
    return next(
        (
            item
            for section in sections
            for item in section.items
            if item.is_table and item.key == key
        ),
        None,
    )
