"""The browser's sign-in: Django's login, with the lockout message (django-axes) and the
"this is a shared computer" choice, which ends the session when the browser closes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy

from workflow.signin import lockout_message


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


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            self.request.session.set_expiry(0)  # a browser-session cookie: gone at closing
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="locked_out"):
            response.status_code = 429
        return response
