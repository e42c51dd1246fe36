"""Rules across fields beside the inputs they involve, on a section's own page.

A broken rule (forms_templates.rules) names its fields: ``start_date``, a table ``risks``, a row
``risks[2]`` or a cell ``budget_items[2].amount`` (rows from 1). On the page its message is shown
beside each of those fields that the page holds, and above a table's rows, whose cells and rows
involved are marked; each input names the message with ``aria-describedby``, and the error
summary lists the rule once, linked to its first input on the page. A required table's
"at least one row" is left out: a draft may be saved without rows, and the task list already
says what is missing.
"""

from __future__ import annotations

import re

from forms_templates.definitions import DocumentType
from forms_templates.forms import DocumentDataForm, SectionView, cell_name
from forms_templates.rule_base import Broken
from forms_templates.rules import RowsRequired, rules_of
from portal.forms_sections import ErrorLink

_PATH = re.compile(r"^(?P<item>\w+)(?:\[(?P<row>[0-9]+)\](?:\.(?P<column>\w+))?)?$")


def _add(target, message: str) -> None:
    messages = getattr(target, "rule_messages", None)
    if messages is None:
        messages = []
        target.rule_messages = messages
    if message not in messages:
        messages.append(message)


def _describe(bound, rule_id: str) -> None:
    ids = bound.field.widget.attrs.get("aria-describedby", "").split()
    if rule_id not in ids:
        bound.field.widget.attrs["aria-describedby"] = " ".join([*ids, rule_id])
        bound.field.widget.attrs["aria-invalid"] = "true"


def _place(form: DocumentDataForm, views: dict, path: str, message: str) -> str | None:
    """Show ``message`` beside the input of ``path``; the id of that input (None: not here)."""
    match = _PATH.match(path)
    view = views.get(match["item"]) if match else None
    if view is None:
        return None
    if not view.is_table:
        _add(view.bound, message)
        _describe(view.bound, f"{view.bound.auto_id}-rule")
        return view.bound.auto_id
    table = view.table
    _add(table, message)
    row = int(match["row"]) - 1 if match["row"] else None
    if row is None or row >= len(table.rows):
        return f"field-{table.key}"
    if not hasattr(table, "rule_rows"):
        table.rule_rows = set()
    table.rule_rows.add(row + 1)
    if match["column"] is None:
        return f"field-{table.key}"
    column = next((c for c in table.table.columns if c.key == match["column"]), None)
    name = cell_name(table.table, row, column) if column is not None else ""
    if name not in form.fields:
        return f"field-{table.key}"
    # The cell is marked and names the message above the table, not a copy of it: a rule over
    # a column involves every row, and the same sentence in each would drown the page.
    cell = form[name]
    cell.rule_flag = True
    _describe(cell, f"rule-{table.key}-{table.rule_messages.index(message)}")
    return cell.auto_id


def place_rules(
    definition: DocumentType,
    form: DocumentDataForm,
    sections: list[SectionView],
    broken: list[Broken],
    lang: str,
) -> list[ErrorLink]:
    """Put each broken rule of ``definition`` (the whole type) beside the inputs it involves on
    this page; the error summary's links, one per rule involving this page."""
    skip = {rule.code for rule in rules_of(definition) if isinstance(rule, RowsRequired)}
    views = {item.key: item for section in sections for item in section.items}
    links = []
    for rule in broken:
        if rule.code in skip:
            continue
        message = str(rule.as_dict(lang))
        placed = [_place(form, views, path, message) for path in rule.fields]
        first = next((anchor for anchor in placed if anchor), None)
        if first is not None:
            links.append(ErrorLink(f"#{first}", message))
    return links


def rows_by_table(broken: list[Broken]) -> dict[str, set[int]]:
    """``{table: {row, ...}}`` of the rows (from 1) the broken rules involve."""
    rows: dict[str, set[int]] = {}
    for rule in broken:
        for path in rule.fields:
            match = _PATH.match(path)
            if match and match["row"]:
                rows.setdefault(match["item"], set()).add(int(match["row"]))
    return rows
