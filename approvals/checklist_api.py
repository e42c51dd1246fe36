"""The review checklist of a document: ``GET``/``PATCH /api/v1/documents/{id}/checklist/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.checklist_selectors import ChecklistView, CriterionView, document_checklist
from approvals.checklist_services import checklist_update
from approvals.models import Mark
from config.api.parsing import body_object
from workflow.api.type_schema import BilingualSerializer
from workflow.selectors import document_get_visible


class ChecklistMarkSerializer(serializers.Serializer):
    mark = serializers.ChoiceField(choices=Mark.choices)
    note = serializers.CharField()
    by = serializers.CharField(help_text="username of the reviewer who set this mark")
    by_name = serializers.CharField()
    at = serializers.DateTimeField()
    version = serializers.IntegerField()


class ChecklistPreviousMarkSerializer(ChecklistMarkSerializer):
    fields_changed = serializers.BooleanField(
        help_text="the fields this criterion judges changed since that version"
    )


class ChecklistCriterionMarkSerializer(serializers.Serializer):
    """A criterion of the checklist with its current mark (null: not marked on this version)."""

    key = serializers.CharField(source="criterion.key")
    group = serializers.CharField(source="criterion.group")
    group_title = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    fields = serializers.ListField(child=serializers.CharField(), source="criterion.fields")
    mark = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    by = serializers.SerializerMethodField()
    at = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField(
        help_text="hint: this criterion's last mark on an earlier version"
    )

    @extend_schema_field(BilingualSerializer)
    def get_group_title(self, view: CriterionView) -> dict:
        return view.criterion.as_dict()["group_title"]

    @extend_schema_field(BilingualSerializer)
    def get_text(self, view: CriterionView) -> dict:
        return view.criterion.text.as_dict()

    @extend_schema_field(serializers.ChoiceField(choices=Mark.choices, allow_null=True))
    def get_mark(self, view: CriterionView) -> str | None:
        return view.current.mark if view.current else None

    def get_note(self, view: CriterionView) -> str:
        return view.current.note if view.current else ""

    def get_by(self, view: CriterionView) -> str | None:
        return view.current.by if view.current else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_at(self, view: CriterionView) -> str | None:
        if view.current is None:
            return None
        return serializers.DateTimeField().to_representation(view.current.at)

    @extend_schema_field(ChecklistPreviousMarkSerializer(allow_null=True))
    def get_previous(self, view: CriterionView) -> dict | None:
        if view.previous is None:
            return None
        data = dict(ChecklistMarkSerializer(view.previous).data)
        data["fields_changed"] = view.fields_changed
        return data


class ChecklistSerializer(serializers.Serializer):
    document = serializers.CharField(source="document.pk")
    version = serializers.IntegerField()
    status = serializers.CharField(source="document.status")
    criteria = ChecklistCriterionMarkSerializer(many=True)
    marks = serializers.DictField(
        child=ChecklistMarkSerializer(), help_text="the current version's marks, by criterion"
    )
    complete = serializers.BooleanField(help_text="every criterion marked and none not met")
    unmarked = serializers.ListField(child=serializers.CharField())
    not_met = serializers.ListField(child=serializers.CharField())
    marks_visible = serializers.BooleanField(
        help_text="false for institution staff until the agency has decided"
    )
    can_mark = serializers.BooleanField(help_text="the caller may PATCH marks now")


class ChecklistMarkInputSerializer(serializers.Serializer):
    mark = serializers.ChoiceField(choices=Mark.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="required for not_met; left out: unchanged"
    )


class ChecklistPatchSerializer(serializers.Serializer):
    marks = serializers.DictField(
        child=ChecklistMarkInputSerializer(), help_text="{criterion: {mark, note?}}"
    )


def _response(view: ChecklistView) -> Response:
    return Response(ChecklistSerializer(view).data)


class DocumentChecklist(APIView):
    """The agency's review checklist of the document's type, with the marks of its current
    version. Marked by the reviewer who claimed it, while it is under review."""

    @extend_schema(operation_id="documents_checklist", responses=ChecklistSerializer)
    def get(self, request, pk: str):
        document = document_get_visible(document_id=pk, by=request.user)
        return _response(document_checklist(document=document, user=request.user))

    @extend_schema(
        operation_id="documents_checklist_update",
        request=ChecklistPatchSerializer,
        responses=ChecklistSerializer,
    )
    def patch(self, request, pk: str):
        body = body_object(request, allowed={"marks"}, required={"marks"})
        document = checklist_update(document_id=pk, by=request.user, marks=body["marks"])
        return _response(document_checklist(document=document, user=request.user))
