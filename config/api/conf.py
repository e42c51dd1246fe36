"""The API's settings as config/settings.py sets them (it reads the environment and passes what
it read): REST framework's defaults and the OpenAPI schema's."""

from __future__ import annotations


def rest_framework(*, testing: bool, verify_rate: str, auth_rate: str, num_proxies: int) -> dict:
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "workflow.tokens.ExpiringTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Pagination",
        "PAGE_SIZE": 50,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
        + ([] if testing else ["rest_framework.renderers.BrowsableAPIRenderer"]),
        "DEFAULT_PARSER_CLASSES": [
            "config.api.parsing.SafeJSONParser",
            "rest_framework.parsers.MultiPartParser",
            "rest_framework.parsers.FormParser",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "verify": verify_rate,
            # Password guessing: the token exchange and re-authentication at signing.
            "auth": auth_rate,
        },
        # Behind N reverse proxies, rate limits count the address N hops back in
        # X-Forwarded-For; unset (0), only REMOTE_ADDR counts and a client-chosen header changes
        # nothing. (Django REST framework's None would count the client's own header: never None.)
        "NUM_PROXIES": num_proxies,
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "Idhini API",
    "DESCRIPTION": (
        "Prepare, sign, submit and approve ICT project documents (e-Government Authority)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise show a badge fetched from validator.swagger.io (nothing is
    # fetched from outside, and the CSP would refuse it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # A similar project's status (similar/) is not a document's: each its own enum, by name.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "workflow.models.Status",
        "SimilarProjectStatusEnum": "similar.models.EntryStatus",
        "AttachmentKindEnum": "forms_templates.attachment_kinds.AttachmentKind.choices",
    },
}
