"""The API's sign-in: the token exchange (locked after too many wrong passwords) and logout."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsing import SafeJSONParser, body_object
from config.api.throttles import ScopedRateThrottleNow
from workflow.exceptions import Invalid
from workflow.second_factor import require_code
from workflow.signin import authenticate_or_lock
from workflow.tokens import token_expires_at, token_issue, token_revoke


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        help_text="The 6-digit code of the person's authenticator app, or one of their recovery "
        "codes (each works once): needed when they have set up two-step verification, and from "
        "every signatory and reviewer when IDHINI_REQUIRE_2FA is on. Missing or wrong: 400 "
        "{otp: [...]}; required and not set up: 403 otp_enrolment_required (set it up in the "
        "browser first).",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


_LOCKED = inline_serializer(
    "LockedOut", fields={"detail": serializers.CharField(), "code": serializers.CharField()}
)


class TokenView(APIView):
    """Exchange a username and password (and the second factor's code, when one is asked of
    the person) for an API token (rate-limited, and locked after too many wrong passwords or
    codes: guessing)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottleNow]
    throttle_scope = "auth"
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description="Bad credentials, a field missing, or the second factor's code "
                "missing or wrong ({otp: [...]})"
            ),
            403: OpenApiResponse(
                _LOCKED, description="Two-step verification required and not set up"
            ),
            429: OpenApiResponse(_LOCKED, description="Locked out, or too many requests"),
        },
    )
    def post(self, request):
        body = body_object(request, allowed={"username", "password", "otp"})
        errors = {
            name: [_("This field is required.")]
            for name in ("username", "password")
            if not isinstance(body.get(name), str) or not body.get(name)
        }
        if errors:
            raise Invalid(_("Invalid request."), errors=errors)
        user = authenticate_or_lock(request, username=body["username"], password=body["password"])
        if user is None:
            message = _("Unable to log in with provided credentials.")
            raise Invalid(message, errors={"non_field_errors": [message]})
        # The second factor, after the password (a wrong code counts for the lockout too).
        require_code(request=request, user=user, otp=body.get("otp"))
        token = token_issue(user=user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})


class LogoutView(APIView):
    """Revoke the caller's API token (every client using it is signed out)."""

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: OpenApiResponse(description="The token no longer works")},
    )
    def post(self, request):
        token_revoke(user=request.user)
        return Response(status=204)
