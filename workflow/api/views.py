"""API of the engine: document types, projects, token (health: config/health.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from forms_templates.registry import all_types, get_type
from workflow.api.parsing import SafeJSONParser, body_object
from workflow.api.serializers import (
    ProjectCreateSerializer,
    ProjectSerializer,
    document_type_representation,
)
from workflow.exceptions import NotFound
from workflow.selectors import visible_projects
from workflow.services import project_create


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (rate-limited: password guessing)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]


class DocumentTypeList(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="document_types_list",
        responses=OpenApiResponse(description="The document types"),
    )
    def get(self, request):
        items = [document_type_representation(d, with_schema=False) for d in all_types().values()]
        return Response({"count": len(items), "next": None, "previous": None, "results": items})


class DocumentTypeDetail(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiResponse(description="A document type with its JSON Schema"))
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
        body = body_object(request, allowed={"name", "description"}, required={"name"})
        project = project_create(
            name=body["name"], description=body.get("description") or "", by=request.user
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
