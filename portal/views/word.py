"""Word in the pages: the upload of a filled file to a draft (*Pakia faili la Word*), the page of
what it changed with *undo*, and the list of document types with their blank templates.

The upload has the API import's guards, in the same order: nothing reads the body before the
counting upload handler is in place (config.api.uploads: 413 over the limit, the file held in
memory only), so the CSRF check — which reads the form — runs here, after it, instead of in the
middleware; then who may edit it now (404/409/403) before the file is read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_templates.definitions import current_lang
from forms_templates.registry import all_types, get_type
from portal.forms import WordUploadForm
from portal.forms_sections import ErrorLink
from portal.models import WordUpload
from portal.views.common import (
    document_or_404,
    editable_by,
    guard_upload,
    read_upload,
    refused,
)
from portal.views.edit import not_editable
from portal.word import change_views, word_undo, word_upload
from workflow.exceptions import Invalid, TooLarge, WorkflowError
from workflow.models import Document


def _uploaded(request: HttpRequest) -> tuple[bytes, str]:
    """The one file of the form; 400 naming the input otherwise."""
    uploads = request.FILES.getlist("file")
    if len(uploads) != 1:
        message = _("Choose the Word file to upload.") if not uploads else _("Send one file only.")
        raise Invalid(message, errors={"file": [message]})
    return read_upload(uploads[0])


@csrf_exempt  # checked in the view, once the upload handler that counts the bytes is in place
@login_required
@require_http_methods(["GET", "POST"])
def word_page(request: HttpRequest, pk) -> HttpResponse:
    if request.method == "POST":
        try:
            csrf_refused = guard_upload(request, max_bytes=settings.UPLOAD_MAX_BYTES)
        except TooLarge as exc:
            document = document_or_404(request.user, pk)
            return _page(request, document, exc, status=refused(request, exc))
        if csrf_refused is not None:
            return csrf_refused
    document = document_or_404(request.user, pk)
    refusal = not_editable(request, document)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        return _page(request, document)
    try:
        content, filename = _uploaded(request)
        upload = word_upload(
            document_id=document.pk, by=request.user, content=content, filename=filename
        )
    except (Invalid, TooLarge) as exc:
        return _page(request, document, exc, status=refused(request, exc))
    except WorkflowError as exc:
        refused(request, exc)
        return redirect("web:document", pk=document.pk)
    return redirect("web:document-word-upload", pk=document.pk, upload=upload.pk)


def _page(
    request: HttpRequest,
    document: Document,
    exc: WorkflowError | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    form = WordUploadForm()
    data_errors: list[str] = []
    file_errors: list[str] = []
    links: list[ErrorLink] = []
    if exc is not None:
        errors = exc.errors or {}
        data_errors = [str(m) for found in (errors.get("data") or {}).values() for m in found]
        file_errors = [str(m) for m in errors.get("file", [])] or (
            [] if data_errors else [exc.message]
        )
        if data_errors:
            file_errors.append(
                _(
                    "The file has answers that are not valid (listed below): correct them in "
                    "Word and upload it again."
                )
            )
        links = [ErrorLink("#id_file", message) for message in file_errors]
        form.fields["file"].widget.attrs.update(
            {"aria-describedby": "id_file-hint id_file-error", "aria-invalid": "true"}
        )
    definition = get_type(document.type)
    context = {
        "document": document,
        "type_name": definition.name.get(current_lang()),
        "form": form,
        "error_links": links,
        "data_errors": data_errors,
        "file_errors": file_errors,
        "limit_mb": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.0f}",
    }
    return render(request, "portal/document_word.html", context, status=status)


def _upload_of(request: HttpRequest, pk, upload: int) -> tuple[Document, WordUpload]:
    document = document_or_404(request.user, pk)
    found = WordUpload.objects.filter(pk=upload, document=document).first()
    if found is None or found.uploaded_by_id != request.user.pk:
        raise Http404(_("No such upload."))
    return document, found


@login_required
@require_GET
def word_upload_done(request: HttpRequest, pk, upload: int) -> HttpResponse:
    document, found = _upload_of(request, pk, upload)
    definition = get_type(document.type)
    context = {
        "document": document,
        "type_name": definition.name.get(current_lang()),
        "upload": found,
        "changes": change_views(definition, found, current_lang()),
        "can_undo": found.undone_at is None
        and found.changes
        and document.content_hash == found.result_hash
        and editable_by(document, request.user),
    }
    return render(request, "portal/document_word_done.html", context)


@login_required
@require_POST
def word_undo_view(request: HttpRequest, pk, upload: int) -> HttpResponse:
    document, found = _upload_of(request, pk, upload)
    try:
        word_undo(upload_id=found.pk, document_id=document.pk, by=request.user)
    except WorkflowError as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("The upload is undone: the answers are as they were before it.")
        )
    return redirect("web:document-word-upload", pk=document.pk, upload=found.pk)


@login_required
@require_GET
def document_types(request: HttpRequest) -> HttpResponse:
    lang = current_lang()
    types = [
        {
            "key": definition.key,
            "name": definition.name.get(lang),
            "description": definition.description.get(lang),
            "signatories": [s.role_name.get(lang) for s in definition.signatories],
            "requires": [
                get_type(key).name.get(lang)
                for key in definition.requires_approved
                if get_type(key)
            ],
            "needs_project": definition.needs_project,
        }
        for definition in all_types().values()
    ]
    return render(request, "portal/document_types.html", {"types": types})
