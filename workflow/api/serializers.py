"""Representations of the engine's objects (output only; input is parsed by the services)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forms_templates.attachment_kinds import kind_label
from forms_templates.rules import describe_rules
from workflow.existing_systems import existing_system_representation, reference_max_length
from workflow.models import AuditEvent, Project


def _max_length(field: str) -> int:
    return Project._meta.get_field(field).max_length


class ExistingSystemSerializer(serializers.Serializer):
    """The earlier approval of a system running before Idhini."""

    approval_reference = serializers.CharField(
        max_length=reference_max_length(), help_text="The earlier approval letter's reference"
    )
    approval_date = serializers.DateField(help_text="Its date, not in the future")


class ProjectSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code", read_only=True)
    existing_system = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "institution",
            "stage",
            "existing_system",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ExistingSystemSerializer(allow_null=True))
    def get_existing_system(self, project) -> dict | None:
        return existing_system_representation(project)


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=_max_length("name"))
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=_max_length("description")
    )
    existing_system = ExistingSystemSerializer(
        required=False,
        allow_null=True,
        help_text="Only for a system approved before Idhini: its progress and final reports "
        "then need no concept note approved here.",
    )


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
        "one_per_project": definition.one_per_project,
        "requires_approved": list(definition.requires_approved),
        "advances_project_to": definition.advances_project_to,
        "waived_for_existing_systems": definition.waived_for_existing_systems,
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
        result["rules"] = describe_rules(definition)
        result["checklist"] = [criterion.as_dict() for criterion in definition.checklist]
    return result
