"""The pages people use in a browser: the dashboard, projects, a document's page, its form and
its actions. Server-rendered, light, and working without JavaScript.

Views stay thin: they read through the selectors, write through the same services as the API,
and turn a service's refusal (a ``WorkflowError``) into a message on the page, re-rendered with
what the person typed — never a 500. Only GET renders; every change is a POST. Where htmx is
loaded, the document lists and the edit form's tables ask for just their part of the page
(``approvals.htmx``); the answer is the same part of the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import selectors
from approvals.actions import perform
from approvals.htmx import answers_htmx, wants_part
from approvals.models import Decision, Review
from forms_templates.definitions import DocumentType, current_lang
from forms_templates.forms import (
    DocumentDataForm,
    ItemView,
    SectionView,
    answers,
    comment_label,
    comments_by_item,
)
from forms_templates.registry import all_types, get_type
from forms_templates.validation import missing_required
from workflow.exceptions import Invalid, NotFound, WorkflowError
from workflow.lifecycle import allowed_actions
from workflow.models import (
    EDITABLE_STATUSES,
    QUEUE_STATUSES,
    AuditEvent,
    Document,
    Institution,
    Project,
    Stage,
    Status,
)
from workflow.roles import user_context
from workflow.selectors import visible_documents, visible_projects
from workflow.services import (
    document_create,
    document_update,
    project_create,
)

PAGE_SIZE = 25
INBOX_LIMIT = 100
DASHBOARD_PROJECTS = 10


def _page(request: HttpRequest, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _document_or_404(user, pk) -> Document:
    document = selectors.with_related(visible_documents(user).filter(pk=pk)).first()
    if document is None:
        raise Http404(_("No such document."))
    return document


def _refused(request: HttpRequest, exc: WorkflowError, *, details: bool = False) -> int:
    """Show a service's refusal as a message (with each of its errors when no form shows them
    next to an input); the HTTP status to re-render the page with."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    messages.error(request, exc.message)
    if details:
        for message in _flatten(exc.errors or {}):
            messages.error(request, message)
    return exc.status_code


# --- Forms: they render and carry input; the services decide what is valid -----------------------


class NewProjectForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Project name"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "required": True}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"maxlength": 5000, "rows": 3}),
    )


class NewDocumentForm(forms.Form):
    type = forms.CharField(label=gettext_lazy("Document type"), required=False)
    project = forms.CharField(label=gettext_lazy("Project"), required=False)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 300, "required": True}),
    )

    def __init__(self, *args, types: list[DocumentType], projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["type"].widget = forms.Select(
            choices=[(d.key, d.name.get(lang)) for d in types]
        )
        self.fields["project"].widget = forms.Select(
            choices=[("", _("— none (e-mail account requests) —"))]
            + [(str(p.pk), p.name) for p in projects]
        )


def _creatable_types(user) -> list[DocumentType]:
    """The types to offer: project documents to officers, the others to any institution staff.
    (The service decides; this only keeps the list to what can succeed for this person.)"""
    ctx = user_context(user)
    if not ctx.is_institution_staff:
        return []
    return [d for d in all_types().values() if ctx.is_officer or not d.needs_project]


def _open_projects(user) -> list[Project]:
    return list(visible_projects(user).exclude(stage=Stage.COMPLETED).order_by("name"))


def _new_document_form(request, *, data=None, project: Project | None = None):
    initial = {"project": str(project.pk)} if project is not None else None
    return NewDocumentForm(
        data,
        initial=initial,
        types=_creatable_types(request.user),
        projects=_open_projects(request.user),
    )


class EmptyForm(forms.Form):
    pass


class SignForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy("Signing asks for your password again, to be sure it is you."),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "required": True}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000, "required": True}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 5000}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 5000}),
    )


FIELD_COMMENT_PREFIX = "fc-"


