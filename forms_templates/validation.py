"""Validation of form data against a type's JSON Schema, with messages a person understands.

Errors are returned as ``{path: [message, ...]}`` where path is the field key, or
``table[row].column`` for a cell (rows counted from 1, as people count them).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from forms_templates.definitions import DocumentType, Field, Table, current_lang


def _validator(definition: DocumentType) -> Draft202012Validator:
    # Kept on the definition itself, like its schema: a type registered later gets its own.
    validator = definition.extra.get("_validator")
    if validator is None:
        schema = definition.json_schema()
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        definition.extra["_validator"] = validator
    return validator


def _path_and_label(definition: DocumentType, path: list[Any]) -> tuple[str, str]:
    lang = current_lang()
    if not path:
        return "data", _("the form data")
    item = definition.item(str(path[0]))
    if item is None:
        return str(path[0]), str(path[0])
    if isinstance(item, Table) and len(path) >= 2 and isinstance(path[1], int):
        row = path[1] + 1
        if len(path) >= 3:
            column = next((c for c in item.columns if c.key == path[2]), None)
            column_label = column.label.get(lang) if column else str(path[2])
            return (
                f"{item.key}[{row}].{path[2]}",
                _("%(table)s, row %(row)d, %(column)s")
                % {"table": item.label.get(lang), "row": row, "column": column_label},
            )
        return f"{item.key}[{row}]", _("%(table)s, row %(row)d") % {
            "table": item.label.get(lang),
            "row": row,
        }
    return item.key, item.label.get(lang)


def _message(error: SchemaError, label: str, field: Field | None) -> str:
    validator = error.validator
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("%(where)s has unknown fields: %(fields)s") % {
            "where": label,
            "fields": ", ".join(extra),
        }
    if validator == "type":
        expected = error.validator_value
        names = {
            "string": _("text"),
            "number": _("a number"),
            "integer": _("a whole number"),
            "array": _("a list of rows"),
            "object": _("an object"),
        }
        if isinstance(expected, list):
            expected = expected[0]
        return _("%(field)s must be %(kind)s.") % {
            "field": label,
            "kind": names.get(expected, expected),
        }
    if validator == "maxLength":
        return _("%(field)s is too long: at most %(limit)d characters, this has %(length)d.") % {
            "field": label,
            "limit": error.validator_value,
            "length": len(error.instance),
        }
    if validator == "maxItems":
        return _("%(field)s has too many rows: at most %(limit)d.") % {
            "field": label,
            "limit": error.validator_value,
        }
    if validator in ("minimum", "maximum"):
        return _("%(field)s is out of range (%(low)s to %(high)s).") % {
            "field": label,
            "low": error.schema.get("minimum", ""),
            "high": error.schema.get("maximum", ""),
        }
    if validator == "enum":
        return _("%(field)s must be one of: %(choices)s.") % {
            "field": label,
            "choices": ", ".join(str(v) for v in error.validator_value),
        }
    if validator in ("pattern", "format"):
        kind = field.kind if field else ""
        if kind == "date":
            return _("%(field)s must be a date written YYYY-MM-DD.") % {"field": label}
        if kind == "email":
            return _("%(field)s must be an e-mail address.") % {"field": label}
        if kind == "phone":
            return _("%(field)s must be a phone number, e.g. +255 22 212 3456.") % {"field": label}
        return _("%(field)s is not in the expected form.") % {"field": label}
    return _("%(field)s is not valid.") % {"field": label}


def _field_at(definition: DocumentType, path: list[Any]) -> Field | None:
    if not path:
        return None
    item = definition.item(str(path[0]))
    if isinstance(item, Field):
        return item
    if isinstance(item, Table) and len(path) >= 3:
        return next((c for c in item.columns if c.key == path[2]), None)
    return None


def validate_data(definition: DocumentType, data: Any) -> dict[str, list[str]]:
    """Return the errors of ``data`` against the type's schema (empty when valid)."""
    if not isinstance(data, dict):
        return {"data": [_("The form data must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    for error in sorted(_validator(definition).iter_errors(data), key=lambda e: list(e.path)):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and not path:
            for key in sorted(set(data) - set(definition.json_schema()["properties"])):
                errors.setdefault(key, []).append(
                    _("Unknown field “%(field)s” for %(type)s.")
                    % {"field": key, "type": definition.name.get(current_lang())}
                )
            continue
        key, label = _path_and_label(definition, path)
        message = _message(error, label, _field_at(definition, path))
        messages = errors.setdefault(key, [])
        if message not in messages:  # "pattern" and "format" say the same thing
            messages.append(message)
    return errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_required(
    definition: DocumentType, data: dict[str, Any], form_version: int | None = None
) -> dict[str, list[str]]:
    """Fields that must be answered before a document goes for signature; of a document filled
    against an earlier form (``form_version``), only what that form asked."""
    lang = current_lang()
    errors: dict[str, list[str]] = {}
    asked = definition.form_version if form_version is None else form_version
    for item in definition.items():
        if item.since > asked:
            continue
        value = data.get(item.key)
        if isinstance(item, Table):
            rows = value or []
            if item.required and not rows:
                errors[item.key] = [
                    _("%(field)s needs at least one row.") % {"field": item.label.get(lang)}
                ]
            for number, row in enumerate(rows, start=1):
                for column in item.columns:
                    if column.required and column.since <= asked and _blank(row.get(column.key)):
                        errors[f"{item.key}[{number}].{column.key}"] = [
                            _("%(table)s, row %(row)d: %(column)s is required.")
                            % {
                                "table": item.label.get(lang),
                                "row": number,
                                "column": column.label.get(lang),
                            }
                        ]
        elif item.required and _blank(value):
            errors[item.key] = [_("%(field)s is required.") % {"field": item.label.get(lang)}]
    return errors


def missing_attachments(definition: DocumentType, manifest: list[dict[str, Any]]) -> list[str]:
    """The kinds of annex the type requires that ``manifest`` (the document's current annexes,
    ``{kind, ...}`` each) lacks, each as a message naming it."""
    from forms_templates.attachment_kinds import kind_label

    present = {entry.get("kind") for entry in manifest}
    lang = current_lang()
    return [
        _("The annex “%(kind)s” is required: attach it before sending for signature.")
        % {"kind": kind_label(kind).get(lang)}
        for kind in definition.required_attachments
        if kind not in present
    ]


def merge_data(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH semantics: keys in ``changes`` replace those stored; a null removes the answer."""
    merged = dict(current)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
