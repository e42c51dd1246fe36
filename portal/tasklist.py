"""The task list of a document's form: each section with its status, from the same validation as
the API (forms_templates.validation: the schema for the answers kept in the form, the required
answers ``request-signatures`` asks for).

- *has problems*: an answer of the section is kept in the form but not valid, or the section's
  answers break a rule across fields (forms_templates.rules: a total that is not the sum of
  its lines, an end before the start);
- *not started*: nothing answered and the section never saved;
- *in progress*: a required answer of the section is still missing;
- *complete*: otherwise (a section of optional answers only is complete once saved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from forms_templates.definitions import DocumentType, Section
from forms_templates.rule_base import Broken
from forms_templates.rules import RowsRequired, rules_of
from forms_templates.validation import missing_required, validate_data
from portal.forms_sections import anchor
from portal.services import item_of

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
PROBLEMS = "problems"

STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    COMPLETE: gettext_lazy("Complete"),
    PROBLEMS: gettext_lazy("Has problems"),
}


@dataclass(frozen=True)
class Problem:
    section: str
    anchor: str
    text: str


@dataclass
class Task:
    section: Section
    title: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    missing: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _problems(definition: DocumentType, errors: dict[str, list[str]]) -> dict[str, list[Problem]]:
    by_section: dict[str, list[Problem]] = {}
    where = {item.key: s.key for s in definition.sections for item in s.items}
    for path, messages in errors.items():
        section = where.get(item_of(path))
        if section is None:
            continue
        for message in messages:
            by_section.setdefault(section, []).append(
                Problem(section, anchor(definition, path), str(message))
            )
    return by_section


def _rule_problems(
    definition: DocumentType, broken: list[Broken], lang: str
) -> dict[str, list[Problem]]:
    """Each broken rule once in every section it involves, linked to its first field there. A
    required table without rows is left to the missing answers, which already say so."""
    skip = {rule.code for rule in rules_of(definition) if isinstance(rule, RowsRequired)}
    where = {item.key: s.key for s in definition.sections for item in s.items}
    by_section: dict[str, list[Problem]] = {}
    for rule in broken:
        if rule.code in skip:
            continue
        text = str(rule.as_dict(lang))
        for path in rule.fields:
            section = where.get(item_of(path))
            if section is None or any(p.text == text for p in by_section.get(section, [])):
                continue
            by_section.setdefault(section, []).append(
                Problem(section, anchor(definition, path), text)
            )
    return by_section


def document_tasks(
    definition: DocumentType,
    *,
    data: dict[str, Any],
    kept: dict[str, Any],
    sections_saved: list[str],
    lang: str,
    broken: list[Broken] | None = None,
    form_version: int | None = None,
) -> list[Task]:
    """The sections in order, each with its status and its problems (answers kept that are
    not valid, then the rules across fields it breaks) and missing answers."""
    invalid = _problems(definition, validate_data(definition, kept) if kept else {})
    for section, found in _rule_problems(definition, broken or [], lang).items():
        invalid.setdefault(section, []).extend(found)
    # A kept answer stands for what is stored until it is valid: required if still missing.
    missing = _problems(definition, missing_required(definition, data, form_version))
    tasks = []
    for section in definition.sections:
        keys = [item.key for item in section.items]
        answered = any(not _blank(data.get(key)) or key in kept for key in keys)
        problems = invalid.get(section.key, [])
        missing_here = missing.get(section.key, [])
        if problems:
            status = PROBLEMS
        elif not answered and section.key not in sections_saved:
            status = NOT_STARTED
        elif missing_here:
            status = IN_PROGRESS
        else:
            status = COMPLETE
        tasks.append(Task(section, section.title.get(lang), status, problems, missing_here))
    return tasks


def ready_to_send(tasks: list[Task]) -> bool:
    return not any(task.problems or task.missing for task in tasks)


def tasks_of(document, state, lang: str, broken: list[Broken] | None = None) -> list[Task]:
    """The task list of a document as its form stands (``state``: portal.selectors.form_state),
    with the rules across fields its stored answers break."""
    from workflow.readiness import document_broken_rules

    return document_tasks(
        definition_of(document),
        data=document.data,
        kept=state.kept,
        sections_saved=state.sections_saved,
        lang=lang,
        broken=document_broken_rules(document) if broken is None else broken,
        form_version=document.form_version,
    )


def definition_of(document) -> DocumentType:
    from forms_templates.registry import get_type

    return get_type(document.type)
