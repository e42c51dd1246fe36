"""The browser's sign-in: Django's login, with the lockout message (django-axes) and the
"this is a shared computer" choice, which ends the session when the browser closes; then, for a
person with an authenticator, the second step (the code, or a recovery code) before the session
is theirs (config/login_code.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from config.login_code import enrolment_redirect, start_second_step
from workflow.second_factor import has_authenticator
from workflow.signin import lockout_message

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Your username and password did not match. Please try again."
        ),
    }
    shared_computer = forms.BooleanField(
        required=False,
        label=gettext_lazy("This is a shared computer"),
        help_text=gettext_lazy("Sign me out when the browser is closed."),
    )

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes refused the account (already locked, or locked by this failure).
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's own sign-in takes the password alone: a person with an authenticator is
    sent to ours, which asks the code too (and returns them to the admin)."""

    def confirm_login_allowed(self, user: User):
        super().confirm_login_allowed(user)
        if has_authenticator(user):
            raise ValidationError(
                gettext_lazy(
                    "Your account uses two-step verification: sign in at /accounts/login/?next="
                    "/admin/ instead."
                ),
                code="two_factor",
            )


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        shared = bool(form.cleaned_data.get("shared_computer"))
        if has_authenticator(user):
            # Not signed in yet: the password was right, the code comes next.
            start_second_step(self.request, user, shared=shared, next_url=self.get_success_url())
            return redirect("login-code")
        response = super().form_valid(form)
        if shared:
            self.request.session.set_expiry(0)  # a browser-session cookie: gone at closing
        return enrolment_redirect(self.request, user) or response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="locked_out"):
            response.status_code = 429
        return response
