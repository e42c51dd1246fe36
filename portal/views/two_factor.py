"""Two-step verification, the person's own pages: set up an authenticator app (scan the QR
code or type the secret, confirm with a code), the ten recovery codes shown once (and as a text
file), new recovery codes and removing the authenticator, each with a code from it.

The codes are never stored as typed (only digests, workflow.recovery_codes) and never kept in
the session: the response to the POST that makes them is the one page that shows them, with
the text file as a ``data:`` link in that page (no second request needs the codes).

Our own small views over django-otp's devices (workflow.second_factor) rather than
django-two-factor-auth: that one brings its own login wizard (in place of ours, with the
lockout and "shared computer"), its own templates and the qrcode library, and no Swahili.
"""

from __future__ import annotations

from urllib.parse import quote

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from config.login_code import CodeForm
from workflow.exceptions import Invalid
from workflow.second_factor import (
    check_code,
    enrol_confirm,
    has_authenticator,
    is_required_for,
    pending_device,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_remove,
    secret_of,
)
from workflow.signin import LockedOut


class ConfirmForm(forms.Form):
    otp = forms.CharField(
        label=gettext_lazy("The code your app shows now"),
        help_text=gettext_lazy("Six digits. A new one appears every 30 seconds."),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "required": True,
                "aria-describedby": "id_otp_helptext",
            }
        ),
    )


def _qr_svg(device) -> str:
    """The QR code of the otpauth:// address, drawn here (segno) as inline SVG: no image
    fetched from anywhere, nothing but markup the page's CSP allows."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code to scan with your authenticator app"), svgclass="qr"
    )


def _enrolment(request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
    device = pending_device(request.user)
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": secret_of(device),
        "required": is_required_for(request.user),
    }
    return render(request, "portal/two_factor_enrol.html", context, status=status)


@login_required
@never_cache
@sensitive_post_parameters("otp")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (not enrolled yet), or the state and what one may do (enrolled)."""
    if has_authenticator(request.user):
        context = {
            "left": recovery_codes_left(request.user),
            "required": is_required_for(request.user),
            "code_form": CodeForm(),
        }
        return render(request, "portal/two_factor.html", context)
    if request.method != "POST":
        return _enrolment(request, ConfirmForm())
    form = ConfirmForm(request.POST)
    form.is_valid()
    codes = enrol_confirm(user=request.user, code=form.cleaned_data.get("otp", ""))
    if codes is None:
        form.add_error("otp", _("That code does not match. Type the code your app shows now."))
        return _enrolment(request, form, status=400)
    return _codes_page(request, codes, _("Two-step verification is set up."))


def _codes_page(request: HttpRequest, codes: list[str], done: str) -> HttpResponse:
    """The one page showing new recovery codes (the answer to the POST that made them; not
    cached, nothing kept to show them again), with the text file as a ``data:`` link."""
    lines = [
        _("Idhini: recovery codes for %(user)s") % {"user": request.user.get_username()},
        _("Each code works once, in place of the code from your app."),
        "",
        *codes,
        "",
    ]
    messages.success(request, done)
    context = {
        "codes": codes,
        "text_href": "data:text/plain;charset=utf-8," + quote("\n".join(lines)),
    }
    response = render(request, "portal/two_factor_codes.html", context)
    add_never_cache_headers(response)
    return response


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Where the codes page once was (a bookmark, "back"): the codes are not shown again;
    the two-step page offers new ones."""
    return redirect(reverse("web:two-factor"))


def _with_code(request: HttpRequest, then) -> HttpResponse:
    """Run ``then`` once the code in the POST is right; else the page again with the error."""
    form = CodeForm(request.POST)
    form.is_valid()
    try:
        check_code(request=request, user=request.user, code=form.cleaned_data.get("otp", ""))
    except LockedOut as exc:
        messages.error(request, exc.message)
        status = 429
    except Invalid as exc:
        for message in (exc.errors or {}).get("otp", [exc.message]):
            form.add_error("otp", message)
        status = 400
    else:
        return then()
    context = {
        "left": recovery_codes_left(request.user),
        "required": is_required_for(request.user),
        "code_form": form,
    }
    return render(request, "portal/two_factor.html", context, status=status)


@login_required
@require_POST
@sensitive_post_parameters("otp")
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    def then():
        codes = recovery_codes_renew(user=request.user)
        return _codes_page(
            request, codes, _("New recovery codes are made; the old ones no longer work.")
        )

    return _with_code(request, then)


@login_required
@require_POST
@sensitive_post_parameters("otp")
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    def then():
        second_factor_remove(user=request.user)
        messages.success(request, _("Your authenticator app and recovery codes are removed."))
        return redirect(reverse("web:two-factor"))

    return _with_code(request, then)
