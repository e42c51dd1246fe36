"""Does what was read from a Word file belong to this form? Each check names the problem and the
way out (download the right template, keep one copy of a row, move stray text), in the person's
language; :func:`check_conformance` runs them in the order a person would fix them."""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from forms_templates.definitions import DocumentType, Table, current_lang
from forms_templates.docx.errors import DocxError
from forms_templates.registry import all_types


class Found(Protocol):
    """What the reader found in the file (read._Found)."""

    doc_types: list[str]
    fields: dict[str, str]
    tables: dict[str, list[dict[str, str]]]
    columns: dict[str, set[str]]
    duplicates: list[str]
    stray: list[str]


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _name(definition: DocumentType) -> str:
    return definition.name.get(current_lang())


def _label(definition: DocumentType, key: str) -> str:
    item = definition.item(key)
    return item.label.get(current_lang()) if item else key


def _no_fields(definition: DocumentType) -> DocxError:
    return DocxError(
        _(
            "This file has no Idhini form fields. Download the Word template of the "
            "“%(type)s” from Idhini, fill it in and upload it."
        )
        % {"type": _name(definition)},
        code="no_fields",
    )


def _other_type(found: Found, definition: DocumentType, keys: set[str]) -> str | None:
    """The type whose template this file is, when it is not ``definition``'s."""
    other = next((key for key in found.doc_types if key != definition.key), None)
    known = {item.key for item in definition.items()}
    if other is None and keys and not keys <= known:
        # No type mark left: the keys tell whose template it is.
        other = next(
            (
                key
                for key, candidate in all_types().items()
                if key != definition.key and keys <= {item.key for item in candidate.items()}
            ),
            None,
        )
    return other


def _check_type(found: Found, definition: DocumentType, keys: set[str]) -> None:
    other_type = _other_type(found, definition, keys)
    if other_type is None:
        return
    other = all_types().get(other_type)
    if other is None:
        raise DocxError(
            _(
                "This file is a template for a document type Idhini no longer has. "
                "Download the Word template of the “%(type)s” and copy your answers into it."
            )
            % {"type": _name(definition)},
            code="wrong_type",
        )
    raise DocxError(
        _(
            "This file is the Word template of a “%(found)s”, but this document is a "
            "“%(expected)s”. Download the template of the “%(expected)s” from Idhini."
        )
        % {"found": _name(other), "expected": _name(definition)},
        code="wrong_type",
    )


def _shape_differences(found: Found, definition: DocumentType, keys: set[str]) -> list[str]:
    """What differs between the file's fields and tables and the current form's, in words."""
    known = {item.key for item in definition.items()}
    unknown = sorted(keys - known)
    missing = [item.key for item in definition.items() if item.key not in keys]
    changed_tables = [
        item.key
        for item in definition.items()
        if isinstance(item, Table)
        and item.key in found.tables
        and found.columns.get(item.key, set()) != {column.key for column in item.columns}
    ]
    details = []
    if unknown:
        details.append(
            _("it has fields the form no longer asks for (%(fields)s)")
            % {"fields": ", ".join(unknown)}
        )
    if missing:
        details.append(
            _("it lacks fields the form asks for (%(fields)s)")
            % {"fields": ", ".join(_label(definition, key) for key in missing)}
        )
    if changed_tables:
        details.append(
            _("the columns of these tables differ (%(tables)s)")
            % {"tables": ", ".join(_label(definition, key) for key in changed_tables)}
        )
    return details


def check_conformance(definition: DocumentType, found: Found) -> None:
    """Raise the first :class:`DocxError` that keeps ``found`` from being this form's answers."""
    keys = set(found.fields) | set(found.tables)
    if not keys and not found.doc_types:
        raise _no_fields(definition)
    _check_type(found, definition, keys)
    if not keys:
        raise _no_fields(definition)
    if found.duplicates:
        raise DocxError(
            _(
                "“%(field)s” appears twice in the file (was a row or table copied?). Keep one "
                "and upload the file again."
            )
            % {"field": _label(definition, found.duplicates[0])},
            code="duplicate_field",
        )
    details = _shape_differences(found, definition, keys)
    if details:
        raise DocxError(
            _(
                "This file does not match the current “%(type)s” form: %(details)s. It was made "
                "from an older template, or parts of the form were deleted. Download a new "
                "template and copy your answers into it."
            )
            % {"type": _name(definition), "details": "; ".join(details)},
            code="outdated_template",
        )
    if found.stray:
        raise DocxError(
            _(
                "The file has text outside the form's answer cells: “%(text)s”. Move it into "
                "the answer cell it belongs to (or delete it) and upload the file again."
            )
            % {"text": preview(found.stray[0])},
            code="stray_text",
        )
