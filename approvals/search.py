"""Finding documents by what people type: part of a reference, words of the title, an
institution's code or name.

PostgreSQL: the words are matched as prefixes ("sand" finds "sanduku") against a full-text
vector of the reference and title, served by a GIN index (``document_search_idx``, migration
``workflow.0003_agency``, 'simple' configuration: no stemming, Swahili and English alike).
A text with a digit also matches anywhere inside a reference ("0007" finds EGA/CN/2026/0007).
SQLite (the embedded default): every word must occur in the title or the reference
(case-insensitive ``LIKE``); a demo's few thousand rows need no index.
An institution whose code is the text, or whose name contains it, matches all its documents.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from workflow.models import Institution

MAX_WORDS = 8
MAX_LENGTH = 200
# The indexed expression, spelled as in the migration so that PostgreSQL uses the index.
TSVECTOR_SQL = (
    "to_tsvector('simple'::regconfig, "
    'COALESCE("workflow_document"."reference", \'\') || \' \' || "workflow_document"."title")'
)
_WORD = re.compile(r"[\w/.-]+")


def words_of(text: str) -> list[str]:
    return _WORD.findall((text or "")[:MAX_LENGTH].lower())[:MAX_WORDS]


def _institution_ids(text: str) -> list[int]:
    return list(
        Institution.objects.filter(
            Q(code__iexact=text) | Q(name_sw__icontains=text) | Q(name_en__icontains=text)
        ).values_list("pk", flat=True)
    )


def _full_text(words: list[str]) -> Q:
    # Each word quoted as one lexeme and matched as a prefix: nothing typed can break the
    # tsquery syntax (the words hold only letters, digits, '/', '.', '-').
    query = " & ".join(f"'{word}':*" for word in words)
    match = RawSQL(  # noqa: S611 - our own SQL; what was typed is a parameter
        f"{TSVECTOR_SQL} @@ to_tsquery('simple'::regconfig, %s)",
        [query],
        output_field=BooleanField(),
    )
    return Q(match)


def _like(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(reference__icontains=word)
    return condition


def document_text_q(text: str) -> Q | None:
    """The condition for ``text``; None when it holds nothing to search for."""
    text = (text or "").strip()[:MAX_LENGTH]
    words = words_of(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        condition = _full_text(words)
        if any(ch.isdigit() for ch in text):
            condition |= Q(reference__icontains=text)
    else:
        condition = _like(words)
    institutions = _institution_ids(text)
    if institutions:
        condition |= Q(institution_id__in=institutions)
    return condition
