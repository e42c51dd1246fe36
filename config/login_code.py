"""The second step of the browser's sign-in: after the right password, a person with an
authenticator types its code (or one of their recovery codes) before the session is theirs.

Between the two steps the session holds only who passed the password, when, and where to go
next; it is not signed in. The step expires after :data:`STEP_SECONDS`. A wrong code counts for
the lockout like a wrong password (workflow.second_factor.check_code).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from workflow.exceptions import Invalid
from workflow.second_factor import check_code, has_authenticator, is_required_for
from workflow.signin import LockedOut

if TYPE_CHECKING:
    from django.contrib.auth.models import User

STEP_SECONDS = 300
_PENDING = "idhini_2fa_pending"


class CodeForm(forms.Form):
    otp = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy(
            "Six digits, from the app on your phone. Lost your phone? Type one of your "
            "recovery codes instead: each works once."
        ),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
                "required": True,
                "aria-describedby": "id_otp_helptext",
            }
        ),
    )


def start_second_step(request: HttpRequest, user: User, *, shared: bool, next_url: str) -> None:
    request.session[_PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "shared": shared,
        "next": next_url,
        "at": time.time(),
    }


def enrolment_redirect(request: HttpRequest, user: User) -> HttpResponse | None:
    """A signatory or reviewer who must have a second factor and has none: to enrolment."""
    if has_authenticator(user) or not is_required_for(user):
        return None
    messages.warning(
        request,
        _(
            "Two-step verification is required for you: set up your authenticator app now. "
            "You cannot sign or decide on documents until it is set up."
        ),
    )
    return redirect(reverse("web:two-factor"))


def _pending_user(request: HttpRequest):
    pending = request.session.get(_PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > STEP_SECONDS:
        request.session.pop(_PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _render(request: HttpRequest, form: CodeForm, status: int = 200, error: str = ""):
    context = {"form": form, "error": error}
    return render(request, "registration/login_code.html", context, status=status)


@never_cache
@sensitive_post_parameters("otp")
def login_code(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, _("Sign in again: the time for the code has passed."))
        return redirect("login")
    if request.method != "POST":
        return _render(request, CodeForm())
    form = CodeForm(request.POST)
    form.is_valid()
    try:
        check_code(request=request, user=user, code=form.cleaned_data.get("otp", ""))
    except LockedOut as exc:
        request.session.pop(_PENDING, None)
        return _render(request, CodeForm(), status=429, error=exc.message)
    except Invalid as exc:
        for message in (exc.errors or {}).get("otp", [exc.message]):
            form.add_error("otp", message)
        return _render(request, form, status=400)
    request.session.pop(_PENDING, None)
    login(request, user, backend=pending["backend"])
    if pending.get("shared"):
        request.session.set_expiry(0)
    next_url = pending.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
