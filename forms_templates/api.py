"""Word downloads of the API: the response and the negotiation every one of them shares."""

from __future__ import annotations

from django.http import HttpResponse

from forms_templates.docx import DOCX_CONTENT_TYPE


def docx_response(content: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=3600"
    return response


class DocxDownloadMixin:
    """A Word download: errors are still JSON whatever the client's Accept header says."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)
