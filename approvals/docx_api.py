"""A document as Word: the filled export, and the import of a filled template."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.views import APIView

from approvals.api import _detail, _visible
from approvals.docx_export import document_word_file
from approvals.serializers import DocumentDetailSerializer
from config.api.uploads import limit_upload, uploaded_bytes
from forms_templates.api import DocxDownloadMixin, docx_response
from forms_templates.docx import DOCX_CONTENT_TYPE
from workflow.services import document_check_editable, document_import_docx


class DocumentDocx(DocxDownloadMixin, APIView):
    """The document filled in, as Word, with its reference, version and status."""

    @extend_schema(
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The document filled in, as Word"
            )
        }
    )
    def get(self, request, pk: str):
        word = document_word_file(_visible(request, pk))
        return docx_response(word.content, word.filename, private=True)


class DocumentImportDocx(APIView):
    """Replace a draft's data with the answers of a filled Word template (multipart ``file``);
    answers like PATCH. 413 over the upload limit; 400 ``file`` for a file that is not a usable
    template, 400 ``data`` for invalid answers."""

    parser_classes = [MultiPartParser]

    def initial(self, request, *args, **kwargs):
        # Before authentication: session authentication's CSRF check already reads the body.
        limit_upload(request, max_bytes=settings.UPLOAD_MAX_BYTES)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses=DocumentDetailSerializer,
    )
    def post(self, request, pk: str):
        # Who may and whether it may be edited now, before the body is parsed.
        document_check_editable(document_id=pk, by=request.user)
        content = uploaded_bytes(request, field="file")
        document = document_import_docx(document_id=pk, by=request.user, content=content)
        return _detail(request, document)
