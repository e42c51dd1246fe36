"""OpenAPI shapes of a document type's description and of a refusal naming broken rules.

Documentation only: the views answer with ``document_type_representation`` and the exception
handler; these serializers tell drf-spectacular (and so outside clients) what comes back.
"""

from __future__ import annotations

from rest_framework import serializers


class BilingualSerializer(serializers.Serializer):
    sw = serializers.CharField()
    en = serializers.CharField()


class SignatorySerializer(serializers.Serializer):
    role = serializers.CharField()
    title = BilingualSerializer()
    role_name = BilingualSerializer()
    order = serializers.IntegerField()


class RuleSerializer(serializers.Serializer):
    """A rule across fields. ``fields`` are field keys, or ``table[*].column`` for a column in
    every row; the other keys are the rule's parameters, by kind."""

    code = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=[
            "date_order",
            "dates_within",
            "sum_equals",
            "sum_at_most",
            "range",
            "mail_domain",
            "rows_required",
        ]
    )
    fields = serializers.ListField(child=serializers.CharField())
    message = BilingualSerializer()
    earlier = serializers.CharField(required=False, help_text="date_order: on or before later")
    later = serializers.CharField(required=False)
    dates = serializers.CharField(required=False, help_text="dates_within: table[*].column")
    start = serializers.CharField(required=False, allow_null=True)
    end = serializers.CharField(required=False, allow_null=True)
    total = serializers.JSONField(
        required=False, help_text="sum_equals: a field key, or a fixed number (100)"
    )
    lines = serializers.CharField(required=False, help_text="sum_equals, sum_at_most")
    ceiling = serializers.CharField(required=False, help_text="sum_at_most")
    low = serializers.IntegerField(required=False, help_text="range, inclusive")
    high = serializers.IntegerField(required=False, help_text="range, inclusive")


class DocumentTypeSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    name = BilingualSerializer()
    description = BilingualSerializer()
    needs_project = serializers.BooleanField()
    one_per_project = serializers.BooleanField()
    requires_approved = serializers.ListField(child=serializers.CharField())
    advances_project_to = serializers.CharField(allow_null=True)
    waived_for_existing_systems = serializers.BooleanField()
    signatories = SignatorySerializer(many=True)


class ChecklistCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    group_title = BilingualSerializer()
    text = BilingualSerializer()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="the field keys this criterion judges"
    )


class DocumentTypeDetailSerializer(DocumentTypeSerializer):
    schema = serializers.JSONField(help_text="JSON Schema (draft 2020-12) of the form data")
    required = serializers.ListField(child=serializers.CharField())
    rules = RuleSerializer(many=True)
    checklist = ChecklistCriterionSerializer(
        many=True, help_text="the agency's review checklist of this type"
    )


class BrokenRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="e.g. total_budget, budget_items[2].amount"
    )
    message = serializers.CharField(help_text="The rule's message in the request's language")
    detail = serializers.CharField(help_text="What was found, in the request's language")


class NotReadySerializer(serializers.Serializer):
    """request-signatures or submit refused: what is missing and which rules are broken."""

    data = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Required answers missing: {field: [message]}",
    )
    rules = BrokenRuleSerializer(many=True, required=False)
