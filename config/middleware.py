"""Refuse requests that no database could store before any view sees them; speak Swahili first;
send a Content-Security-Policy with every page."""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from config.api.parsing import text_is_storable


class RejectUnstorableTextMiddleware:
    """A NUL character or a lone surrogate in the path, the query or the credentials is a 400
    (PostgreSQL would raise on it deep inside a query, as a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parts = {
            "path": request.path,
            "query": unquote(request.META.get("QUERY_STRING", ""), errors="surrogateescape"),
            "authorization": request.META.get("HTTP_AUTHORIZATION", ""),
        }
        for name, value in parts.items():
            if not text_is_storable(value):
                return JsonResponse(
                    {name: [_("The request contains characters that cannot be processed.")]},
                    status=400,
                )
        return self.get_response(request)


class SwahiliFirstMiddleware:
    """Pages speak Swahili unless the person chose English (the language switch's cookie); a
    browser's Accept-Language does not override the agency's default. API clients may still
    ask for English with Accept-Language. Runs before Django's LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Every HTML page and JSON answer carries a Content-Security-Policy (settings.CSP_*): were
    markup ever slipped into a page (a title, a comment), the browser would still run no script
    and load nothing but our own files. Django 5.2 has no CSP of its own. Static files (WhiteNoise
    answers them before this runs), PDFs and Word files go without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = policy_for(request, response)
            if policy:
                response["Content-Security-Policy"] = policy
        return response


def policy_for(request, response) -> str | None:
    """Our pages and the admin get the strict policy; the API's HTML (Swagger UI, DRF's browsable
    API), written by others with inline styles, gets the same script rules but allows those; JSON
    gets the policy that allows nothing at all."""
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    if content_type == "text/html":
        if settings.DEBUG and response.status_code >= 400:
            return None  # Django's debug error pages are inline CSS and JavaScript.
        if request.path_info.startswith("/api/"):
            return csp_header(settings.CSP_API_HTML)
        return csp_header(settings.CSP_PAGES)
    if content_type == "application/json" or content_type.endswith("+json"):
        return csp_header(settings.CSP_DATA)
    return None


def csp_header(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())
