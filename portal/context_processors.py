"""The header's unread count, for every page that shows it.

The count is a callable, not a number: the template calls it where the header renders it, so a
page without the header (an htmx part, the public verification page, a JSON answer) costs no
query, and a page that shows it twice (the header and the notifications page's own heading)
costs one. It is counted when the template renders, after the view's writes, so a page that has
just marked something read shows the new count.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from forms_templates.definitions import current_lang
from notifications import selectors
from workflow.agency import current_agency


def agency(request: HttpRequest) -> dict[str, Any]:
    """The agency as configured in admin (workflow.agency), read once a page uses it."""
    identity = SimpleLazyObject(current_agency)
    return {
        "agency": identity,
        "agency_name": SimpleLazyObject(lambda: identity.name.get(current_lang())),
    }


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    return {"unread_notifications": unread_counter(request)}


def unread_counter(request: HttpRequest) -> Callable[[], int]:
    """One counter per request, shared by every template rendered for it."""
    counter = getattr(request, "_unread_notifications", None)
    if counter is None:

        @cache
        def counter() -> int:
            user = request.user
            return selectors.unread_count(user) if user.is_authenticated else 0

        request._unread_notifications = counter
    return counter
