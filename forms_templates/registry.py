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

# Types registered at run time (a plug-in, a test), after those of forms_templates/types/.
_registered: dict[str, DocumentType] = {}


@cache
def _discovered() -> dict[str, DocumentType]:
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
    _check_references(ordered)
    return ordered


def _check_references(types: dict[str, DocumentType]) -> None:
    for definition in types.values():
        for required in definition.requires_approved:
            other = types.get(required)
            if other is None or not other.needs_project:
                raise ValueError(f"{definition.key}: requires unknown project type {required!r}")
    for key in types:
        prerequisites(key, types)  # raises on a cycle


def all_types() -> dict[str, DocumentType]:
    if not _registered:
        return _discovered()
    return {**_discovered(), **_registered}


def get_type(key: str) -> DocumentType | None:
    return all_types().get(key)


def type_choices() -> list[tuple[str, str]]:
    return [(key, definition.name.en) for key, definition in all_types().items()]


def register(definition: DocumentType) -> None:
    """Add a type at run time, exactly as a module in forms_templates/types/ would add it.

    Database constraints derived from the registry (workflow.models) are those of the files;
    the services enforce every rule of a registered type themselves.
    """
    definition.check()
    if definition.key in all_types():
        raise ValueError(f"document type {definition.key!r} is defined twice")
    _check_references({**all_types(), definition.key: definition})
    _registered[definition.key] = definition


def unregister(key: str) -> None:
    _registered.pop(key, None)


def prerequisites(key: str, types: dict[str, DocumentType] | None = None) -> list[str]:
    """Every type that must be approved in a project before a ``key`` document, in the order they
    can be approved (a completion report: concept note, then implementation report)."""
    types = all_types() if types is None else types
    chain: list[str] = []

    def visit(current: str, path: tuple[str, ...]) -> None:
        for required in types[current].requires_approved:
            if required in path:
                raise ValueError(f"document types require each other: {' -> '.join(path)}")
            visit(required, (*path, required))
            if required not in chain:
                chain.append(required)

    visit(key, (key,))
    return chain
