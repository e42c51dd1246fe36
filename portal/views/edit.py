"""The document's form: its task list (``/documents/<id>/edit/``), and the whole form on one page
(``?all=1``; its POST to the same address is the whole form's save, and works without the task
list's pages). Each section's own page is portal.views.section; a save is
:func:`portal.services.draft_save` either way, so a draft always saves what it can and keeps the
rest, as typed, with its errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from forms_templates.answers import comments_by_item
from forms_templates.definitions import current_lang
from forms_templates.forms import DocumentDataForm, ItemView, SectionView
from forms_templates.registry import get_type
from forms_templates.validation import validate_data
from portal import dates
from portal.forms_sections import ErrorLink, bound_form, error_links, place_errors, posted
from portal.htmx import answers_htmx, wants_part
from portal.selectors import FormState, form_state
from portal.services import DraftSaved, draft_save
from portal.tasklist import COMPLETE, ready_to_send, tasks_of
from portal.views.annexes import annex_context
from portal.views.common import (
    document_or_404,
    editable_by,
    open_change_request,
    refused,
    reviews_of,
)
from workflow.exceptions import Conflict, WorkflowError
from workflow.models import Document


def not_editable(request: HttpRequest, document: Document) -> HttpResponse | None:
    """Back to the document page, with why, when the form is not this person's to fill now."""
    if editable_by(document, request.user):
        return None
    messages.info(
        request,
        _(
            "Only the author can edit a document, and only as a draft or when changes are "
            "requested."
        ),
    )
    return redirect("web:document", pk=document.pk)


def saved_message(request: HttpRequest, saved: DraftSaved) -> None:
    """ "Imehifadhiwa saa 10:42", and how many answers were kept with a problem."""
    at = dates.clock(saved.draft.saved_at)
    problems = len(saved.errors) + len(saved.title_errors)
    if not problems:
        messages.success(request, _("Saved at %(time)s.") % {"time": at})
        return
    messages.warning(
        request,
        ngettext(
            "Saved at %(time)s. %(count)d answer has a problem: it is kept as you typed it; "
            "correct it before sending for signature.",
            "Saved at %(time)s. %(count)d answers have problems: they are kept as you typed "
            "them; correct them before sending for signature.",
            problems,
        )
        % {"time": at, "count": problems},
    )


@answers_htmx
@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    refusal = not_editable(request, document)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        return _whole_form_post(request, document)
    state = form_state(document)
    if request.GET.get("all"):
        definition = get_type(document.type)
        form = bound_form(
            definition,
            lang=current_lang(),
            values=state.values,
            title=document.title,
            errors=validate_data(definition, state.kept) if state.kept else {},
        )
        return _whole_form_page(request, document, form, state.revision)
    return _task_list(request, document, state)


def _task_list(request: HttpRequest, document: Document, state: FormState) -> HttpResponse:
    definition = get_type(document.type)
    lang = current_lang()
    tasks = tasks_of(document, state, lang)
    annexes = annex_context(document, request.user, back="edit", lang=lang)
    reviews = reviews_of(document)
    context = {
        **annexes,
        "error_links": [
            ErrorLink(f"{_section_url(document, problem.section)}#{problem.anchor}", problem.text)
            for task in tasks
            for problem in task.problems
        ],
        "document": document,
        "type_name": definition.name.get(lang),
        "instructions": definition.instructions.get(lang) if definition.instructions else "",
        "tasks": tasks,
        "completed": sum(1 for task in tasks if task.status == COMPLETE),
        "ready": ready_to_send(tasks)
        and all(required.attached for required in annexes["required_annexes"]),
        "state": state,
        "change_request": open_change_request(reviews),
        "new_version": document.version_frozen,
    }
    return render(request, "portal/document_tasks.html", context)


def _section_url(document: Document, key: str) -> str:
    return reverse("web:document-section", kwargs={"pk": document.pk, "section": key})


def _whole_form_post(request: HttpRequest, document: Document) -> HttpResponse:
    definition = get_type(document.type)
    lang = current_lang()
    more_rows_for = request.POST.get("more_rows") or None
    form = DocumentDataForm(
        definition, lang=lang, data=posted(request.POST), more_rows_for=more_rows_for
    )
    if more_rows_for is not None:
        return _whole_form_page(request, document, form, request.POST.get("revision", ""))
    title, data = form.to_data()
    try:
        saved = draft_save(
            document_id=document.pk,
            by=request.user,
            answers=data,
            title=title,
            section_keys=[section.key for section in definition.sections],
            base_revision=request.POST.get("revision") or None,
        )
    except Conflict as exc:
        status = refused(request, exc)
        if exc.code != "stale":
            return redirect("web:document", pk=document.pk)
        return _stale(request, document, status)
    except WorkflowError as exc:
        refused(request, exc)
        return redirect("web:document", pk=document.pk)
    saved_message(request, saved)
    place_errors(form, saved.errors, saved.title_errors)
    if saved.errors or saved.title_errors:
        return _whole_form_page(request, saved.document, form, saved.revision, status=400)
    if request.POST.get("then") == "edit":
        return redirect("web:document-edit", pk=document.pk)
    return redirect("web:document", pk=document.pk)


def _stale(request: HttpRequest, document: Document, status: int) -> HttpResponse:
    """A save from an older page: the newer answers as they are stored now, unchanged."""
    document = document_or_404(request.user, document.pk)
    state = form_state(document)
    messages.info(request, _("The answers below are the newer ones; yours were not saved."))
    form = bound_form(
        get_type(document.type), lang=current_lang(), values=state.values, title=document.title
    )
    return _whole_form_page(request, document, form, state.revision, status=status)


def _whole_form_page(
    request: HttpRequest,
    document: Document,
    form: DocumentDataForm,
    revision: str,
    *,
    status: int = 200,
) -> HttpResponse:
    definition = get_type(document.type)
    lang = current_lang()
    change_request = open_change_request(reviews_of(document))
    sections = form.sections(
        comments_by_item(definition, change_request.field_comments, lang)
        if change_request
        else None
    )
    if request.method == "POST" and wants_part(request):
        # "More rows" through htmx: that table alone, with every value as it was posted.
        table = table_item(sections, request.POST.get("more_rows") or "")
        if table is not None:
            return render(request, "forms_templates/_table_field.html", {"item": table})
    context: dict[str, Any] = {
        "document": document,
        "type_name": definition.name.get(lang),
        "instructions": definition.instructions.get(lang) if definition.instructions else "",
        "form": form,
        "sections": sections,
        "error_links": error_links(form, sections),
        "revision": revision,
        "change_request": change_request,
        "new_version": document.version_frozen,
    }
    return render(request, "portal/document_edit.html", context, status=status)


def table_item(sections: list[SectionView], key: str) -> ItemView | None:
    return next(
        (
            item
            for section in sections
            for item in section.items
            if item.is_table and item.key == key
        ),
        None,
    )
