"""One section of a document's form on its own page: ``/documents/<id>/edit/<section>/``.

*Hifadhi na endelea* saves the section and opens the next one (the last one goes back to the task
list). A save keeps what it cannot store, as typed, with its error (portal.services.draft_save);
the page then shows it again with an error summary at the top. Every save carries the revision
the page was shown at: a save from an older page is refused and the newer answers are shown.
With JavaScript (portal/static/portal/form.js) the section also saves itself every 30 seconds
(``autosave=1``: the answer is JSON) and warns before leaving with changes unsaved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forms_templates.answers import comments_by_item
from forms_templates.definitions import DocumentType, Section, current_lang
from forms_templates.forms import DocumentDataForm
from forms_templates.registry import get_type
from forms_templates.validation import validate_data
from portal import dates
from portal.forms_sections import (
    bound_form,
    error_links,
    place_errors,
    posted,
    section_definition,
    section_of,
    text_inputs_for_numbers,
)
from portal.htmx import answers_htmx, wants_part
from portal.section_rules import place_rules
from portal.selectors import form_state
from portal.services import DraftSaved, draft_save
from portal.similar import writing_similar
from portal.views.common import document_or_404, open_change_request, refused, reviews_of
from portal.views.edit import not_editable, saved_message, table_item
from workflow.exceptions import Conflict, WorkflowError
from workflow.models import Document
from workflow.readiness import document_broken_rules


@answers_htmx
@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk, section: str) -> HttpResponse:
    document = document_or_404(request.user, pk)
    definition = get_type(document.type)
    found = section_of(definition, section)
    if found is None:
        raise Http404(_("No such section."))
    refusal = not_editable(request, document)
    if refusal is not None:
        if request.POST.get("autosave"):
            return JsonResponse({"detail": _("The document can no longer be edited.")}, status=409)
        return refusal
    if request.method == "POST":
        return _post(request, document, definition, found)
    state = form_state(document)
    form = bound_form(
        section_definition(definition, found),
        lang=current_lang(),
        values=state.values,
        title=document.title,
        errors=validate_data(definition, state.kept) if state.kept else {},
    )
    return _page(request, document, found, form, state.revision, state.saved_at)


def _post(
    request: HttpRequest, document: Document, definition: DocumentType, section: Section
) -> HttpResponse:
    more_rows_for = request.POST.get("more_rows") or None
    form = DocumentDataForm(
        section_definition(definition, section),
        lang=current_lang(),
        data=posted(request.POST),
        more_rows_for=more_rows_for,
    )
    revision = request.POST.get("revision", "")
    if more_rows_for is not None:
        return _page(request, document, section, form, revision, None)
    autosave = request.POST.get("autosave") == "1"
    title, answers = form.to_data()
    try:
        saved = draft_save(
            document_id=document.pk,
            by=request.user,
            answers=answers,
            title=title if _is_first(definition, section) else None,
            section_keys=[section.key],
            base_revision=revision or None,
        )
    except WorkflowError as exc:
        return _refused(request, document, section, exc, autosave=autosave)
    place_errors(form, saved.errors, saved.title_errors)
    if autosave:
        return JsonResponse(_autosaved(saved))
    saved_message(request, saved)
    if saved.errors or saved.title_errors:
        # Saved (200), with the problems shown: the draft keeps what was typed.
        return _page(request, saved.document, section, form, saved.revision, saved.draft.saved_at)
    following = _next_section(definition, section)
    if request.POST.get("then") == "list" or following is None:
        return redirect("web:document-edit", pk=document.pk)
    return redirect("web:document-section", pk=document.pk, section=following.key)


def _autosaved(saved: DraftSaved) -> dict[str, Any]:
    problems = len(saved.errors) + len(saved.title_errors)
    message = _("Saved at %(time)s.") % {"time": dates.clock(saved.draft.saved_at)}
    if problems:
        message += " " + _("Some answers have problems: they are kept as you typed them.")
    return {"revision": saved.revision, "message": message, "problems": problems}


def _refused(
    request: HttpRequest,
    document: Document,
    section: Section,
    exc: WorkflowError,
    *,
    autosave: bool,
) -> HttpResponse:
    stale = isinstance(exc, Conflict) and exc.code == "stale"
    if autosave:
        detail = exc.message
        if stale:
            detail = _(
                "Not saved: these answers were saved again elsewhere after you opened the page. "
                "Copy your text, then reload the page to see the newer answers."
            )
        return JsonResponse({"detail": detail, "code": exc.code}, status=exc.status_code)
    status = refused(request, exc)
    if not stale:
        return redirect("web:document", pk=document.pk)
    # The newer answers, as stored now; what this person typed is listed, not saved.
    current = document_or_404(request.user, document.pk)
    state = form_state(current)
    definition = get_type(current.type)
    messages.info(request, _("The answers below are the newer ones; yours were not saved."))
    form = bound_form(
        section_definition(definition, section),
        lang=current_lang(),
        values=state.values,
        title=current.title,
    )
    unsaved = _unsaved(request, definition, section, form)
    return _page(request, current, section, form, state.revision, state.saved_at, status, unsaved)


def _unsaved(
    request: HttpRequest, definition: DocumentType, section: Section, newer: DocumentDataForm
) -> list[tuple[str, str]]:
    """(label, text) of each input whose posted text differs from the newer answer."""
    typed = []
    for name, field in newer.fields.items():
        posted = request.POST.get(name)
        if posted is None or (name == "title" and not _is_first(definition, section)):
            continue
        if posted.strip() != str(newer[name].value() or "").strip():
            label = field.widget.attrs.get("aria-label") or field.label
            typed.append((str(label), posted))
    return typed


def _is_first(definition: DocumentType, section: Section) -> bool:
    return definition.sections[0].key == section.key


def _next_section(definition: DocumentType, section: Section) -> Section | None:
    keys = [s.key for s in definition.sections]
    index = keys.index(section.key)
    return definition.sections[index + 1] if index + 1 < len(keys) else None


def _page(
    request: HttpRequest,
    document: Document,
    section: Section,
    form: DocumentDataForm,
    revision: str,
    saved_at,
    status: int = 200,
    unsaved: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    definition = get_type(document.type)
    lang = current_lang()
    change_request = open_change_request(reviews_of(document))
    text_inputs_for_numbers(form)
    (view,) = form.sections(
        comments_by_item(definition, change_request.field_comments, lang)
        if change_request
        else None
    )
    rule_links = place_rules(definition, form, [view], document_broken_rules(document), lang)
    if request.method == "POST" and wants_part(request):
        table = table_item([view], request.POST.get("more_rows") or "")
        if table is not None:
            return render(request, "portal/_section_table.html", {"item": table})
    keys = [s.key for s in definition.sections]
    context = {
        "document": document,
        "type_name": definition.name.get(lang),
        "section": view,
        "number": keys.index(section.key) + 1,
        "count": len(keys),
        "first": keys[0] == section.key,
        "last": keys[-1] == section.key,
        "form": form,
        "error_links": error_links(form, [view]) + rule_links,
        "revision": revision,
        "saved_at": saved_at,
        "change_request": change_request,
        "new_version": document.version_frozen,
        "unsaved": unsaved or [],
        "similar": writing_similar(document, [i.key for i in section.items], request.user, lang),
        "similar_for_officer": True,
    }
    return render(request, "portal/document_section.html", context, status=status)
