"""The blank Word template of a document type: public, like the type itself, with the agency's
heading and emblem as configured."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.views import APIView

from forms_templates.api import DocxDownloadMixin, docx_response
from forms_templates.docx import DOCX_CONTENT_TYPE, build_template
from forms_templates.registry import get_type
from workflow.agency import current_agency


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
            build_template(definition, current_agency()),
            f"idhini-{definition.key}-template.docx",
            private=False,
        )
