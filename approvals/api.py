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
from approvals.delegation import with_acting
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

_DATETIME = serializers.DateTimeField()


class SignatureSerializer(serializers.Serializer):
    """The schema of a signature in a document (the rows are built by _signature_representation)."""

    role = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField(), help_text="{sw, en}")
    role_name = serializers.DictField(child=serializers.CharField(), help_text="{sw, en}")
    signer = serializers.CharField(source="signer.username")
    status = serializers.CharField()
    signed_at = serializers.DateTimeField()
    order = serializers.IntegerField()
    version = serializers.IntegerField()
    reason = serializers.CharField()
    signed_by = serializers.SerializerMethodField(
        help_text="Who signed: the signer, or their acting officer (kaimu); null while pending."
    )
    acting_for = serializers.SerializerMethodField(
        help_text="When an acting officer signed: the username of the signatory they acted for."
    )

    def get_signed_by(self, signature) -> str | None:
        if signature.status != "signed":
            return None
        return (signature.signed_by or signature.signer).username

    def get_acting_for(self, signature) -> str | None:
        return signature.signer.username if signature.signed_by_id else None


def _username(row, relation: str) -> str | None:
    """The username of ``row.<relation>``: the column ``selectors.for_api`` annotated, else the
    related row (a document loaded some other way)."""
    if getattr(row, f"{relation}_id") is None:
        return None
    annotated = getattr(row, f"{relation}_username", None)
    return annotated if annotated is not None else getattr(row, relation).username


def _signatory_titles(type_key: str, form_version: int) -> dict[int, tuple[dict, dict]]:
    """{order: (title, role_name)} of a type's signatories for one form version, computed once
    per type, version and process: a page of 50 documents renders 150 signatures without
    building a serializer for each."""
    definition = get_type(type_key)
    if definition is None:
        return {}
    cache = definition.extra.setdefault("_signatory_titles", {})
    cached = cache.get(form_version)
    if cached is None:
        cached = {
            order: (signatory.title.as_dict(), signatory.role_name.as_dict())
            for order, signatory in definition.signatories_in_order(form_version)
        }
        cache[form_version] = cached
    return cached


def _signature_representation(document, signature) -> dict:
    """A signature as the document shows it, built from the row (no serializer per row)."""
    fallback = {"sw": signature.role, "en": signature.role}
    titles = _signatory_titles(document.type, document.form_version)
    title, role_name = titles.get(signature.order, (fallback, fallback))
    signed_at = signature.signed_at
    return {
        "role": signature.role,
        "title": title,
        "role_name": role_name,
        "signer": _username(signature, "signer"),
        "status": signature.status,
        "signed_at": _DATETIME.to_representation(signed_at) if signed_at else None,
        "order": signature.order,
        "version": signature.version,
        "reason": signature.reason,
        # Who signed: the signer, or their acting officer (kaimu), who acted for the signer.
        "signed_by": (_username(signature, "signed_by") or _username(signature, "signer"))
        if signature.status == "signed"
        else None,
        "acting_for": _username(signature, "signer") if signature.signed_by_id else None,
    }


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
    author = serializers.SerializerMethodField()
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

    def get_author(self, document) -> str:
        return _username(document, "author")

    def get_assignee(self, document) -> str | None:
        return _username(document, "assignee")

    def get_next_signer(self, document) -> str | None:
        return _username(document, "next_signer")

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, document) -> list[dict]:
        # Signatures of an earlier version no longer count: a returned document that was edited
        # lists none until it is sent for signature again.
        signatures = [
            s for s in document.signatures.all() if s.active and s.version == document.version
        ]
        signatures.sort(key=lambda s: s.order)
        return [_signature_representation(document, s) for s in signatures]

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
    documents = selectors.for_api(Document.objects.filter(pk=document.pk))
    document = with_acting(documents, request.user).get()
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
        return selectors.for_api(
            selectors.document_list(
                self.request.user, filters=_filters(self.request, ("type", "status", "project"))
            )
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
        return selectors.for_api(selectors.review_queue(self.request.user, filters=filters))


class SignatureRequests(generics.ListAPIView):
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return selectors.for_api(selectors.signature_inbox(self.request.user))
