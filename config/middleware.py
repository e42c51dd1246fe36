"""Refuse requests that no database could store before any view sees them."""

from __future__ import annotations

from urllib.parse import unquote

from django.http import JsonResponse
from django.utils.translation import gettext as _

from workflow.api.parsing import text_is_storable


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
