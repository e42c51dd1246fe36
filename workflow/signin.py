"""Password guessing stopped: the browser login, the API token exchange and the password asked
again at signing all go through Django's ``authenticate`` with django-axes in front.

django-axes records each failure per username, client address and browser, and counts the
username's from every address (``AXES_LOCKOUT_PARAMETERS`` in settings); after
``IDHINI_LOCKOUT_FAILURES`` of them within ``IDHINI_LOCKOUT_MINUTES`` the account is refused,
even with the right password, until the time passes or an administrator deletes the record
(admin: *Access attempts*).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.exceptions import Invalid, WorkflowError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class LockedOut(WorkflowError):
    """Too many wrong passwords: the account is locked for a while (429)."""

    status_code = 429
    default_code = "locked_out"


def lockout_message() -> str:
    minutes = settings.LOCKOUT_MINUTES
    return ngettext(
        "Too many wrong passwords: this account is locked for %(minutes)d minute. Try again "
        "later, or ask an administrator to unlock it.",
        "Too many wrong passwords: this account is locked for %(minutes)d minutes. Try again "
        "later, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, by the rule the rate limits use (Django REST framework's
    ``NUM_PROXIES``): with ``IDHINI_NUM_PROXIES=0`` only ``REMOTE_ADDR`` counts, so a
    client-chosen ``X-Forwarded-For`` changes nothing; behind N proxies, the address N hops
    back in ``X-Forwarded-For`` (the one our own nearest proxy wrote)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in ``AUTHENTICATION_BACKENDS``: a locked account is refused
    before any password is hashed. A call without a request comes from a shell or a management
    command, not from a client: nothing to count, the next backend decides."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _django_request(request: Any) -> HttpRequest:
    """Django's request under Django REST framework's, or a bare one for a caller without a
    request (a service called from a script still counts failures per username)."""
    if request is None:
        bare = HttpRequest()
        bare.META["PATH_INFO"] = "(no request)"
        return bare
    return getattr(request, "_request", request)


def authenticate_or_lock(request: Any, *, username: str, password: str):
    """The user for these credentials, None when they are wrong; LockedOut when the account is
    locked (already, or by this failure)."""
    django_request = _django_request(request)
    user = authenticate(django_request, username=username, password=password)
    if getattr(django_request, "axes_locked_out", False):
        raise LockedOut(lockout_message())
    return user


def reauthenticate(*, request: Any, user: User, password: Any) -> None:
    """The password asked again before a signature: 400 when missing or wrong, 429 locked out.
    Hashing takes about half a second: callers run this before taking any row lock."""
    if not isinstance(password, str) or not password:
        raise Invalid(
            _("Your password is needed to sign."),
            errors={"password": [_("Enter your password to confirm it is you.")]},
        )
    checked = authenticate_or_lock(request, username=user.get_username(), password=password)
    if checked is None or checked.pk != user.pk:
        raise Invalid(
            _("Wrong password."),
            code="wrong_password",
            errors={"password": [_("The password is not correct.")]},
        )


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer for a locked-out request (``AXES_LOCKOUT_CALLABLE``). Our own views
    have already answered 429 with the message in the person's language (the login page, the
    API's ``{"detail", "code": "locked_out"}``): that answer stands. Anything else (the admin's
    login page) gets the message alone."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
