"""Public verification API (no login): by code, by uploading the PDF, and the seal certificate.

No authentication classes, so a stale or bad token never turns a public check into a 401; rate
limited per client address with the ``verify`` rate.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from approvals import verification
from approvals.pdf_api import JSONForErrorsMixin, Unavailable
from workflow.exceptions import Invalid

# Multipart framing around the file itself; the file's own size is checked after parsing.
_MULTIPART_OVERHEAD = 64 * 1024


def client_address(request) -> str:
    """The address the rate limit counts against: ``REMOTE_ADDR``, or, with
    ``REST_FRAMEWORK["NUM_PROXIES"]`` set (behind a reverse proxy), the address that many hops
    back in X-Forwarded-For. A client-chosen header never counts otherwise."""
    meta = request.META
    proxies = api_settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return meta.get("REMOTE_ADDR", "") or "unknown"


class VerifyRateThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_rate(self):
        # Read at request time (not import time), so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class PublicView(JSONForErrorsMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]


_SUMMARY = inline_serializer(
    "Verification",
    {
        "valid": serializers.BooleanField(),
        "reference": serializers.CharField(),
        "type": serializers.CharField(),
        "institution": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.CharField(),
        "approved_at": serializers.DateTimeField(),
        "content_hash": serializers.CharField(),
        "signatures": serializers.ListField(child=serializers.DictField()),
        "attachments": serializers.ListField(
            child=serializers.DictField(), help_text="{name, kind, kind_name, size, sha256}"
        ),
        "files": serializers.ListField(child=serializers.DictField()),
        "mailbox": serializers.DictField(
            allow_null=True,
            help_text=(
                "An approved mailbox request's mailbox, else null: {status: waiting|provisioned|"
                "refused, status_name: {sw, en}, since} (since: waiting since the approval, or "
                "when it was created or refused). Never the address, reason or who handled it."
            ),
        ),
    },
)


class VerifyCode(PublicView):
    """What the agency issued under a verification code (public, no login)."""

    @extend_schema(responses={200: _SUMMARY, 404: OpenApiResponse(description="Unknown code")})
    def get(self, request, code: str):
        document = verification.document_by_code(code)
        if document is None:
            return Response(
                {
                    "valid": False,
                    "detail": _("No document has this verification code."),
                    "code": "not_found",
                },
                status=404,
            )
        return Response(verification.verification_summary(document))


def _too_large() -> Response:
    limit_mb = settings.VERIFY_UPLOAD_MAX_BYTES / (1024 * 1024)
    return Response(
        {
            "detail": _("The file is too large: at most %(limit).0f MB.") % {"limit": limit_mb},
            "code": "too_large",
        },
        status=413,
    )


class VerifyUpload(PublicView):
    """Check a PDF: valid only when it is byte for byte a file the agency issued and its seal
    validates against the agency's certificate (public, no login)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "VerifyUpload", {"file": serializers.FileField()}
            )
        },
        responses={
            200: _SUMMARY,
            400: OpenApiResponse(description="Not a PDF, or no file."),
            413: OpenApiResponse(description="Over IDHINI_VERIFY_UPLOAD_MAX_BYTES."),
        },
    )
    def post(self, request):
        limit = settings.VERIFY_UPLOAD_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + _MULTIPART_OVERHEAD:
            # Refused before the body is read or parsed.
            return _too_large()
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(
                _("No file."),
                errors={"file": [_("Send the PDF as the multipart form field “file”.")]},
            )
        if upload.size > limit:
            return _too_large()
        data = upload.read()
        if not verification.looks_like_pdf(data):
            raise Invalid(_("Not a PDF."), errors={"file": [_("This file is not a PDF document.")]})
        return Response(verification.check_uploaded_pdf(data))


class PEMRenderer(BaseRenderer):
    media_type = "application/x-pem-file"
    format = "pem"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data).encode("utf-8")


class SealCertificate(PublicView):
    """The agency's sealing certificate (PEM), to check a seal independently."""

    renderer_classes = [PEMRenderer, JSONRenderer]

    @extend_schema(responses={(200, "application/x-pem-file"): OpenApiTypes.STR})
    def get(self, request):
        from approvals.sealing import SealError, seal_identity

        try:
            identity = seal_identity()
        except SealError as exc:
            raise Unavailable(
                _("The sealing certificate is not configured."), code="seal_unavailable"
            ) from exc
        response = HttpResponse(identity.certificate_pem, content_type=PEMRenderer.media_type)
        response["Content-Disposition"] = 'inline; filename="idhini-seal-certificate.pem"'
        response["X-Certificate-SHA256"] = identity.fingerprint
        response["Cache-Control"] = "public, max-age=3600"
        return response
