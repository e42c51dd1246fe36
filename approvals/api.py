"""The documents API: create, read, edit, every lifecycle action, history, queue and inbox."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from approvals import deadlines, selectors
from approvals.actions import ACTIONS, BodyField, perform
from approvals.checklist_selectors import checklist_summary
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type, type_choices
from workflow.api.parsing import body_object
from workflow.api.serializers import AuditEventSerializer
from workflow.api.type_schema import BrokenRuleSerializer, NotReadySerializer
from workflow.exceptions import Invalid, NotFound
from workflow.lifecycle import allowed_actions
from workflow.models import AuditEvent, Document
from workflow.readiness import document_broken_rules
from workflow.selectors import document_get_visible
from workflow.services import document_create, document_update


class SignatureSerializer(serializers.Serializer):
    role = serializers.CharField()
    title = serializers.SerializerMethodField()
    role_name = serializers.SerializerMethodField()
    signer = serializers.CharField(source="signer.username")
    status = serializers.CharField()
    signed_at = serializers.DateTimeField()
    order = serializers.IntegerField()
    version = serializers.IntegerField()
    reason = serializers.CharField()

    def _signatory(self, signature):
        definition = get_type(self.context.get("doc_type", ""))
        if definition is None:
            return None
        for order, signatory in definition.signatories_in_order():
            if order == signature.order:
                return signatory
        return None

    def get_title(self, signature) -> dict:
        signatory = self._signatory(signature)
        return (
            signatory.title.as_dict() if signatory else {"sw": signature.role, "en": signature.role}
        )

    def get_role_name(self, signature) -> dict:
        signatory = self._signatory(signature)
        return (
            signatory.role_name.as_dict()
            if signatory
            else {"sw": signature.role, "en": signature.role}
        )


class ChecklistSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    total = serializers.IntegerField()
    marked = serializers.IntegerField()
    complete = serializers.BooleanField()
    unmarked = serializers.ListField(child=serializers.CharField())
    not_met = serializers.ListField(child=serializers.CharField())
    marks_visible = serializers.BooleanField()


class DocumentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    project = serializers.SerializerMethodField()
    institution = serializers.CharField(source="institution.code")
    author = serializers.CharField(source="author.username")
    assignee = serializers.SerializerMethodField()
    next_signer = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "reference",
            "type",
            "title",
            "project",
            "institution",
            "author",
            "status",
            "version",
            "data",
            "content_hash",
            "signatures",
            "next_signer",
            "assignee",
            "allowed_actions",
            "overdue",
            "verification_code",
            "submitted_at",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_project(self, document) -> str | None:
        return str(document.project_id) if document.project_id else None

    def get_assignee(self, document) -> str | None:
        return document.assignee.username if document.assignee_id else None

    def get_next_signer(self, document) -> str | None:
        return document.next_signer.username if document.next_signer_id else None

    def get_signatures(self, document) -> list[dict]:
        # Signatures of an earlier version no longer count: a returned document that was edited
        # lists none until it is sent for signature again.
        signatures = [
            s for s in document.signatures.all() if s.active and s.version == document.version
        ]
        signatures.sort(key=lambda s: s.order)
        context = {"doc_type": document.type}
        return SignatureSerializer(signatures, many=True, context=context).data

    def get_allowed_actions(self, document) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return allowed_actions(document, request.user)

    def get_overdue(self, document) -> bool:
        """Waiting on a person longer than the step's reminder threshold (approvals.deadlines)."""
        return deadlines.is_overdue(document)


class DocumentDetailSerializer(DocumentSerializer):
    reviews = serializers.SerializerMethodField()
    broken_rules = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "reviews", "broken_rules", "checklist"]
        read_only_fields = fields

    @extend_schema_field(BrokenRuleSerializer(many=True))
    def get_broken_rules(self, document) -> list[dict]:
        """The type's rules the data breaks now: a draft may be saved so, but it cannot go for
        signature (or be submitted) until they hold."""
        lang = current_lang()
        return [rule.as_dict(lang) for rule in document_broken_rules(document)]

    @extend_schema_field(ChecklistSummarySerializer)
    def get_checklist(self, document) -> dict:
        """The review checklist of the current version in short (…/checklist/ has it all)."""
        request = self.context.get("request")
        return checklist_summary(document=document, user=request.user if request else None)

    def get_reviews(self, document) -> list[dict]:
        return [
            {
                "decision": review.decision,
                "comment": review.comment,
                "field_comments": review.field_comments,
                "reviewer": review.reviewer.username,
                "version": review.version,
                "created_at": review.created_at,
            }
            for review in document.reviews.select_related("reviewer").order_by("created_at")
        ]


class DocumentCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=type_choices())
    project = serializers.UUIDField(allow_null=True, required=False)
    title = serializers.CharField(max_length=300)


class DocumentPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    data = serializers.JSONField(required=False)


def _filters(request, names: tuple[str, ...]) -> dict[str, str]:
    filters = {name: request.query_params.get(name, "") for name in names}
    if filters.get("type") and get_type(filters["type"]) is None:
        raise Invalid(
            _("Unknown document type."),
            errors={"type": [_("Unknown document type “%(type)s”.") % {"type": filters["type"]}]},
        )
    return filters


def _detail(request, document: Document, status: int = 200) -> Response:
    document = selectors.with_related(Document.objects.filter(pk=document.pk)).get()
    return Response(
        DocumentDetailSerializer(document, context={"request": request}).data, status=status
    )


class DocumentList(generics.ListAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str),
            OpenApiParameter("status", str),
            OpenApiParameter("project", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
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
        document = _visible(request, pk)
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
    return document_get_visible(
        document_id=pk, by=request.user, queryset=selectors.with_related(Document.objects.all())
    )


def _body_field(name: str, field: BodyField, actions: list[str]) -> serializers.Field:
    required_by = [a for a in actions if name in ACTIONS[a].required]
    help_text = ", ".join(actions) + (
        f" (required: {', '.join(required_by)})" if required_by else ""
    )
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
        # Signing re-authenticates with the password: limit guessing like the token exchange.
        if self.kwargs.get("action") == "sign":
            return [ScopedRateThrottle()]
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
            429: OpenApiResponse(
                description="sign: locked out after too many wrong passwords "
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
        document = _visible(self.request, self.kwargs["pk"])
        return AuditEvent.objects.filter(document=document).order_by("seq")


class ReviewQueue(generics.ListAPIView):
    serializer_class = DocumentSerializer

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

    def get_queryset(self):
        filters = _filters(
            self.request, ("type", "institution", "status", "assignee", "overdue", "q", "sort")
        )
        return selectors.review_queue(self.request.user, filters=filters)


class SignatureRequests(generics.ListAPIView):
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return selectors.signature_inbox(self.request.user)
