"""Answering htmx: part of a page instead of all of it, where that saves a page load.

The pages work without JavaScript. Where htmx is loaded, a few forms and links carry ``hx-*``
attributes next to their ordinary ``action``/``href`` and ask for the same URL with the
``HX-Request`` header; the view then renders only the part that changes (the list under the
filters, one table of the edit form). Everything else — the URL, the parameters, what is
checked — is the same request as without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def wants_part(request: HttpRequest) -> bool:
    """htmx asked for part of the page. A history restore asks for the whole page, with the
    same header (the site's htmx config turns those into full reloads; this is the fallback)."""
    return (
        request.headers.get("HX-Request") == "true"
        and "HX-History-Restore-Request" not in request.headers
    )


def answers_htmx(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view that renders part of its page to htmx.

    ``Vary: HX-Request`` on every answer, so that no cache (the browser's, when a person comes
    back to the URL) hands out the part as the page or the page as the part. A redirect
    (signed out meanwhile, the document no longer editable) becomes a full navigation with
    ``HX-Redirect``: the browser would otherwise follow it inside the request and htmx would put
    the whole page it lands on where the part goes.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if wants_part(request) and response.status_code in REDIRECTS:
            location = response["Location"]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = location
        patch_vary_headers(response, ["HX-Request"])
        return response

    return wrapper
