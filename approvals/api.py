"""The documents API: create, read, edit, every lifecycle action, history, queue and inbox."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors
from approvals.actions import ACTIONS, BodyField, perform
from approvals.delegation import with_acting
from approvals.detail_rows import detail_document, visible_detail_document
from approvals.serializers import (
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentPatchSerializer,
    DocumentSerializer,
)
from config.api.parsing import body_object
from config.api.throttles import ScopedRateThrottleNow
from forms_templates.registry import get_type
from workflow.api.serializers import AuditEventSerializer
from workflow.api.type_schema import NotReadySerializer
from workflow.exceptions import Invalid, NotFound
from workflow.models import AuditEvent, Document
from workflow.selectors import document_get_visible
from workflow.services import document_create, document_update


def _filters(request, names: tuple[str, ...]) -> dict[str, str]:
    filters = {name: request.query_params.get(name, "") for name in names}
    if filters.get("type") and get_type(filters["type"]) is None:
        raise Invalid(
            _("Unknown document type."),
            errors={"type": [_("Unknown document type “%(type)s”.") % {"type": filters["type"]}]},
        )
    return filters


def _detail(request, document: Document, status: int = 200) -> Response:
    """The detail of ``document`` as stored now (read again: the answer a GET gives)."""
    stored = detail_document(document_id=document.pk, by=request.user)
    if stored is None:  # deleted since: never by a transition, which holds the row
        raise NotFound(_("No such document."))
    document = selectors.with_signatures([stored])[0]
    return Response(
        DocumentDetailSerializer(document, context={"request": request}).data, status=status
    )


class _DocumentPages(generics.ListAPIView):
    """A list of documents, a page at a time: ``rows`` are the documents as filtered and
    ordered; the page adds what the representation reads, the COUNT counts the rows alone
    (config.api.pagination)."""

    serializer_class = DocumentSerializer

    def rows(self) -> QuerySet[Document]:
        raise NotImplementedError

    def get_queryset(self):
        self.counted_queryset = self.rows()
        return selectors.for_api(self.counted_queryset)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_signatures(list(page))


class DocumentList(_DocumentPages):
    @extend_schema(
        parameters=[
            OpenApiParameter("type", str),
            OpenApiParameter("status", str),
            OpenApiParameter("project", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self):
        return selectors.document_list(
            self.request.user, filters=_filters(self.request, ("type", "status", "project"))
        )

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentDetailSerializer})
    def post(self, request):
        body = body_object(
            request, allowed={"type", "project", "title"}, required={"type", "title"}
        )
        document = document_create(
            type=body["type"], title=body["title"], project_id=body.get("project"), by=request.user
        )
        return _detail(request, document, status=201)


class DocumentDetail(APIView):
    @extend_schema(responses=DocumentDetailSerializer)
    def get(self, request, pk: str):
        document = visible_detail_document(document_id=pk, by=request.user)
        document = selectors.with_signatures([document])[0]
        return Response(DocumentDetailSerializer(document, context={"request": request}).data)

    @extend_schema(request=DocumentPatchSerializer, responses=DocumentDetailSerializer)
    def patch(self, request, pk: str):
        body = body_object(request, allowed={"title", "data"})
        nulls = {
            key: [_("May not be null.")]
            for key in ("title", "data")
            if key in body and body[key] is None
        }
        if nulls:
            raise Invalid(_("Invalid request."), errors=nulls)
        if "title" not in body and "data" not in body:
            raise Invalid(
                _("Nothing to change."),
                errors={"non_field_errors": [_("Send “title” and/or “data”.")]},
            )
        document = document_update(
            document_id=pk, by=request.user, title=body.get("title"), data=body.get("data")
        )
        return _detail(request, document)


def _visible(request, pk: str) -> Document:
    queryset = with_acting(selectors.for_api(Document.objects.all()), request.user)
    return document_get_visible(document_id=pk, by=request.user, queryset=queryset)


def _body_field(name: str, field: BodyField, actions: list[str]) -> serializers.Field:
    required_by = [a for a in actions if name in ACTIONS[a].required]
    help_text = ", ".join(actions) + (
        f" (required: {', '.join(required_by)})" if required_by else ""
    )
    if field.help:
        help_text = f"{help_text}: {field.help}"
    if field.kind == "comments":
        return serializers.DictField(
            child=serializers.CharField(), required=False, help_text=f"{help_text}: {{field: text}}"
        )
    return serializers.CharField(required=False, help_text=help_text)


def _action_body_serializer() -> type[serializers.Serializer]:
    """The body schema, from the action table: each field, with the actions that take it."""
    fields: dict[str, serializers.Field] = {}
    for name in dict.fromkeys(f.name for action in ACTIONS.values() for f in action.fields):
        takers = [a.name for a in ACTIONS.values() if name in a.allowed]
        declared = next(f for f in ACTIONS[takers[0]].fields if f.name == name)
        fields[name] = _body_field(name, declared, takers)
    doc = "Each action takes only its own fields (see the action table of the API contract)."
    return type("ActionBodySerializer", (serializers.Serializer,), {**fields, "__doc__": doc})


ActionBodySerializer = _action_body_serializer()


class DocumentAction(APIView):
    throttle_scope = "auth"

    def get_throttles(self):
        # Signing re-authenticates with the password, signing and approving with the second
        # factor: limit guessing like the token exchange.
        if self.kwargs.get("action") in {"sign", "approve"}:
            return [ScopedRateThrottleNow()]
        return super().get_throttles()

    @extend_schema(
        operation_id="documents_action",
        request=ActionBodySerializer,
        responses={
            200: DocumentDetailSerializer,
            400: OpenApiResponse(
                NotReadySerializer,
                description="A body field is invalid ({field: [message]}); or, for "
                "request-signatures and submit, required answers are missing (data) or rules "
                "across fields are broken (rules)",
            ),
            403: OpenApiResponse(
                description="Not this person's to take now; sign and approve: two-step "
                "verification is required and not set up (code otp_enrolment_required)"
            ),
            429: OpenApiResponse(
                description="sign, approve: locked out after too many wrong passwords or codes "
                '({"detail", "code": "locked_out"}), or too many requests'
            ),
        },
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(ACTIONS))],
    )
    def post(self, request, pk: str, action: str):
        declared = ACTIONS.get(action)
        if declared is None:
            raise NotFound(_("No such action: %(action)s.") % {"action": action})
        body = body_object(request, allowed=declared.allowed, required=declared.required)
        document = perform(action, document_id=pk, by=request.user, fields=body, request=request)
        return _detail(request, document)


class DocumentHistory(generics.ListAPIView):
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        # Whether the caller may see it (the same 404 otherwise): its id is all that is used.
        document = visible_detail_document(document_id=self.kwargs["pk"], by=self.request.user)
        return AuditEvent.objects.filter(document=document).order_by("seq")


class ReviewQueue(_DocumentPages):
    @extend_schema(
        parameters=[
            OpenApiParameter("type", str),
            OpenApiParameter("institution", str),
            OpenApiParameter("status", str),
            OpenApiParameter("assignee", str, enum=["me", "none"]),
            OpenApiParameter(
                "overdue", str, enum=["first"], description="first: overdue documents first"
            ),
            OpenApiParameter(
                "q",
                str,
                description="Search: part of a reference, words of the title, or an "
                "institution's code or name",
            ),
            OpenApiParameter(
                "sort",
                str,
                enum=["oldest", "newest", "overdue"],
                description="oldest (the default): oldest submission first; overdue: as "
                "overdue=first",
            ),
        ],
        description="A resubmission is reserved for the reviewer who returned it: it stays "
        "`submitted` with that reviewer as `assignee` (so `?assignee=me` lists it for them), "
        "only they may `claim` it, and `release` hands it to the common pool.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self):
        filters = _filters(
            self.request, ("type", "institution", "status", "assignee", "overdue", "q", "sort")
        )
        return selectors.review_queue(self.request.user, filters=filters)


class SignatureRequests(_DocumentPages):
    def rows(self):
        return selectors.signature_inbox(self.request.user)
