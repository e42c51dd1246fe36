"""Representations of the engine's objects (output only; input is parsed by the services)."""

from __future__ import annotations

from rest_framework import serializers

from forms_templates.attachment_kinds import kind_label
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
        # Kinds of annex that must be attached before signing: {kind, name: {sw, en}}.
        "required_attachments": [
            {"kind": kind, "name": kind_label(kind).as_dict()}
            for kind in definition.required_attachments
        ],
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
    return result
