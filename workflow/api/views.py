"""API of the engine: document types and projects (the token: workflow/api/auth.py; health:
config/health.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsing import body_object
from forms_templates.registry import all_types, get_type
from workflow.api.serializers import (
    ProjectCreateSerializer,
    ProjectSerializer,
    document_type_representation,
)
from workflow.api.type_schema import DocumentTypeDetailSerializer, DocumentTypeSerializer
from workflow.exceptions import NotFound
from workflow.selectors import visible_projects
from workflow.services import project_create


class DocumentTypeList(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="document_types_list",
        responses=OpenApiResponse(
            inline_serializer(
                "DocumentTypePage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.CharField(allow_null=True),
                    "previous": serializers.CharField(allow_null=True),
                    "results": DocumentTypeSerializer(many=True),
                },
            ),
            description="The document types",
        ),
    )
    def get(self, request):
        items = [document_type_representation(d, with_schema=False) for d in all_types().values()]
        return Response({"count": len(items), "next": None, "previous": None, "results": items})


class DocumentTypeDetail(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=OpenApiResponse(
            DocumentTypeDetailSerializer,
            description="A document type with its JSON Schema, its rules across fields and its "
            "review checklist",
        )
    )
    def get(self, request, key: str):
        definition = get_type(key)
        if definition is None:
            raise NotFound(_("No such document type."))
        return Response(document_type_representation(definition, with_schema=True))


class ProjectList(generics.ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return visible_projects(self.request.user).select_related("institution")

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request):
        body = body_object(
            request, allowed={"name", "description", "existing_system"}, required={"name"}
        )
        project = project_create(
            name=body["name"],
            description=body.get("description") or "",
            existing_system=body.get("existing_system"),
            by=request.user,
        )
        return Response(ProjectSerializer(project).data, status=201)


class ProjectDetail(generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_object(self):
        from uuid import UUID

        try:
            pk = UUID(str(self.kwargs["pk"]))
        except ValueError:
            raise NotFound(_("No such project.")) from None
        project = self.get_queryset().filter(pk=pk).first()
        if project is None:
            raise NotFound(_("No such project."))
        return project

    def get_queryset(self):
        return visible_projects(self.request.user).select_related("institution")
