"""What each action looks like on a page: its button, its form, the message after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from forms_templates.registry import get_type
from portal.forms import (
    CommentForm,
    EmptyForm,
    OptionalReasonForm,
    ReasonForm,
    RequestChangesForm,
    SignForm,
)


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    done: Any
    form: Callable[..., forms.Form]
    style: str = ""
    # The form's answers as the action's fields (approvals.actions takes the same as the API).
    fields: Callable[[forms.Form], dict[str, Any]] = lambda form: form.cleaned_data


def _form_of(form_class):
    return lambda document, data=None: form_class(data, prefix=None)


ACTIONS: dict[str, ActionSpec] = {
    "request-signatures": ActionSpec(
        gettext_lazy("Send for signature"),
        gettext_lazy("Sent for signature."),
        _form_of(EmptyForm),
    ),
    "sign": ActionSpec(
        gettext_lazy("Sign"),
        gettext_lazy("You have signed the document."),
        _form_of(SignForm),
    ),
    "decline": ActionSpec(
        gettext_lazy("Decline to sign"),
        gettext_lazy("You declined to sign; the document is back with its author."),
        _form_of(ReasonForm),
        "danger",
    ),
    "submit": ActionSpec(
        gettext_lazy("Submit to the agency"),
        gettext_lazy("Submitted to the e-Government Agency."),
        _form_of(EmptyForm),
    ),
    "withdraw": ActionSpec(
        gettext_lazy("Withdraw"),
        gettext_lazy("The document was withdrawn."),
        _form_of(OptionalReasonForm),
        "danger",
    ),
    "claim": ActionSpec(
        gettext_lazy("Claim for review"),
        gettext_lazy("The document is yours to review."),
        _form_of(EmptyForm),
    ),
    "release": ActionSpec(
        gettext_lazy("Release to the queue"),
        gettext_lazy("The document is back in the queue."),
        _form_of(EmptyForm),
        "secondary",
    ),
    "approve": ActionSpec(
        gettext_lazy("Approve"),
        gettext_lazy("The document is approved."),
        _form_of(CommentForm),
    ),
    "reject": ActionSpec(
        gettext_lazy("Reject"),
        gettext_lazy("The document is rejected."),
        _form_of(ReasonForm),
        "danger",
    ),
    "request-changes": ActionSpec(
        gettext_lazy("Request changes"),
        gettext_lazy("The document is returned to its author with your comments."),
        lambda document, data=None: RequestChangesForm(data, definition=get_type(document.type)),
        "secondary",
        lambda form: {
            "comment": form.cleaned_data["comment"],
            "field_comments": form.field_comments(),
        },
    ),
}
