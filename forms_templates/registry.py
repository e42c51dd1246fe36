"""The registry of document types: every module in forms_templates/types/ with a DEFINITION."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from forms_templates import types as types_package
from forms_templates.definitions import DocumentType

# The order people see them in.
ORDER = (
    "concept_note",
    "implementation_report",
    "completion_report",
    "terms_of_reference",
    "email_account_request",
)


@cache
def all_types() -> dict[str, DocumentType]:
    found: dict[str, DocumentType] = {}
    for module_info in pkgutil.iter_modules(types_package.__path__):
        module = importlib.import_module(f"{types_package.__name__}.{module_info.name}")
        definition = getattr(module, "DEFINITION", None)
        if isinstance(definition, DocumentType):
            definition.check()
            if definition.key in found:
                raise ValueError(f"document type {definition.key!r} is defined twice")
            found[definition.key] = definition
    ordered = {key: found[key] for key in ORDER if key in found}
    ordered.update({key: value for key, value in sorted(found.items()) if key not in ordered})
    return ordered


def get_type(key: str) -> DocumentType | None:
    return all_types().get(key)


def type_choices() -> list[tuple[str, str]]:
    return [(key, definition.name.en) for key, definition in all_types().items()]
