"""Representations of the engine's objects (output only; input is parsed by the services)."""

from __future__ import annotations

from rest_framework import serializers

from workflow.models import AuditEvent, Project


class ProjectSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "institution", "stage", "created_at", "updated_at"]
        read_only_fields = fields


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username")

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "action",
            "actor",
            "from_status",
            "to_status",
            "version",
            "payload",
            "created_at",
            "hash",
        ]
        read_only_fields = fields


def document_type_representation(definition, *, with_schema: bool) -> dict:
    result = {
        "key": definition.key,
        "code": definition.code,
        "name": definition.name.as_dict(),
        "description": definition.description.as_dict(),
        "needs_project": definition.needs_project,
        "requires_approved": list(definition.requires_approved),
        "signatories": [
            {
                "role": signatory.role,
                "title": signatory.title.as_dict(),
                "role_name": signatory.role_name.as_dict(),
                "order": order,
            }
            for order, signatory in definition.signatories_in_order()
        ],
    }
    if with_schema:
        result["schema"] = definition.json_schema()
        result["required"] = [item.key for item in definition.items() if item.required]
        result["checklist"] = [criterion.as_dict() for criterion in definition.checklist]
    return result


class LangTextSerializer(serializers.Serializer):
    sw = serializers.CharField()
    en = serializers.CharField()


class SignatorySerializer(serializers.Serializer):
    role = serializers.CharField()
    title = LangTextSerializer()
    role_name = LangTextSerializer()
    order = serializers.IntegerField()


class ChecklistCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    group_title = LangTextSerializer()
    text = LangTextSerializer()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="the field keys this criterion judges"
    )


class DocumentTypeDetailSerializer(serializers.Serializer):
    """The type detail's shape, for the OpenAPI schema (built by document_type_representation)."""

    key = serializers.CharField()
    code = serializers.CharField()
    name = LangTextSerializer()
    description = LangTextSerializer()
    needs_project = serializers.BooleanField()
    requires_approved = serializers.ListField(child=serializers.CharField())
    signatories = SignatorySerializer(many=True)
    schema = serializers.JSONField(help_text="JSON Schema (draft 2020-12) of the form data")
    required = serializers.ListField(child=serializers.CharField())
    checklist = ChecklistCriterionSerializer(
        many=True, help_text="the agency's review checklist of this type"
    )
