"""Strict request bodies: unknown fields are refused by name, not ignored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from workflow.exceptions import Invalid


def body_object(request, *, allowed: set[str], required: set[str] = frozenset()) -> dict[str, Any]:
    data = request.data
    if hasattr(data, "dict") and not isinstance(data, dict):
        data = data.dict()
    if data is None or data == "":
        data = {}
    if not isinstance(data, dict):
        raise Invalid(
            _("The body must be a JSON object."),
            errors={"non_field_errors": [_("The body must be a JSON object.")]},
        )
    errors: dict[str, list[str]] = {}
    for key in sorted(set(data) - allowed):
        errors[key] = [
            _("Unknown field. Allowed: %(allowed)s.")
            % {"allowed": ", ".join(sorted(allowed)) or _("none")}
        ]
    for key in sorted(required - set(data)):
        errors[key] = [_("This field is required.")]
    if errors:
        raise Invalid(_("Invalid request."), errors=errors)
    return dict(data)
