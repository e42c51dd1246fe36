"""``GET /api/v1/documents/{id}/pdf/``: the sealed PDF of an approved document, or a draft's
watermarked preview.

Approved and sealed: the stored file, as issued (ETag = its SHA-256). Approved, not yet sealed:
202 with Retry-After while a worker seals it (sealed here and now when there is no broker).
Not approved: a preview with the "RASIMU / DRAFT" watermark and no seal, kept by the hash of its
print HTML; with a worker it is rendered off the request path too (202 until ready), because a
long document takes seconds to render.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import seal_state, services
from approvals.models import SealedPdf
from approvals.printing import document_print_context, pdf_filename
from config.storage import storage_errors
from workflow.exceptions import Invalid, NotFound, WorkflowError
from workflow.models import Document, Status
from workflow.selectors import document_get_visible

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_PENDING_MARK_SECONDS = 60


class Unavailable(WorkflowError):
    status_code = 503
    default_code = "unavailable"


class PDFRenderer(BaseRenderer):
    """Lets clients ask for ``Accept: application/pdf``; the PDF itself bypasses renderers."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        return json.dumps(data).encode("utf-8")


class JSONForErrorsMixin:
    # Bodies that are not the file itself (errors, 202) are JSON whatever the Accept header.

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def requested_lang(request) -> str:
    lang = request.query_params.get("lang", "sw") or "sw"
    if lang not in SealedPdf.Language.values:
        raise Invalid(
            _("Unknown language."),
            errors={"lang": [_("The PDF is printed in “sw” (Kiswahili) or “en” (English).")]},
        )
    return lang


def _visible_document(request, pk: str) -> Document:
    return document_get_visible(
        document_id=pk, by=request.user, queryset=Document.objects.select_related("institution")
    )


def _etag_matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _pdf_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # Private documents: no shared cache; the browser revalidates with If-None-Match.
    response["Cache-Control"] = "private, no-cache"
    return response


def _pending() -> Response:
    return Response(
        {
            "detail": _("The PDF is being prepared: ask again in a few seconds."),
            "code": "pending",
        },
        status=202,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _first_request(key: str) -> bool:
    """True once per minute per key: enqueue the work once, not on every poll."""
    return cache.add(f"idhini:pdf-pending:{key}", 1, timeout=_PENDING_MARK_SECONDS)


def _seal_in_flight(document: Document, lang: str) -> bool:
    """The approval itself enqueued the Swahili seal (approvals.receivers): for its first minute
    a poll waits for that task instead of enqueuing a second render. (Past the minute, with a
    long queue, two renders may still race: the unique constraint keeps one file.)"""
    if lang != "sw" or document.approved_at is None:
        return False
    return timezone.now() - document.approved_at < timedelta(seconds=_PENDING_MARK_SECONDS)


def _eager() -> bool:
    from approvals.tasks import seal_document

    return bool(seal_document.app.conf.task_always_eager)


class DocumentPdf(JSONForErrorsMixin, APIView):
    """The document as PDF: approved, the sealed file as issued; otherwise a watermarked
    preview. ``?lang=en`` for English (Swahili by default)."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=["sw", "en"], default="sw")],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The sealed PDF (approved) or a draft preview."
            ),
            (202, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Being rendered or sealed: ask again after Retry-After seconds.",
            ),
            (304, "application/pdf"): OpenApiResponse(description="Not modified (If-None-Match)."),
        },
    )
    def get(self, request, pk: str):
        document = _visible_document(request, pk)
        lang = requested_lang(request)
        try:
            if document.status == Status.APPROVED:
                return self._sealed(request, document, lang)
            return self._preview(request, document, lang)
        except storage_errors() as exc:
            # The disk or the object store is away (a missing sealed file is answered above).
            logger.exception("The file storage failed for document %s", document.pk)
            raise Unavailable(
                _("The file store cannot be reached just now; try again later."),
                code="storage_unavailable",
            ) from exc

    def _sealed(self, request, document: Document, lang: str):
        from approvals.sealing import SealError
        from approvals.tasks import enqueue_seal
        from forms_templates.printing import RenderError

        sealed = SealedPdf.objects.filter(document=document, lang=lang).first()
        if sealed is None:
            if not _eager():
                if not _seal_in_flight(document, lang) and _first_request(
                    f"seal:{document.pk}:{lang}"
                ):
                    enqueue_seal(str(document.pk), lang)
                return _pending()
            if seal_state.in_flight(document.pk, lang):
                # Being sealed after the approval's response (approvals.tasks.seal_soon).
                return _pending()
            try:
                sealed = services.sealed_pdf_create(document_id=document.pk, lang=lang)
            except (RenderError, SealError, *storage_errors()) as exc:
                logger.exception("Sealing document %s (%s) failed", document.pk, lang)
                raise Unavailable(
                    _("The sealed PDF could not be made just now; try again later."),
                    code="seal_failed",
                ) from exc
            if sealed is None:  # pragma: no cover - the document was approved a moment ago
                raise NotFound(_("No such document."))
        etag = f'"{sealed.sha256}"'
        if _etag_matches(request, etag):
            return _pdf_headers(HttpResponseNotModified(), etag)
        try:
            handle = sealed.file.open("rb")
        except FileNotFoundError as exc:
            logger.error(
                "The sealed PDF %s of document %s is missing", sealed.file.name, document.pk
            )
            raise Unavailable(
                _("The sealed PDF is missing from storage; the administrators must restore it."),
                code="file_missing",
            ) from exc
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=pdf_filename(document, lang, draft=False),
        )
        return _pdf_headers(response, etag)

    def _preview(self, request, document: Document, lang: str):
        from approvals.tasks import enqueue_preview
        from forms_templates.printing import RenderError, build_html

        html = build_html(document_print_context(document, lang=lang))
        name = services.preview_pdf_name(document, html)
        etag = '"{}"'.format(name.rsplit("/", 1)[-1].removesuffix(".pdf"))
        if _etag_matches(request, etag):
            return _pdf_headers(HttpResponseNotModified(), etag)
        filename = pdf_filename(document, lang, draft=True)
        if default_storage.exists(name):
            response = FileResponse(
                default_storage.open(name, "rb"),
                content_type="application/pdf",
                as_attachment=True,
                filename=filename,
            )
            return _pdf_headers(response, etag)
        if not _eager():
            if _first_request(f"preview:{name}"):
                enqueue_preview(str(document.pk), lang)
            return _pending()
        try:
            _name, pdf = services.preview_pdf_render(document=document, lang=lang)
        except RenderError as exc:
            logger.exception("Rendering the preview of document %s failed", document.pk)
            raise Unavailable(
                _("The PDF could not be made just now; try again later."), code="render_failed"
            ) from exc
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _pdf_headers(response, etag)
