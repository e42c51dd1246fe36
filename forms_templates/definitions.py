"""The document-type definition format.

A document type is data: sections of fields (and tables of repeating rows), the signatories in
order, its place in a project (whether it needs one, one per project, the approved documents it
requires, the stage its approval moves the project to) and the rules across its fields.
Everything else — the JSON Schema the API validates with, the completeness check and the rules
before signing, the browser forms, the Word template, the print HTML, the database constraints
and the gating — is derived from one definition. Adding a type is adding one module to
``forms_templates/types/`` that defines ``DEFINITION``.

Form data is a flat JSON object keyed by field key (keys are unique within a type, whatever the
section); a table is a list of row objects keyed by column key. Absent keys are unanswered.

A type also carries the agency's review checklist: the criteria a reviewer marks met, not met or
not applicable before deciding (``forms_templates/checklists/``), each tied to the fields it judges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

FieldKind = Literal["text", "long_text", "number", "money", "date", "choice", "email", "phone"]

TEXT_MAX = 500
LONG_TEXT_MAX = 20_000
EMAIL_MAX = 254
TABLE_MAX_ROWS = 500
MONEY_MAX = 10**15
NUMBER_MAX = 10**15
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{5,22}$"
NO_NUL_PATTERN = r"^[^\u0000]*$"
# Only real calendar dates (0001-01-01 to 9999-12-31, leap years included): the pattern alone
# decides, so data valid against the schema is accepted even by a validator ignoring "format".
DATE_PATTERN = (
    r"^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
)
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# Signatory roles. "author" is the document's author (the officer who prepared it); the other
# roles are held through workflow.Membership in the document's institution.
AUTHOR = "author"


def current_lang() -> str:
    """The active language as a definition key: "en" for any English, else "sw" (the default)."""
    from django.utils.translation import get_language

    return "en" if (get_language() or "sw").startswith("en") else "sw"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    schema["type"] = [schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _retired(schema: dict[str, Any]) -> dict[str, Any]:
    """An answer an earlier form asked: still valid in stored documents, asked of nobody."""
    return {**_nullable(schema), "deprecated": True}


@dataclass(frozen=True)
class T:
    """A text in both languages: Swahili first (the default), English second."""

    sw: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.sw

    def as_dict(self) -> dict[str, str]:
        return {"sw": self.sw, "en": self.en}


@dataclass(frozen=True)
class Choice:
    value: str
    label: T


@dataclass(frozen=True)
class Field:
    key: str
    kind: FieldKind
    label: T
    help: T | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    # The form version that added it: documents filled against an earlier form (their
    # ``Document.form_version``) are not asked for it (see DocumentType.form_version).
    since: int = 1

    def max_chars(self) -> int | None:
        if self.max_length is not None:
            return self.max_length
        return {"text": TEXT_MAX, "long_text": LONG_TEXT_MAX, "email": EMAIL_MAX, "phone": 30}.get(
            self.kind
        )

    def value_schema(self) -> dict[str, Any]:
        kind = self.kind
        if kind in ("text", "long_text"):
            # No NUL: PostgreSQL cannot store it in text or jsonb.
            return {"type": "string", "maxLength": self.max_chars(), "pattern": NO_NUL_PATTERN}
        if kind == "email":
            return {
                "type": "string",
                "maxLength": EMAIL_MAX,
                "pattern": EMAIL_PATTERN,
                "format": "email",
            }
        if kind == "phone":
            return {"type": "string", "maxLength": 30, "pattern": PHONE_PATTERN}
        if kind == "date":
            return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
        if kind == "number":
            return {"type": "number", "minimum": -NUMBER_MAX, "maximum": NUMBER_MAX}
        if kind == "money":
            # Tanzanian shillings, whole amounts.
            return {"type": "integer", "minimum": 0, "maximum": MONEY_MAX}
        if kind == "choice":
            return {"type": "string", "enum": [c.value for c in self.choices]}
        raise ValueError(f"unknown field kind {kind!r}")

    def schema(self) -> dict[str, Any]:
        schema = self.value_schema()
        schema["title"] = self.label.en
        schema["x-label"] = self.label.as_dict()
        if self.help:
            schema["description"] = self.help.en
        return schema


@dataclass(frozen=True)
class Table:
    """A table of repeating rows; each row is an object of its columns."""

    key: str
    label: T
    columns: tuple[Field, ...]
    help: T | None = None
    required: bool = False  # at least one row before signing
    max_rows: int = TABLE_MAX_ROWS
    kind: str = "table"
    since: int = 1

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "title": self.label.en,
            "x-label": self.label.as_dict(),
            "maxItems": self.max_rows,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {column.key: column.schema() for column in self.columns},
            },
        }
        if self.help:
            schema["description"] = self.help.en
        return schema


@dataclass(frozen=True)
class Section:
    key: str
    title: T
    items: tuple[Field | Table, ...]
    help: T | None = None


@dataclass(frozen=True)
class Signatory:
    role: str
    title: T  # e.g. "Imeandaliwa na" / "Prepared by"
    role_name: T  # e.g. "Mkuu wa Kitengo cha TEHAMA" / "Head of ICT"
    # The signer is the person of the institution named in this field of the form (their
    # username), not a role holder: the servant a mailbox is for, and their supervisor.
    person_field: str | None = None


# The groups of the agency's review checklist, in the order a review goes through them.
CHECKLIST_GROUPS: dict[str, T] = {
    "need": T("Uhitaji na urudufu", "Need and duplication"),
    "alignment": T(
        "Uwiano na mipango ya kitaifa na ya taasisi",
        "Alignment with national and institutional plans",
    ),
    "standards": T("Viwango vya Serikali Mtandao", "e-Government standards"),
    "integration": T("Muunganiko kupitia GovESB", "Integration through GovESB"),
    "hosting": T("Uhifadhi wa mfumo", "Hosting"),
    "security": T("Usalama na taarifa binafsi", "Security and personal data"),
    "budget": T("Bajeti na uendelevu", "Budget and sustainability"),
    "governance": T("Usimamizi na idhini", "Governance"),
}
# Where the criteria come from (forms_templates/checklists/__init__.py names each in full): the
# short names a criterion's ``sources`` cite.
CHECKLIST_SOURCES: dict[str, T] = {
    "Orodha": T(
        "e-GA, Orodha Hakiki ya Miradi ya TEHAMA Serikalini",
        "e-GA, ICT project review checklist (Orodha Hakiki ya Miradi ya TEHAMA Serikalini)",
    ),
    "Act": T("Sheria ya Serikali Mtandao Na. 10 ya 2019", "e-Government Act No. 10 of 2019"),
    "Standards": T(
        "Viwango na Miongozo ya Serikali Mtandao (e-GA)",
        "e-GA e-Government Standards and Guidelines",
    ),
    "Hosting": T(
        "Masharti ya e-GA ya kuhifadhi mifumo katika Kituo cha Data cha Serikali",
        "e-GA hosting prerequisites for the Government Data Centre",
    ),
    "PDPA": T(
        "Sheria ya Ulinzi wa Taarifa Binafsi Na. 11 ya 2022",
        "Personal Data Protection Act No. 11 of 2022",
    ),
    "GMS": T("Mfumo wa Barua Pepe Serikalini (GMS) wa e-GA", "e-GA Government Mailing System"),
    "PFA": T("Sheria ya Fedha za Umma, Sura 348", "Public Finance Act, Cap. 348"),
    "PPA": T("Sheria ya Ununuzi wa Umma, 2023", "Public Procurement Act, 2023"),
}
CRITERION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class Criterion:
    """One question of the review checklist; ``fields`` are the answers it judges (field keys of
    the type), where a "not met" note becomes the comment beside those fields."""

    key: str
    group: str
    text: T
    fields: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # keys of CHECKLIST_SOURCES

    def source_names(self, lang: str) -> list[str]:
        return [CHECKLIST_SOURCES[key].get(lang) for key in self.sources]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "group": self.group,
            "group_title": CHECKLIST_GROUPS[self.group].as_dict(),
            "text": self.text.as_dict(),
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class DocumentType:
    key: str
    code: str  # used in references: EGA/<code>/<year>/<number>
    name: T
    description: T
    sections: tuple[Section, ...]
    signatories: tuple[Signatory, ...]
    # Its place in a project, enforced by workflow.gating (and, where the database can hold
    # it, by constraints workflow.models derives from the registry):
    needs_project: bool = True
    # At most one in flight or approved per project (a withdrawn or rejected one makes room).
    one_per_project: bool = False
    # Documents of these types must be approved in the project first.
    requires_approved: tuple[str, ...] = ()
    # The project's stage once one is approved (a workflow.models.Stage value); never backwards.
    advances_project_to: str | None = None
    # A project registered as an existing system (approved before Idhini) needs none of
    # ``requires_approved``: the earlier approval stands in for them.
    waived_for_existing_systems: bool = False
    # Rules across fields (forms_templates.rules), checked before signing and submission.
    rules: tuple[Any, ...] = ()
    # Kinds of annex (forms_templates.attachment_kinds) that must be attached before signing.
    required_attachments: tuple[str, ...] = ()
    instructions: T | None = None
    checklist: tuple[Criterion, ...] = ()
    # Issue 15's data migration: each document records the form version it was filled against
    # (``Document.form_version``). Fields added later (``since``) are not required of it, and
    # answers a later form retired (``retired``: the institution and project, now taken from the
    # project) stay valid in what is stored, so signed and sealed content never changes.
    form_version: int = 1
    retired: tuple[Field, ...] = ()
    # The signatory chains of earlier forms, ``((form_version, chain), ...)``: a document keeps
    # the chain of the form it was filled against (its signatures are numbered by it).
    earlier_signatories: tuple[tuple[int, tuple[Signatory, ...]], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def items(self) -> list[Field | Table]:
        return [item for section in self.sections for item in section.items]

    def item(self, key: str) -> Field | Table | None:
        return self._index().get(key)

    def _index(self) -> dict[str, Field | Table]:
        cached = self.extra.get("_index")
        if cached is None:
            cached = {item.key: item for item in self.items()}
            self.extra["_index"] = cached
        return cached

    def newer_than(self, form_version: int) -> set[str]:
        """Keys of the fields a document filled against ``form_version`` was not asked."""
        return {item.key for item in self.items() if item.since > form_version}

    def signatories_for(self, form_version: int | None = None) -> tuple[Signatory, ...]:
        """The chain a document filled against ``form_version`` signs (None: today's form)."""
        for version, chain in sorted(self.earlier_signatories, key=lambda entry: entry[0]):
            if form_version is not None and form_version <= version:
                return chain
        return self.signatories

    def signatories_in_order(self, form_version: int | None = None) -> list[tuple[int, Signatory]]:
        return list(enumerate(self.signatories_for(form_version), start=1))

    def all_signatories(self) -> list[Signatory]:
        """Every signatory of today's chain and of the earlier forms' chains."""
        return [*self.signatories, *(s for _, chain in self.earlier_signatories for s in chain)]

    def json_schema(self) -> dict[str, Any]:
        cached = self.extra.get("_schema")
        if cached is None:
            cached = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": f"urn:idhini:document-type:{self.key}",
                "title": self.name.en,
                "type": "object",
                "additionalProperties": False,
                # A top-level null in a PATCH clears that answer; stored data never holds null.
                "properties": {
                    **{item.key: _nullable(item.schema()) for item in self.items()},
                    **{item.key: _retired(item.schema()) for item in self.retired},
                },
            }
            self.extra["_schema"] = cached
        return cached

    def check(self) -> None:
        """Raise ValueError when the definition itself is inconsistent."""
        seen: set[str] = set()
        for signatory in self.all_signatories():
            named = signatory.person_field
            if named is not None and getattr(self.item(named), "kind", None) != "text":
                raise ValueError(f"{self.key}: signatory field {named!r} is not a text field")
        for item in self.items():
            if item.key in seen:
                raise ValueError(f"{self.key}: duplicate field key {item.key!r}")
            seen.add(item.key)
            if isinstance(item, Table):
                column_keys = [c.key for c in item.columns]
                if len(set(column_keys)) != len(column_keys):
                    raise ValueError(f"{self.key}.{item.key}: duplicate column key")
            elif item.kind == "choice" and not item.choices:
                raise ValueError(f"{self.key}.{item.key}: a choice field needs choices")
        if not self.signatories:
            raise ValueError(f"{self.key}: no signatories")
        if not self.needs_project and (
            self.one_per_project or self.requires_approved or self.advances_project_to
        ):
            raise ValueError(f"{self.key}: project rules on a type that needs no project")
        from forms_templates.rules import check_rules

        check_rules(self)
        self._check_checklist(seen)

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.checklist if c.key == key), None)

    def _check_checklist(self, field_keys: set[str]) -> None:
        keys: set[str] = set()
        group_order = list(CHECKLIST_GROUPS)
        last_group = 0
        for criterion in self.checklist:
            where = f"{self.key}: checklist criterion {criterion.key!r}"
            if not CRITERION_KEY_PATTERN.match(criterion.key):
                raise ValueError(f"{where}: a key is lower-case letters, digits and _")
            if criterion.key in keys:
                raise ValueError(f"{where} is defined twice")
            keys.add(criterion.key)
            if criterion.group not in CHECKLIST_GROUPS:
                raise ValueError(f"{where}: unknown group {criterion.group!r}")
            # Listed group by group, in the review's order: pages and print show them so.
            position = group_order.index(criterion.group)
            if position < last_group:
                raise ValueError(f"{where}: group {criterion.group!r} is out of order")
            last_group = position
            unknown = [key for key in criterion.fields if key not in field_keys]
            if unknown:
                raise ValueError(f"{where}: no such field {', '.join(map(repr, unknown))}")
            unknown = [key for key in criterion.sources if key not in CHECKLIST_SOURCES]
            if unknown:
                raise ValueError(f"{where}: no such source {', '.join(map(repr, unknown))}")
        from forms_templates.attachment_kinds import AttachmentKind

        for kind in self.required_attachments:
            if kind not in AttachmentKind.values:
                raise ValueError(f"{self.key}: unknown attachment kind {kind!r}")
