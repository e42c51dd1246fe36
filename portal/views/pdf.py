"""The PDF from the document page: ``/documents/<id>/pdf/?lang=sw|en``.

The file is the API's (``approvals.pdf_api.DocumentPdf``, called here with the browser's
session: the same visibility, the same sealed file, the same preview, the same work queued).
Where the API answers 202 — a worker is still rendering or sealing — the browser gets a page
that says so and, where htmx runs, asks again by itself every few seconds (only its status
part, polled; without JavaScript a link asks again — no ``<meta http-equiv="refresh">``: a page
that reloads itself on a timer fails WCAG 2.2.1, and axe-core calls it critical); once the file
is there, its download link.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from approvals.pdf_api import RETRY_AFTER_SECONDS, DocumentPdf
from portal.htmx import answers_htmx, wants_part
from portal.views.common import document_or_404

LANGUAGES = {"sw": "Kiswahili", "en": "English"}


@answers_htmx
@login_required
@require_GET
def document_pdf(request: HttpRequest, pk) -> HttpResponse:
    document = document_or_404(request.user, pk)
    lang = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else "sw"
    waited = request.GET.get("waited") == "1"
    response = DocumentPdf.as_view()(request, pk=str(document.pk))
    context = {
        "document": document,
        "lang": lang,
        "language": LANGUAGES[lang],
        "refresh": RETRY_AFTER_SECONDS,
    }
    template = "portal/_pdf_status.html" if wants_part(request) else "portal/document_pdf.html"
    if response.status_code == 202:
        return render(request, template, {**context, "ready": False})
    if response.status_code == 200 and (waited or wants_part(request)):
        # Downloaded after waiting: a page with the link, not a file that leaves the
        # "being prepared" page showing after it has gone.
        # The file it would have streamed is closed here; response.close() would also send
        # request_finished, which closes the request's database connection mid-request.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
        return render(request, template, {**context, "ready": True})
    if response.status_code >= 400:
        detail = getattr(response, "data", {}) or {}
        context["problem"] = detail.get("detail") if isinstance(detail, dict) else ""
        return render(
            request,
            "portal/document_pdf.html",
            {**context, "ready": False},
            status=response.status_code,
        )
    return response
