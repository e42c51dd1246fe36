"""The similar-systems API: the projects most like a document, or like a text being written."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from similar.models import EntryStatus
from similar.selectors import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_TEXT,
    similar_projects_for_document,
    similar_projects_for_text,
)


class InstitutionNameSerializer(serializers.Serializer):
    sw = serializers.CharField(source="name_sw")
    en = serializers.CharField(source="name_en")


class SimilarProjectSerializer(serializers.Serializer):
    project = serializers.UUIDField(source="project_id")
    institution = serializers.CharField(source="institution.code", help_text="its code")
    institution_name = InstitutionNameSerializer(source="institution")
    title = serializers.CharField(help_text="the project's name")
    status = serializers.ChoiceField(
        choices=EntryStatus.choices,
        help_text="its concept note's status, or existing (a system approved before Idhini)",
    )
    score = serializers.FloatField(
        help_text="0 to 1: 0.7 × the share of the document's terms found (title weighs most) "
        "+ 0.3 × the titles' trigram similarity"
    )
    matched_terms = serializers.ListField(
        child=serializers.CharField(),
        help_text="the shared words, lower case without accents, for highlighting; of another "
        "institution's project (for institution staff) only the words of its title",
    )
    document = serializers.UUIDField(
        source="document_id", allow_null=True, help_text="its concept note; null when not yours"
    )
    reference = serializers.CharField(allow_null=True, help_text="null when not yours")
    matched_fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="{field: shared words}; empty when not yours",
    )


LIMIT = OpenApiParameter(
    "limit", int, description=f"how many (1 to {MAX_LIMIT}; {DEFAULT_LIMIT} when not given)"
)


class DocumentSimilar(APIView):
    @extend_schema(
        operation_id="documents_similar",
        summary="The projects of all institutions most like this document's, best first",
        parameters=[LIMIT],
        responses=SimilarProjectSerializer(many=True),
    )
    def get(self, request, pk: str):
        results = similar_projects_for_document(
            document_id=pk, by=request.user, limit=request.query_params.get("limit")
        )
        return Response(SimilarProjectSerializer(results, many=True).data)


class SimilarProjects(APIView):
    @extend_schema(
        operation_id="similar_projects",
        summary="Approved projects and existing systems like a text (titles and institutions)",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description=f"a title or a problem being written (at most {MAX_TEXT} characters)",
            ),
            LIMIT,
        ],
        responses=SimilarProjectSerializer(many=True),
    )
    def get(self, request):
        results = similar_projects_for_text(
            text=request.query_params.get("q"),
            by=request.user,
            limit=request.query_params.get("limit"),
        )
        return Response(SimilarProjectSerializer(results, many=True).data)