class RequestChangesForm(forms.Form):
    """A general comment, plus one optional comment per field — rendered next to each answer on
    the document page (inputs joined to this form by their ``form`` attribute)."""

    comment = forms.CharField(
        label=gettext_lazy("What must change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000, "required": True}),
    )

    def __init__(self, *args, definition: DocumentType, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        for item in definition.items():
            self.fields[FIELD_COMMENT_PREFIX + item.key] = forms.CharField(
                label=_("Comment on “%(field)s”") % {"field": item.label.get(lang)},
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 2, "maxlength": 2000, "form": "action-request-changes"}
                ),
            )

    def field_comments(self) -> dict[str, str]:
        return {
            name[len(FIELD_COMMENT_PREFIX) :]: value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(FIELD_COMMENT_PREFIX) and value.strip()
        }

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, value in (errors or {}).items():
            if key == "field_comments" and isinstance(value, dict):
                for field_key, field_messages in value.items():
                    name = FIELD_COMMENT_PREFIX + field_key.split("[", 1)[0]
                    self.add_error(name if name in self.fields else None, field_messages)
            else:
                self.add_error(key if key in self.fields else None, value)


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    done: Any
    form: Callable[..., forms.Form]
    style: str = ""
    # The form's answers as the action's fields (approvals.actions takes the same as the API).
    fields: Callable[[forms.Form], dict[str, Any]] = lambda form: form.cleaned_data


def _form_of(form_class):
    return lambda document, data=None: form_class(data, prefix=None)


ACTIONS: dict[str, ActionSpec] = {
    "request-signatures": ActionSpec(
        gettext_lazy("Send for signature"),
        gettext_lazy("Sent for signature."),
        _form_of(EmptyForm),
    ),
    "sign": ActionSpec(
        gettext_lazy("Sign"),
        gettext_lazy("You have signed the document."),
        _form_of(SignForm),
    ),
    "decline": ActionSpec(
        gettext_lazy("Decline to sign"),
        gettext_lazy("You declined to sign; the document is back with its author."),
        _form_of(ReasonForm),
        "danger",
    ),
    "submit": ActionSpec(
        gettext_lazy("Submit to the agency"),
        gettext_lazy("Submitted to the e-Government Agency."),
        _form_of(EmptyForm),
    ),
    "withdraw": ActionSpec(
        gettext_lazy("Withdraw"),
        gettext_lazy("The document was withdrawn."),
        _form_of(OptionalReasonForm),
        "danger",
    ),
    "claim": ActionSpec(
        gettext_lazy("Claim for review"),
        gettext_lazy("The document is yours to review."),
        _form_of(EmptyForm),
    ),
    "release": ActionSpec(
        gettext_lazy("Release to the queue"),
        gettext_lazy("The document is back in the queue."),
        _form_of(EmptyForm),
        "secondary",
    ),
    "approve": ActionSpec(
        gettext_lazy("Approve"),
        gettext_lazy("The document is approved."),
        _form_of(CommentForm),
    ),
    "reject": ActionSpec(
        gettext_lazy("Reject"),
        gettext_lazy("The document is rejected."),
        _form_of(ReasonForm),
        "danger",
    ),
    "request-changes": ActionSpec(
        gettext_lazy("Request changes"),
        gettext_lazy("The document is returned to its author with your comments."),
        lambda document, data=None: RequestChangesForm(data, definition=get_type(document.type)),
        "secondary",
        lambda form: {
            "comment": form.cleaned_data["comment"],
            "field_comments": form.field_comments(),
        },
    ),
}


def _editable_by(document: Document, user) -> bool:
    # Whether to offer the form; document_update enforces the same rule on save.
    return document.status in EDITABLE_STATUSES and document.author_id == user.pk


def _open_change_request(reviews: list[Review]) -> Review | None:
    """The latest review, when it returned the document: its per-field comments are current."""
    if reviews and reviews[-1].decision == Decision.CHANGES_REQUESTED:
        return reviews[-1]
    return None


# --- Dashboard ---------------------------------------------------------------------------------


@answers_htmx
@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    ctx = user_context(request.user)
    if ctx.is_reviewer:
        return _review_queue(request)
    context: dict[str, Any] = {"ctx": ctx, "statuses": Status.choices}
    if not ctx.is_institution_staff:
        return render(request, "approvals/dashboard.html", context)
    filters = {
        "status": request.GET.get("status", ""),
        "type": request.GET.get("type", ""),
    }
    status = 200
    try:
        documents = selectors.document_list(request.user, filters=filters)
    except WorkflowError as exc:
        status = _refused(request, exc, details=True)
        documents = Document.objects.none()
    context.update(page=_page(request, documents), filters=filters)
    if wants_part(request):
        # Only the list under the filters: no inbox, no projects, no forms to query for.
        context["htmx_part"] = True
        return render(request, "approvals/_dashboard_results.html", context, status=status)
    projects = list(
        visible_projects(request.user).order_by("-created_at")[: DASHBOARD_PROJECTS + 1]
    )
    context.update(
        inbox=list(selectors.signature_inbox(request.user)[:INBOX_LIMIT]),
        types=[(key, d.name.get(current_lang())) for key, d in all_types().items()],
        projects=projects[:DASHBOARD_PROJECTS],
        more_projects=len(projects) > DASHBOARD_PROJECTS,
        new_project_form=NewProjectForm() if ctx.is_officer else None,
        new_document_form=_new_document_form(request) if _creatable_types(request.user) else None,
    )
    return render(request, "approvals/dashboard.html", context, status=status)


