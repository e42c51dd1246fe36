"""The document's form a section at a time, and what a page needs to show its problems.

A section's form is the type's :class:`~forms_templates.forms.DocumentDataForm` over a copy of the
definition that holds that section alone: the same inputs, names and ids as the whole form, the
same conversion to JSON. It is always bound — to what was posted, or to the stored answers with
the answers kept in the form on top — so that a kept answer shows its error whenever the page is
opened again. Validation is always against the whole type (forms_templates.validation).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from forms_templates.answers import CELL_PATH
from forms_templates.definitions import DocumentType, Section, Table
from forms_templates.forms import (
    BLANK_ROWS,
    DocumentDataForm,
    SectionView,
    cell_name,
    rows_name,
    to_input_value,
)


@dataclass(frozen=True)
class ErrorLink:
    """One problem in an error summary: what is wrong, and the input it is about."""

    href: str
    text: str


def section_of(definition: DocumentType, key: str) -> Section | None:
    return next((s for s in definition.sections if s.key == key), None)


def section_definition(definition: DocumentType, section: Section) -> DocumentType:
    # A fresh ``extra``: the copy's caches (its item index) are its own, never the type's.
    return dataclasses.replace(definition, sections=(section,), extra={})


def form_values(definition: DocumentType, values: dict[str, Any], title: str) -> dict[str, str]:
    """What a browser would post for a form showing ``values`` (three blank rows per table)."""
    body: dict[str, str] = {"title": title}
    for item in definition.items():
        value = values.get(item.key)
        if isinstance(item, Table):
            rows = [row for row in value or [] if isinstance(row, dict)][: item.max_rows]
            for index, row in enumerate(rows):
                for column in item.columns:
                    body[cell_name(item, index, column)] = to_input_value(
                        column, row.get(column.key)
                    )
            body[rows_name(item)] = str(min(len(rows) + BLANK_ROWS, item.max_rows))
        else:
            body[item.key] = to_input_value(item, value)
    return body


def bound_form(
    definition: DocumentType,
    *,
    lang: str,
    values: dict[str, Any],
    title: str,
    errors: dict[str, list[str]] | None = None,
) -> DocumentDataForm:
    """The form showing ``values``, with ``errors`` (validation paths) next to their inputs."""
    form = DocumentDataForm(definition, lang=lang, data=form_values(definition, values, title))
    form.to_data()  # maps each table's rows, for errors by row
    place_errors(form, errors or {})
    return form


def place_errors(
    form: DocumentDataForm, errors: dict[str, list[str]], title_errors: list[str] = ()
) -> None:
    """Errors of the answers this form holds next to their inputs (others are not its own)."""
    own = {item.key for item in form.definition.items()}
    mine = {path: messages for path, messages in errors.items() if _item(path) in own}
    if mine:
        form.add_service_errors({"data": mine})
    if title_errors:
        form.add_error("title", list(title_errors))
    describe(form)


def _item(path: str) -> str:
    return re.split(r"[\[.]", path, maxsplit=1)[0]


def describe(form: DocumentDataForm) -> None:
    """Each input names its hint and its error with ``aria-describedby`` (ids the templates
    give those elements) and says ``aria-invalid`` when it has an error."""
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text and not _is_cell(name):
            ids.append(f"{bound.auto_id}-hint")
        elif field.help_text:  # a cell: its column's hint above the table
            table, _row, column = name.split("-", 2)
            ids.append(f"hint-{table}-{column}")
        if bound.errors:
            ids.append(f"{bound.auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)


def _is_cell(name: str) -> bool:
    return "-" in name


def error_links(form: DocumentDataForm, sections: list[SectionView]) -> list[ErrorLink]:
    """The error summary of a form: every error, in the order of the page, linked to its input."""
    links = [ErrorLink("#main-form", str(error)) for error in form.non_field_errors()]
    links += [ErrorLink(f"#{form['title'].auto_id}", str(e)) for e in form["title"].errors]
    for section in sections:
        for item in section.items:
            if item.is_table:
                table = item.table
                links += [ErrorLink(f"#field-{item.key}", str(e)) for e in table.errors]
                for row in table.rows:
                    for cell in row:
                        links += [ErrorLink(f"#{cell.auto_id}", str(e)) for e in cell.errors]
            else:
                links += [ErrorLink(f"#{item.bound.auto_id}", str(e)) for e in item.bound.errors]
    return links


def anchor(definition: DocumentType, path: str) -> str:
    """The id of the input a validation path is about, on a page showing the stored rows in
    order (row N of a message is the Nth row)."""
    match = CELL_PATH.match(path)
    if match:
        if match["column"]:
            return f"id_{match['table']}-{int(match['row']) - 1}-{match['column']}"
        return f"field-{match['table']}"
    item = definition.item(path)
    if isinstance(item, Table):
        return f"field-{path}"
    return f"id_{path}"


def text_inputs_for_numbers(form: DocumentDataForm) -> None:
    """Numbers and amounts as text inputs with a numeric keyboard (GOV.UK's advice): a browser's
    number input throws away what it cannot parse — "1,500,000" or a mistyped "12o" would be
    saved as blank — where a text input keeps it, for the save to keep and name the problem."""
    for field in form.fields.values():
        widget = field.widget
        if getattr(widget, "input_type", None) == "number":
            decimal = widget.attrs.get("step") == "any"
            widget.input_type = "text"
            for attr in ("step", "min"):
                widget.attrs.pop(attr, None)
            widget.attrs["inputmode"] = "decimal" if decimal else "numeric"
            widget.attrs["spellcheck"] = "false"


def posted(data: QueryDict) -> QueryDict:
    """The posted form without NUL characters: no database stores them, and Django's form fields
    refuse them (the form would not convert at all); an invisible character is all they are."""
    clean = data.copy()
    for key in clean:
        clean.setlist(key, [value.replace("\x00", "") for value in clean.getlist(key)])
    return clean
