"""The documents API's serializers: a document in a list and in detail, its signatures with the
signatories' titles, its checklist summary, and the bodies of create and edit."""

from __future__ import annotations

from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from approvals import deadlines
from approvals.checklist_selectors import checklist_summary
from approvals.models import Review
from config.sql import Reusable
from forms_templates.definitions import current_lang
from forms_templates.forms import TITLE_MAX
from forms_templates.registry import get_type, type_choices
from workflow.api.type_schema import BrokenRuleSerializer
from workflow.lifecycle import active_signatures_of, allowed_actions
from workflow.models import Document, Status
from workflow.readiness import document_broken_rules


def _iso(value, tz) -> str | None:
    """A moment as DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC as
    "Z"), without the field's dispatch: a page of 50 writes 200 of them."""
    if not value:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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


def _signature_representation(document, signature, tz) -> dict:
    """A signature as the document shows it, built from the row (no serializer per row)."""
    fallback = {"sw": signature.role, "en": signature.role}
    titles = _signatory_titles(document.type, document.form_version)
    title, role_name = titles.get(signature.order, (fallback, fallback))
    return {
        "role": signature.role,
        "title": title,
        "role_name": role_name,
        "signer": _username(signature, "signer"),
        "status": signature.status,
        "signed_at": _iso(signature.signed_at, tz),
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

    def to_representation(self, document) -> dict:
        """The fields in Meta order, as DRF's loop renders them, without its per-field dispatch
        (get_attribute, the None check, a method lookup for each SerializerMethodField): a queue
        page of 50 spent about half its Python time there. Output only: nothing is validated.
        The plan is made once per class, so a request builds no DRF fields (``self.fields``
        deep-copies every declared field and builds the model's): only a field with no renderer
        here (a subclass's own) is built, and takes DRF's own path."""
        tz = timezone.get_current_timezone()
        out = {}
        for name, render in self._render_plan():
            if render is not None:
                out[name] = render(self, document, tz)
                continue
            field = self.fields[name]
            attribute = field.get_attribute(document)
            out[name] = None if attribute is None else field.to_representation(attribute)
        return out

    @classmethod
    def _render_plan(cls) -> tuple:
        """(name, renderer or None) for each field of ``Meta.fields``, in order: the table's
        renderer, or the ``get_<name>`` of a declared SerializerMethodField."""
        plan = cls.__dict__.get("_plan")
        if plan is None:
            plan = tuple((name, _renderer(cls, name)) for name in cls.Meta.fields)
            cls._plan = plan
        return plan

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
        signatures = [s for s in active_signatures_of(document) if s.version == document.version]
        signatures.sort(key=lambda s: s.order)
        tz = timezone.get_current_timezone()
        return [_signature_representation(document, s, tz) for s in signatures]

    def get_allowed_actions(self, document) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return allowed_actions(document, request.user)

    def get_overdue(self, document) -> bool:
        """Waiting on a person longer than the step's reminder threshold (approvals.deadlines)."""
        return deadlines.is_overdue(document)


def _text(name: str):
    def render(serializer, document, tz):
        value = getattr(document, name)
        return None if value is None else str(value)

    return render


def _value(name: str):
    # IntegerField of an int, ChoiceField of a stored choice, JSONField (not binary): the value.
    return lambda serializer, document, tz: getattr(document, name)


def _moment(name: str):
    return lambda serializer, document, tz: _iso(getattr(document, name), tz)


def _method(name: str):
    return lambda serializer, document, tz: getattr(serializer, f"get_{name}")(document)


def _renderer(cls, name: str):
    if name in _RENDER:
        return _RENDER[name]
    declared = cls._declared_fields.get(name)
    if isinstance(declared, serializers.SerializerMethodField) and declared.method_name in (
        None,
        f"get_{name}",
    ):
        return _method(name)
    return None


_RENDER = {
    **{name: _text(name) for name in ("id", "reference", "type", "title", "content_hash")},
    "verification_code": _text("verification_code"),
    **{name: _value(name) for name in ("status", "version", "data")},
    "institution": lambda serializer, document, tz: document.institution.code,
    **{name: _moment(name) for name in ("submitted_at", "approved_at", "created_at", "updated_at")},
    **{
        name: _method(name)
        for name in (
            "project",
            "author",
            "assignee",
            "next_signer",
            "signatures",
            "allowed_actions",
            "overdue",
        )
    },
}


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
        if not might_have_reviews(document):
            return []
        # As columns, the reviewer's username joined: no Review nor User rows built.
        rows = _REVIEWS.rows(document.pk)
        return [dict(zip(_REVIEW_KEYS, row, strict=True)) for row in rows]


# A review is written only by a decision (approvals.transitions.review): approve and reject end
# the lifecycle, and every return for changes is counted on the row by the database itself
# (``returns_for_changes``, kept by triggers however the review is written: approvals
# migration 0007). The row read for the answer carries the count as the database holds it.
_DECIDED = (Status.APPROVED, Status.REJECTED)
_REVIEW_KEYS = ("decision", "comment", "field_comments", "reviewer", "version", "created_at")
# A document's reviews, oldest first, as a statement compiled once per connection
# (config.sql.Reusable). No document has this id (uuid4 ids).
_REVIEWS = Reusable(
    lambda pk: (
        Review.objects.filter(document_id=pk)
        .order_by("created_at")
        .values_list(
            "decision", "comment", "field_comments", "reviewer__username", "version", "created_at"
        )
    ),
    placeholder=UUID(int=0),
    prepare=Document._meta.pk.get_db_prep_value,
)


def might_have_reviews(document: Document) -> bool:
    """Whether ``document`` may have a review: else the detail reads none (no statement). The
    agency reviews only what was submitted, and submitted_at stays once set. A fix of the data
    by hand must keep this true: a decided document moved to another status would hide its
    reviews."""
    if document.submitted_at is None:
        return False
    return document.returns_for_changes > 0 or document.status in _DECIDED


class DocumentCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=type_choices())
    project = serializers.UUIDField(allow_null=True, required=False)
    title = serializers.CharField(max_length=TITLE_MAX)


class DocumentPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    data = serializers.JSONField(required=False)
