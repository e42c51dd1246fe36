"""Mailbox provisioning over the API: ``GET /api/v1/mailbox-requests/`` (the mail
administrators' queue), ``GET /api/v1/documents/{id}/mailbox/`` and
``POST /api/v1/documents/{id}/mailbox/{claim|release|provision|refuse}/``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Provisioning
from approvals.provisioning import mailbox_claim, mailbox_provision, mailbox_refuse, mailbox_release
from approvals.provisioning_notice import notice_pdf
from approvals.provisioning_selectors import mailbox_actions, mailbox_of, mailbox_queue
from config.api.parsing import body_object
from forms_templates.printing.render import RenderError
from workflow.exceptions import NotFound


class MailboxSerializer(serializers.Serializer):
    document = serializers.CharField(source="document_id")
    reference = serializers.CharField(source="document.reference")
    title = serializers.CharField(source="document.title")
    institution = serializers.CharField(source="document.institution.code")
    status = serializers.ChoiceField(choices=Provisioning.choices)
    requested_address = serializers.CharField()
    address = serializers.CharField(help_text="the address created (once provisioned)")
    reason = serializers.CharField(help_text="why it was refused")
    note = serializers.CharField(help_text="the mail administrator's note to the servant")
    assignee = serializers.SerializerMethodField(help_text="the mail administrator who claimed it")
    created_at = serializers.DateTimeField(help_text="when it started waiting (the approval)")
    status_changed_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    def get_assignee(self, provisioning) -> str | None:
        return provisioning.assignee.username if provisioning.assignee_id else None

    def get_allowed_actions(self, provisioning) -> list[str]:
        return mailbox_actions(provisioning, self.context["request"].user)


class MailboxQueue(generics.ListAPIView):
    serializer_class = MailboxSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=Provisioning.values, description="default: waiting and claimed"
            ),
            OpenApiParameter("assignee", str, enum=["me", "none"]),
        ],
        description="Approved e-mail account requests, oldest approval first. Agency mail "
        "administrators only (403 for anyone else).",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return mailbox_queue(
            self.request.user, status=params.get("status", ""), assignee=params.get("assignee", "")
        )


class MailboxDetail(APIView):
    @extend_schema(responses=MailboxSerializer)
    def get(self, request, pk: str):
        provisioning = mailbox_of(document_id=pk, by=request.user)
        return Response(MailboxSerializer(provisioning, context={"request": request}).data)


class MailboxBodySerializer(serializers.Serializer):
    address = serializers.EmailField(
        required=False, help_text="provision: the address created, in the institution's domain"
    )
    note = serializers.CharField(required=False, help_text="provision: a note for the servant")
    reason = serializers.CharField(required=False, help_text="refuse: why (required)")


# action -> (service, allowed body keys, required body keys)
ACTIONS = {
    "claim": (mailbox_claim, set(), set()),
    "release": (mailbox_release, set(), set()),
    "provision": (mailbox_provision, {"address", "note"}, {"address"}),
    "refuse": (mailbox_refuse, {"reason"}, {"reason"}),
}


class MailboxAction(APIView):
    @extend_schema(
        request=MailboxBodySerializer,
        responses=MailboxSerializer,
        parameters=[
            OpenApiParameter(
                "action",
                str,
                OpenApiParameter.PATH,
                enum=["claim", "release", "provision", "refuse"],
            )
        ],
        description="claim (waiting -> claimed, any mail administrator; a second claim is 409), "
        "release (claimed -> waiting), provision `{address, note?}` (claimed -> provisioned) and "
        "refuse `{reason}` (claimed -> refused): the last three only by the one who claimed it. "
        "No password is ever accepted or sent: the servant is told the address and how to sign "
        "in for the first time.",
    )
    def post(self, request, pk: str, action: str):
        if action not in ACTIONS:
            raise NotFound(f"No such action: {action}")
        service, allowed, required = ACTIONS[action]
        body = body_object(request, allowed=allowed, required=required)
        provisioning = service(document_id=pk, by=request.user, **body)
        provisioning = mailbox_of(document_id=pk, by=request.user)
        return Response(MailboxSerializer(provisioning, context={"request": request}).data)


def notice_response(provisioning, lang: str) -> HttpResponse:
    """The notice PDF (approvals.provisioning_notice), inline, named after the request."""
    lang = lang if lang in ("sw", "en") else "sw"
    try:
        pdf = notice_pdf(provisioning, lang)
    except RenderError:
        return HttpResponse(_("The notice could not be prepared: try again."), status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = (provisioning.document.reference or "mailbox").replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}-mailbox-{lang}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


class MailboxNotice(APIView):
    @extend_schema(
        operation_id="documents_mailbox_notice",
        parameters=[OpenApiParameter("lang", str, enum=["sw", "en"])],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The mailbox notice: the request's reference and verification code, the "
        "state, the address created or the reason. A separate PDF: the sealed PDF of the "
        "approved request never changes.",
    )
    def get(self, request, pk: str):
        provisioning = mailbox_of(document_id=pk, by=request.user)
        return notice_response(provisioning, request.query_params.get("lang", "sw"))
