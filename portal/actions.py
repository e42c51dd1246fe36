"""What each action looks like on a page. Its name, button, message and body fields are declared
once in workflow.actions; a page adds only the form that carries the body (:data:`FORMS`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms

from approvals.checklist_selectors import checklist_prefill
from forms_templates.registry import get_type
from portal.forms import (
    FIELD_COMMENT_PREFIX,
    ApproveForm,
    EmptyForm,
    OptionalReasonForm,
    ReasonForm,
    RequestChangesForm,
    SignForm,
    add_code_field,
)
from workflow.actions import ACTIONS as DECLARED
from workflow.actions import Action
from workflow.second_factor import code_needed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FormFactory = Callable[..., forms.Form]


def _prefill(document, data) -> dict[str, str] | None:
    """A request for changes starts from the checklist's "not met" notes: the list in the
    comment, each note beside the fields it judges; the reviewer edits them before sending."""
    if data is not None:
        return None
    prefill = checklist_prefill(document=document)
    initial = {FIELD_COMMENT_PREFIX + key: text for key, text in prefill.field_comments.items()}
    return {"comment": prefill.comment, **initial} if prefill.criteria else None


def _form_of(form_class) -> FormFactory:
    return lambda document, data=None: form_class(data, prefix=None)


# The form of each action's body, by its kind of body; an action without one gets EmptyForm.
FORMS: dict[str, FormFactory] = {
    "sign": _form_of(SignForm),
    "decline": _form_of(ReasonForm),
    "withdraw": _form_of(OptionalReasonForm),
    "approve": _form_of(ApproveForm),
    "reject": _form_of(ReasonForm),
    "request-changes": lambda document, data=None: RequestChangesForm(
        data, definition=get_type(document.type), initial=_prefill(document, data)
    ),
}


@dataclass(frozen=True)
class ActionSpec:
    """An action as a page shows it: the declaration, and the form of its body."""

    declared: Action
    form: FormFactory

    @property
    def label(self) -> Any:
        return self.declared.label

    @property
    def done(self) -> Any:
        return self.declared.done

    @property
    def style(self) -> str:
        return self.declared.style

    def fields(self, form: forms.Form) -> dict[str, Any]:
        """The form's answers as the action's body (the same fields the API takes)."""
        if hasattr(form, "action_fields"):
            return form.action_fields()
        return form.cleaned_data


# The actions that ask the second factor's code of a person enrolled (or required to be).
CODE_ACTIONS = {name for name, declared in DECLARED.items() if "otp" in declared.allowed}


def action_form(spec_name: str, document, user: User, data=None) -> forms.Form:
    """The form of an action for this person: with the code field where one is asked."""
    form = ACTIONS[spec_name].form(document, data)
    if spec_name in CODE_ACTIONS and code_needed(user):
        add_code_field(form)
    return form


ACTIONS: dict[str, ActionSpec] = {
    name: ActionSpec(declared, FORMS.get(name, _form_of(EmptyForm)))
    for name, declared in DECLARED.items()
}
