"""The blank Word template of a document type: public, like the type itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.views import APIView

from forms_templates.docx import DOCX_CONTENT_TYPE, build_template
from forms_templates.registry import get_type


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


class DocumentTypeTemplate(DocxDownloadMixin, APIView):
    """The blank Word template of a document type, to fill offline and upload to a draft."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="document_types_template",
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The blank Word template to fill offline"
            )
        },
    )
    def get(self, request, key: str):
        definition = get_type(key)
        if definition is None:
            raise exceptions.NotFound(_("No such document type."))
        return docx_response(
            build_template(definition), f"idhini-{definition.key}-template.docx", private=False
        )
