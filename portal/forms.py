"""The pages' forms: they render and carry input; the services decide what is valid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_templates.definitions import DocumentType, current_lang
from forms_templates.forms import TITLE_MAX
from forms_templates.registry import all_types
from workflow.limits import TEXT_MAX
from workflow.models import (
    Project,
    Stage,
)
from workflow.roles import user_context
from workflow.selectors import visible_projects

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class NewProjectForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Project name"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "required": True}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"maxlength": TEXT_MAX, "rows": 3}),
    )
    existing = forms.ChoiceField(
        label=gettext_lazy("Is this system already running?"),
        choices=[
            ("no", gettext_lazy("No: a new project")),
            ("yes", gettext_lazy("Yes: it runs already, approved before Idhini")),
        ],
        initial="no",
        required=False,
        widget=forms.RadioSelect,
    )
    approval_reference = forms.CharField(
        label=gettext_lazy("Reference of the earlier approval's letter"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": 100, "aria-describedby": "id_approval_reference-hint"}
        ),
    )
    approval_date = forms.CharField(
        label=gettext_lazy("Date of the earlier approval"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "aria-describedby": "id_approval_date-hint"}),
    )

    def existing_system(self) -> dict[str, str] | None:
        """The API's ``existing_system`` body for what was posted (None: a new project)."""
        if self.cleaned_data.get("existing") != "yes":
            return None
        return {
            "approval_reference": self.cleaned_data.get("approval_reference", ""),
            "approval_date": self.cleaned_data.get("approval_date", ""),
        }

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, value in (errors or {}).items():
            if key == "existing_system" and isinstance(value, dict):
                for name, messages in value.items():
                    self.add_error(name if name in self.fields else "existing", messages)
            else:
                self.add_error(key if key in self.fields else None, value)


class NewDocumentForm(forms.Form):
    type = forms.CharField(label=gettext_lazy("Document type"), required=False)
    project = forms.CharField(label=gettext_lazy("Project"), required=False)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "required": True}),
    )

    def __init__(self, *args, types: list[DocumentType], projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["type"].widget = forms.Select(
            choices=[(d.key, d.name.get(lang)) for d in types]
        )
        self.fields["project"].widget = forms.Select(
            choices=[("", _("— none (e-mail account requests) —"))]
            + [(str(p.pk), p.name) for p in projects]
        )


def creatable_types(user: User) -> list[DocumentType]:
    """The types to offer: project documents to officers, the others to any institution staff.
    (The service decides; this only keeps the list to what can succeed for this person.)"""
    ctx = user_context(user)
    if not ctx.is_institution_staff:
        return []
    return [d for d in all_types().values() if ctx.is_officer or not d.needs_project]


def open_projects(user: User) -> list[Project]:
    return list(visible_projects(user).exclude(stage=Stage.COMPLETED).order_by("name"))


def new_document_form(request, *, data=None, project: Project | None = None):
    initial = {"project": str(project.pk)} if project is not None else None
    return NewDocumentForm(
        data,
        initial=initial,
        types=creatable_types(request.user),
        projects=open_projects(request.user),
    )


class EmptyForm(forms.Form):
    pass


class SignForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy("Signing asks for your password again, to be sure it is you."),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "required": True}),
    )


def add_code_field(form: forms.Form) -> forms.Form:
    """The second factor's code beside the password at signing, or on the approval, for a
    person of whom one is asked (workflow.second_factor)."""
    form.fields["otp"] = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        help_text=gettext_lazy("Six digits, or one of your recovery codes."),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "required": True}
        ),
    )
    return form


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX, "required": True}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )


class ApproveForm(CommentForm):
    """Approval's comment, and the reason to approve although the checklist is not complete
    (the page shows that box only then; the service decides whether it is needed)."""

    override_reason = forms.CharField(
        label=gettext_lazy("Why approve anyway?"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": TEXT_MAX, "aria-describedby": "override-criteria"}
        ),
    )

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, value in (errors or {}).items():
            if key == "checklist":  # the criteria: the override box names them
                continue
            self.add_error(key if key in self.fields else None, value)


FIELD_COMMENT_PREFIX = "fc-"


class RequestChangesForm(forms.Form):
    """A general comment, plus one optional comment per field — rendered next to each answer on
    the document page (inputs joined to this form by their ``form`` attribute)."""

    comment = forms.CharField(
        label=gettext_lazy("What must change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX, "required": True}),
    )

    def __init__(self, *args, definition: DocumentType, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        for item in definition.items():
            self.fields[FIELD_COMMENT_PREFIX + item.key] = forms.CharField(
                label=_("Comment on “%(field)s”") % {"field": item.label.get(lang)},
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 2, "maxlength": 2000, "form": "action-request-changes"}
                ),
            )

    def field_comments(self) -> dict[str, str]:
        return {
            name[len(FIELD_COMMENT_PREFIX) :]: value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(FIELD_COMMENT_PREFIX) and value.strip()
        }

    def action_fields(self) -> dict[str, Any]:
        """The body of ``request-changes``: the comment and the comments by field."""
        return {"comment": self.cleaned_data["comment"], "field_comments": self.field_comments()}

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, value in (errors or {}).items():
            if key == "field_comments" and isinstance(value, dict):
                for field_key, field_messages in value.items():
                    name = FIELD_COMMENT_PREFIX + field_key.split("[", 1)[0]
                    self.add_error(name if name in self.fields else None, field_messages)
            else:
                self.add_error(key if key in self.fields else None, value)


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The filled Word file (.docx)"),
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document",
                "aria-describedby": "id_file-hint",
            }
        ),
    )
