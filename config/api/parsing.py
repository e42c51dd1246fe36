"""Strict request bodies: unknown fields are refused by name, not ignored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from workflow.exceptions import Invalid


def body_object(request, *, allowed: set[str], required: set[str] = frozenset()) -> dict[str, Any]:
    data = request.data
    if hasattr(data, "getlist"):  # a form-encoded body: a QueryDict of lists
        data = data.dict()
    # An empty body reaches here as {} (REST framework's "no content"); JSON null is None, and
    # means something else than nothing: like an array, a string or a number, it is refused.
    if not isinstance(data, dict):
        message = _("The body must be a JSON object or empty, not %(kind)s.") % {
            "kind": _json_kind(data)
        }
        raise Invalid(message, errors={"non_field_errors": [message]})
    errors: dict[str, list[str]] = {}
    for path in _unstorable_text(data):
        errors[path] = [_("Text may not contain the NUL character or broken Unicode.")]
    if errors:
        raise Invalid(_("Invalid request."), errors=errors)
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


def _json_kind(value: Any) -> str:
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, int | float):
        return _("a number")
    return _("a value of another kind")


def text_is_storable(value: str) -> bool:
    """PostgreSQL stores no NUL character, and nothing stores a lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unstorable_text(value: Any, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(value, str):
        if not text_is_storable(value):
            found.append(path or "non_field_errors")
    elif isinstance(value, dict):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            if not text_is_storable(str(key)):
                found.append(path or "non_field_errors")
            found.extend(_unstorable_text(item, key_path))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_unstorable_text(item, f"{path}[{index + 1}]"))
    return found


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python can recurse is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
