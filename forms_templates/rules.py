"""Rules across fields: what must hold between a document's answers before it leaves the draft.

A type declares its rules as data (``DocumentType.rules``); every required table adds a
``rows_required`` rule of its own. The same rules are checked wherever a document goes for
signature or to the agency (``request-signatures``, ``submit``), whatever filled it in (the API,
the Word import, the browser form), and published in the type's API description so that outside
clients can check them too. A draft may be saved with rules broken: the officer is mid-way.

A field reference is a field key (``start_date``) or a table's column in every row
(``budget_items[*].amount``). A broken rule names the fields involved, a table's cells as
``budget_items[2].amount`` (rows counted from 1, as people count them, as in validation).

Rules skip what is unanswered: a missing answer is the completeness check's business
(``validation.missing_required``), so a rule never reports what is merely not filled in yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from forms_templates.definitions import T, Table
from forms_templates.rule_base import Broken, Rule, RuleError
from forms_templates.rule_kinds import (
    DateOrder,
    DatesWithin,
    MailDomain,
    ProductEquals,
    Range,
    RequiredWhen,
    RowsRequired,
    SumAtMost,
    SumEquals,
)

if TYPE_CHECKING:
    from forms_templates.definitions import DocumentType

__all__ = [
    "Broken",
    "DateOrder",
    "DatesWithin",
    "MailDomain",
    "ProductEquals",
    "Range",
    "RequiredWhen",
    "RowsRequired",
    "Rule",
    "RuleError",
    "SumAtMost",
    "SumEquals",
    "broken_rules",
    "check_rules",
    "describe_rules",
    "messages_by_field",
    "rules_of",
    "uses_mail_domains",
]


def rules_of(definition: DocumentType) -> tuple[Rule, ...]:
    """The type's declared rules, then one ``rows_required`` for each required table."""
    cached = definition.extra.get("_rules")
    if cached is None:
        derived = tuple(
            RowsRequired(
                code=f"{item.key}_rows_required",
                table=item.key,
                message=T(
                    f"Jedwali “{item.label.sw}” linahitaji angalau mstari mmoja.",
                    f"The table “{item.label.en}” needs at least one row.",
                ),
            )
            for item in definition.items()
            if isinstance(item, Table) and item.required
        )
        cached = (*definition.rules, *derived)
        definition.extra["_rules"] = cached
    return cached


def uses_mail_domains(definition: DocumentType) -> bool:
    return any(rule.uses_mail_domains for rule in rules_of(definition))


def describe_rules(definition: DocumentType) -> list[dict[str, Any]]:
    """The rules as the type's API description publishes them (messages in both languages)."""
    return [rule.describe() for rule in rules_of(definition)]


def broken_rules(
    definition: DocumentType,
    data: Any,
    *,
    mail_domains: Sequence[str] = (),
    form_version: int | None = None,
) -> list[Broken]:
    """Every rule of the type that ``data`` breaks, in declaration order (empty: all hold).

    ``mail_domains`` are the institution's own mail domains, for ``mail_domain`` rules. A
    document filled against an earlier form (``form_version``) is held only to the rules whose
    fields that form had.
    """
    if not isinstance(data, dict):
        return []
    rules = rules_of(definition)
    if form_version is not None and form_version < definition.form_version:
        newer = _newer_references(definition, form_version)
        rules = tuple(r for r in rules if not newer.intersection(r.references()))
    found = (rule.broken(data, mail_domains=mail_domains) for rule in rules)
    return [broken for broken in found if broken is not None]


def _newer_references(definition: DocumentType, form_version: int) -> set[str]:
    newer = definition.newer_than(form_version)
    for item in definition.items():
        if isinstance(item, Table):
            newer.update(f"{item.key}[*].{c.key}" for c in item.columns if c.since > form_version)
    return newer


def messages_by_field(broken: Iterable[Broken], lang: str) -> dict[str, list[str]]:
    """``{field: [message, ...]}`` for showing broken rules beside the fields they involve; a
    table's cells also under the table's own key, so a form showing tables whole shows them."""
    by_field: dict[str, list[str]] = {}
    for rule in broken:
        text = str(rule.as_dict(lang))
        for name in rule.fields:
            for key in dict.fromkeys((name, name.split("[", 1)[0])):
                messages = by_field.setdefault(key, [])
                if text not in messages:
                    messages.append(text)
    return by_field


def check_rules(definition: DocumentType) -> None:
    """Raise ValueError when a rule is inconsistent with its type (called by the registry)."""
    seen: set[str] = set()
    for rule in rules_of(definition):
        if rule.code in seen:
            raise ValueError(f"{definition.key}: duplicate rule code {rule.code!r}")
        seen.add(rule.code)
        rule.check(definition)