def _review_queue(request: HttpRequest) -> HttpResponse:
    filters = {
        name: request.GET.get(name, "") for name in ("type", "institution", "status", "assignee")
    }
    status = 200
    try:
        documents = selectors.review_queue(request.user, filters=filters)
    except WorkflowError as exc:
        status = _refused(request, exc, details=True)
        documents = Document.objects.none()
    page = _page(request, documents)
    for document in page.object_list:
        document.can_claim = "claim" in allowed_actions(document, request.user)
    context: dict[str, Any] = {"page": page, "filters": filters}
    if wants_part(request):
        context["htmx_part"] = True
        return render(request, "approvals/_queue_results.html", context, status=status)
    context.update(
        types=[(key, d.name.get(current_lang())) for key, d in all_types().items()],
        institutions=[
            (i.code, i.name(current_lang())) for i in Institution.objects.filter(is_agency=False)
        ],
        queue_statuses=[(s.value, s.label) for s in QUEUE_STATUSES],
    )
    return render(request, "approvals/review_queue.html", context, status=status)


# --- Projects ----------------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = visible_projects(request.user).select_related("institution").order_by("-created_at")
    return render(request, "approvals/project_list.html", {"page": _page(request, projects)})


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
                by=request.user,
            )
        except WorkflowError as exc:
            status = _refused(request, exc)
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Project “%(name)s” created.") % {"name": project.name})
            return redirect("web:project", pk=project.pk)
    return render(request, "approvals/project_new.html", {"form": form}, status=status)


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
        "new_document_form": _new_document_form(request, project=project)
        if user_context(request.user).is_officer and project.stage != Stage.COMPLETED
        else None,
    }
    return render(request, "approvals/project_detail.html", context)


# --- Documents ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    project = None
    if request.method == "GET" and request.GET.get("project"):
        project_id = _uuid_or_none(request.GET["project"])
        project = visible_projects(request.user).filter(pk=project_id).first()
    form = _new_document_form(
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
            status = _refused(request, exc)
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Document created: fill in the form."))
            return redirect("web:document-edit", pk=document.pk)
    return render(request, "approvals/document_new.html", {"form": form}, status=status)


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@login_required
@require_GET
def document_detail(request: HttpRequest, pk) -> HttpResponse:
    return _render_document(request, _document_or_404(request.user, pk))


def _render_document(
    request: HttpRequest,
    document: Document,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
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
    return render(request, "approvals/document_detail.html", context, status=status)


@answers_htmx
@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk) -> HttpResponse:
    document = _document_or_404(request.user, pk)
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
                status = _refused(request, exc)
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
    return render(request, "approvals/document_edit.html", context, status=status)


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


@login_required
@require_POST
def document_action(request: HttpRequest, pk, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("No such action."))
    document = _document_or_404(request.user, pk)
    form = spec.form(document, request.POST)
    form.is_valid()  # every input is optional text: the service says what is wrong
    try:
        perform(action, document_id=document.pk, by=request.user, fields=spec.fields(form))
    except WorkflowError as exc:
        status = _refused(request, exc)
        if isinstance(exc, Invalid):
            _errors_onto(form, exc)
        document = _document_or_404(request.user, pk)
        return _render_document(request, document, bound={action: form}, status=status)
    messages.success(request, str(spec.done))
    return redirect(reverse("web:document", kwargs={"pk": document.pk}))


def _errors_onto(form: forms.Form, exc: WorkflowError) -> None:
    """A service's field errors next to the form's inputs (the rest above the form)."""
    if hasattr(form, "add_service_errors"):
        form.add_service_errors(exc.errors)
        return
    for key, value in (exc.errors or {}).items():
        form.add_error(key if key in form.fields else None, _flatten(value))


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(m) for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [str(m) for m in value]
    return [str(value)]
