"""The versions of a document and what changed between two of them (workflow.versions)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from workflow.versions import document_version_diff, document_versions


class DocumentVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    title = serializers.CharField()
    content_hash = serializers.CharField()
    created_at = serializers.DateTimeField(
        help_text="When the content was fixed: sent for signature (frozen), or last saved."
    )
    created_by = serializers.CharField(help_text="Username of who sent it, or who last saved it.")
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Top-level fields (and title) that differ from the version before; [] for the "
        "first. Title first, then in the form's order.",
    )
    frozen = serializers.BooleanField(
        help_text="True: the immutable snapshot signatures bind to. False: the version still "
        "being edited (the document's current content)."
    )


class VersionChangeSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="title, a field key, table[row] (a whole row added or removed) or "
        "table[row].column (a cell); rows from 1, a removed row numbered in the older version."
    )
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    words = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        required=False,
        help_text="Text changes only: the newer text as [op, text] segments, op one of equal, "
        "delete (only in the older text), insert (only in the newer).",
    )


class VersionDiffSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared through the fields dict below.
    to = serializers.IntegerField()
    changes = VersionChangeSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        return {"from": serializers.IntegerField(), **fields}


class DocumentVersions(APIView):
    @extend_schema(
        operation_id="documents_versions_list",
        summary="A document's versions, oldest first",
        responses={
            200: DocumentVersionSerializer(many=True),
            404: OpenApiResponse(description="No such document, or not visible to you"),
        },
    )
    def get(self, request, pk: str):
        entries = document_versions(document_id=pk, by=request.user)
        return Response(DocumentVersionSerializer(entries, many=True).data)


class DocumentVersionDiff(APIView):
    @extend_schema(
        operation_id="documents_versions_diff",
        summary="What changed from version a to version b",
        parameters=[
            OpenApiParameter("a", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("b", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        responses={
            200: VersionDiffSerializer,
            404: OpenApiResponse(
                description="No such document (or not visible), no such version, or not a "
                "version number"
            ),
        },
    )
    def get(self, request, pk: str, a: str, b: str):
        diff = document_version_diff(document_id=pk, by=request.user, from_version=a, to_version=b)
        return Response(
            {
                "from": diff.old.number,
                "to": diff.new.number,
                "changes": [change.as_dict() for change in diff.changes],
            }
        )
