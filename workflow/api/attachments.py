"""``/api/v1/documents/{id}/attachments/``: a document's annexes — list, upload, download,
remove.

Uploads are limited before the body is read (``limit_upload``, as the Word import), and who may
add one (404 / 409 / 403, and the limit of annexes) is asked before the body is parsed. A
download is the stored file as it was checked, as an attachment, never rendered by the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.uploads import limit_upload, uploaded_file
from forms_templates.attachment_kinds import AttachmentKind, kind_label
from workflow.attachments.names import content_disposition
from workflow.attachments.selectors import (
    attachment_for_download,
    current_attachments,
)
from workflow.attachments.services import (
    attachment_add,
    attachment_check_addable,
    attachment_remove,
)
from workflow.attachments.storage import attachment_storage
from workflow.exceptions import Invalid, WorkflowError
from workflow.models import Attachment
from workflow.selectors import document_get_visible


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    kind_name = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "kind",
            "kind_name",
            "size",
            "sha256",
            "content_type",
            "uploaded_by",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_kind_name(self, attachment) -> dict[str, str]:
        return kind_label(attachment.kind).as_dict()


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, ODT, PNG or JPEG; type from content")
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)


class Unavailable(WorkflowError):
    status_code = 503
    default_code = "unavailable"


def _one_kind(request) -> str:
    kinds = request.data.getlist("kind") if hasattr(request.data, "getlist") else []
    if len(kinds) > 1:
        message = _("Send one kind only.")
        raise Invalid(message, errors={"kind": [message]})
    return kinds[0] if kinds else ""


class DocumentAttachments(generics.ListAPIView):
    """The annexes of the document's current version (GET); attach a file (POST, multipart
    ``file`` and ``kind``), only by the author of a draft or a document returned for changes."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser]

    def initial(self, request, *args, **kwargs):
        # Before authentication: session authentication's CSRF check already reads the body.
        if request.method == "POST":
            limit_upload(request, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        document = document_get_visible(document_id=self.kwargs["pk"], by=self.request.user)
        return current_attachments(document)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    def post(self, request, pk: str):
        # Who may, whether now, and whether there is room: before the body is parsed.
        attachment_check_addable(document_id=pk, by=request.user)
        kind = _one_kind(request)
        name, content = uploaded_file(request, field="file", extra_fields=frozenset({"kind"}))
        row = attachment_add(document_id=pk, by=request.user, kind=kind, name=name, content=content)
        return Response(AttachmentSerializer(row).data, status=201)


class AnyFileRenderer(BaseRenderer):
    """Lets a client ask for the file's own type; the file itself bypasses renderers."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class DocumentAttachment(APIView):
    """Download an annex (GET), or remove it (DELETE: the author, draft or changes requested)."""

    renderer_classes = [JSONRenderer, AnyFileRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Refusals are JSON whatever the Accept header asked for.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its own content type."
            )
        }
    )
    def get(self, request, pk: str, aid: str):
        row = attachment_for_download(document_id=pk, attachment_id=aid, by=request.user)
        try:
            handle = attachment_storage().open(row.storage_name, "rb")
        except OSError as exc:
            raise Unavailable(
                _("The annex is missing from storage; the administrators must restore it."),
                code="file_missing",
            ) from exc
        response = FileResponse(handle, content_type=row.content_type)
        response["Content-Disposition"] = content_disposition(row.name)
        response["Content-Length"] = str(row.size)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-cache"
        response["ETag"] = f'"{row.sha256}"'
        return response

    @extend_schema(responses={204: None})
    def delete(self, request, pk: str, aid: str):
        attachment_remove(document_id=pk, attachment_id=aid, by=request.user)
        return Response(status=204)
