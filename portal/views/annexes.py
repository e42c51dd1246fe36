"""A document's annexes in the pages: ``/documents/<id>/annexes/`` lists them with the upload
form (a multipart POST of ``file`` and ``kind``, no JavaScript needed), and each is removed with
a POST to ``…/annexes/<annex>/remove/``. The task list and the document page show the same list
and form (``portal/_annexes.html``) posting here.

The upload has the API's guards, in the same order (as the Word upload page): nothing reads the
body before the counting upload handler is in place (413 over the limit), so the CSRF check runs
here, after it; then who may add one now (404/409/403, the limit of annexes) before the file is
read; then :func:`workflow.attachments.services.attachment_add` checks the file itself. A refusal
re-renders this page with the reason beside the input and in the error summary, in the person's
language, and nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal.annexes import annex_rows, kind_choices, required_annexes
from portal.forms_sections import ErrorLink
from portal.views.common import (
    document_or_404,
    editable_by,
    guard_upload,
    read_upload,
    refused,
)
from workflow.attachments.services import (
    attachment_add,
    attachment_check_addable,
    attachment_remove,
)
from workflow.exceptions import Invalid, TooLarge, WorkflowError
from workflow.models import Document

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Where to go back to after an upload or a removal: a fixed choice, never a posted address.
BACK_TO = {
    "edit": ("web:document-edit", "#annexes"),
    "document": ("web:document", "#annexes"),
    "check": ("web:document-check", "#annexes"),
    "annexes": ("web:document-annexes", ""),
}


def _back(request: HttpRequest, document: Document) -> HttpResponse:
    name, anchor = BACK_TO.get(request.POST.get("next", ""), BACK_TO["annexes"])
    return redirect(reverse(name, kwargs={"pk": document.pk}) + anchor)


def _one(request: HttpRequest, name: str, message: str) -> str | None:
    values = request.POST.getlist(name) if name == "kind" else request.FILES.getlist(name)
    if len(values) > 1:
        raise Invalid(_("Send one only."), errors={name: [_("Send one only.")]})
    if not values:
        raise Invalid(message, errors={name: [message]})
    return values[0]


def _add(request: HttpRequest, document: Document) -> None:
    attachment_check_addable(document_id=document.pk, by=request.user)
    kind = _one(request, "kind", _("Choose what the annex is."))
    upload = _one(request, "file", _("Choose the file to attach."))
    content, name = read_upload(upload)
    row = attachment_add(
        document_id=document.pk, by=request.user, kind=kind, name=name, content=content
    )
    messages.success(request, _("Attached: %(name)s.") % {"name": row.name})


@csrf_exempt  # checked in the view, once the upload handler that counts the bytes is in place
@login_required
@require_http_methods(["GET", "POST"])
def annexes_page(request: HttpRequest, pk) -> HttpResponse:
    if request.method == "POST":
        try:
            csrf_refused = guard_upload(request, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except TooLarge as exc:
            document = document_or_404(request.user, pk)
            return _page(request, document, exc, status=exc.status_code)
        if csrf_refused is not None:
            return csrf_refused
    document = document_or_404(request.user, pk)
    if request.method == "GET":
        return _page(request, document)
    try:
        _add(request, document)
    except (Invalid, TooLarge) as exc:
        # Shown beside the input and in the error summary (not a banner as well).
        return _page(request, document, exc, status=exc.status_code)
    except WorkflowError as exc:
        refused(request, exc)
        return redirect("web:document", pk=document.pk)
    return _back(request, document)


@login_required
@require_POST
def annex_remove(request: HttpRequest, pk, aid) -> HttpResponse:
    document = document_or_404(request.user, pk)
    try:
        attachment_remove(document_id=document.pk, attachment_id=aid, by=request.user)
    except WorkflowError as exc:
        refused(request, exc)
        return redirect("web:document", pk=document.pk)
    messages.success(request, _("The annex is removed."))
    return _back(request, document)


def annex_context(document: Document, user: User, *, back: str, lang: str) -> dict:
    """What ``portal/_annexes.html`` shows: the rows, the required kinds, and the form's
    choices when this person may change the annexes now."""
    definition = get_type(document.type)
    rows = annex_rows(document, lang)
    return {
        "annexes": rows,
        "required_annexes": required_annexes(definition, rows, lang),
        "annex_kinds": kind_choices(definition, lang) if editable_by(document, user) else [],
        "annex_back": back,
        "annex_limit_mb": f"{settings.ATTACHMENT_MAX_BYTES / (1024 * 1024):.0f}",
    }


def _page(
    request: HttpRequest,
    document: Document,
    exc: WorkflowError | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    lang = current_lang()
    errors = (exc.errors or {}) if exc is not None else {}
    file_errors = [str(m) for m in errors.get("file", [])]
    kind_errors = [str(m) for m in errors.get("kind", [])]
    if exc is not None and not file_errors and not kind_errors:
        file_errors = [exc.message]
    links = [ErrorLink("#id_annex_kind", m) for m in kind_errors] + [
        ErrorLink("#id_annex_file", m) for m in file_errors
    ]
    context = {
        "document": document,
        "type_name": get_type(document.type).name.get(lang),
        "error_links": links,
        "file_errors": file_errors,
        "kind_errors": kind_errors,
        "chosen_kind": request.POST.get("kind", "") if request.method == "POST" else "",
        **annex_context(document, request.user, back="annexes", lang=lang),
    }
    return render(request, "portal/document_annexes.html", context, status=status)
