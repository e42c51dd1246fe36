"""The reviewer's decision: one form for the three decisions, so that whatever was typed (the
comment, a comment beside any answer) travels with whichever button is pressed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_templates.definitions import DocumentType, current_lang
from workflow.limits import TEXT_MAX

FIELD_COMMENT_PREFIX = "fc-"
DECISIONS = ("approve", "reject", "request-changes")
FORM_ID = "decision"


class DecisionForm(forms.Form):
    """``comment``: the approval's comment, the rejection's reason, or what must change. One
    ``fc-<key>`` per answer (and the title), rendered beside it and joined to this form by the
    ``form`` attribute. Ids start with ``decision-``: unique on the page."""

    comment = forms.CharField(
        label=gettext_lazy("Your comment"),
        help_text=gettext_lazy(
            "Needed to reject (the reason) or to return for changes (what must change); "
            "optional with an approval."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX, "form": FORM_ID}),
    )

    # On the approval's confirmation page only, when the review checklist is not complete:
    # why the agency approves anyway (approvals.services.document_approve).
    override_reason = forms.CharField(
        label=gettext_lazy("Why approve although the checklist is not complete?"),
        help_text=gettext_lazy(
            "Kept in the document's history with the approval. Needed while a criterion is "
            "not marked or marked “not met”."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )

    def __init__(self, *args, definition: DocumentType, **kwargs):
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        lang = current_lang()
        labels = [("title", _("Title"))] + [(i.key, i.label.get(lang)) for i in definition.items()]
        for key, label in labels:
            self.fields[FIELD_COMMENT_PREFIX + key] = forms.CharField(
                label=_("Comment on “%(field)s”") % {"field": label},
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 2, "maxlength": 2000, "form": FORM_ID, "class": "fc"}
                ),
            )
            self.fields[FIELD_COMMENT_PREFIX + key].answer_label = label

    def typed(self) -> dict[str, str]:
        """Everything typed, by input name (for the hidden inputs of a confirmation page)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: value for name, value in data.items() if isinstance(value, str) and value}

    def carried(self) -> dict[str, str]:
        """What the confirmation page carries in hidden inputs (the override has its own box)."""
        return {name: value for name, value in self.typed().items() if name != "override_reason"}

    def field_comments(self) -> dict[str, str]:
        return {
            name[len(FIELD_COMMENT_PREFIX) :]: value.strip()
            for name, value in self.typed().items()
            if name.startswith(FIELD_COMMENT_PREFIX) and value.strip()
        }

    def collected(self) -> list[tuple[str, str, str]]:
        """(answer label, comment, anchor) of every field comment typed, in form order."""
        comments = self.field_comments()
        return [
            (self.fields[FIELD_COMMENT_PREFIX + key].answer_label, text, f"answer-{key}")
            for key, text in comments.items()
        ]

    def fields_for(self, decision: str) -> dict[str, Any]:
        """The action's fields (approvals.actions takes what the API takes)."""
        comment = self.typed().get("comment", "")
        if decision == "reject":
            return {"reason": comment}
        if decision == "request-changes":
            return {"comment": comment, "field_comments": self.field_comments()}
        if "override_reason" not in self.data:  # not asked: the checklist was complete
            return {"comment": comment}
        # Asked on the confirmation page: a blank reason is refused beside its box.
        return {"comment": comment, "override_reason": self.typed().get("override_reason", "")}

    def add_service_errors(self, errors: dict[str, Any] | None) -> None:
        for key, value in (errors or {}).items():
            if key in ("comment", "reason"):
                self.add_error("comment", value)
            elif key == "override_reason":
                self.add_error("override_reason", value)
            elif key == "checklist":
                continue  # named by the confirmation page's list of criteria
            elif key == "field_comments" and isinstance(value, dict):
                for field_key, field_messages in value.items():
                    name = FIELD_COMMENT_PREFIX + field_key.split("[", 1)[0]
                    self.add_error(name if name in self.fields else None, field_messages)
            else:
                self.add_error(None, value)
