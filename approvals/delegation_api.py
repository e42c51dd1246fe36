"""Acting signatories: ``GET``/``POST /api/v1/delegations/`` and
``POST /api/v1/delegations/{id}/withdraw/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.delegation import (
    delegation_create,
    delegation_status,
    delegation_withdraw,
    delegations_for,
)
from config.api.parsing import body_object


class DelegationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    principal = serializers.CharField(
        source="principal.username", help_text="the signatory who is away"
    )
    acting = serializers.CharField(
        source="acting.username", help_text="the acting officer (kaimu) who signs in their place"
    )
    starts_on = serializers.DateField(help_text="first day (included)")
    ends_on = serializers.DateField(help_text="last day (included)")
    status = serializers.SerializerMethodField(
        help_text="upcoming, active, over, or withdrawn (ended early)"
    )
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_by = serializers.SerializerMethodField()

    def get_status(self, delegation) -> str:
        return delegation_status(delegation)

    def get_withdrawn_by(self, delegation) -> str | None:
        return delegation.withdrawn_by.username if delegation.withdrawn_by_id else None


class DelegationCreateSerializer(serializers.Serializer):
    acting = serializers.CharField(help_text="username of the acting officer, same institution")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    principal = serializers.CharField(
        required=False,
        help_text="the signatory (default: the caller); another one only with the institution "
        "administrator's permission approvals.manage_delegations",
    )


class DelegationList(generics.ListAPIView):
    serializer_class = DelegationSerializer

    def get_queryset(self):
        return delegations_for(self.request.user).select_related("created_by")

    @extend_schema(request=DelegationCreateSerializer, responses={201: DelegationSerializer})
    def post(self, request):
        body = body_object(
            request,
            allowed={"acting", "starts_on", "ends_on", "principal"},
            required={"acting", "starts_on", "ends_on"},
        )
        delegation = delegation_create(by=request.user, **body)
        return Response(DelegationSerializer(delegation).data, status=201)


class DelegationWithdraw(APIView):
    @extend_schema(request=None, responses=DelegationSerializer)
    def post(self, request, pk: str):
        body_object(request, allowed=set())  # an object or nothing, like every action's body
        delegation = delegation_withdraw(delegation_id=pk, by=request.user)
        return Response(DelegationSerializer(delegation).data)
