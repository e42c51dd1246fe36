"""Similar systems on the pages: the agency's reviewer beside a document, and the officer while
writing the concept note's part on the systems that exist already.

What each person may see is the selector's rule (``similar.selectors``): the agency every
detail; an officer only the titles and institutions of approved projects and existing systems
(never another institution's draft or document in review). This module only lays it out: each
result's title with the shared terms in ``<mark>``, which of the document's fields matched, and
a link where the person can open the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from forms_templates.registry import get_type
from similar.models import EntryStatus
from similar.selectors import (
    MAX_TEXT,
    SimilarProject,
    similar_projects_for_document,
    similar_projects_for_text,
)
from similar.text import normalize
from workflow.exceptions import WorkflowError
from workflow.models import Document, Status
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PANEL_LIMIT = 10
# The section of the concept note where the officer names the systems that exist already.
SIMILAR_FIELD = "alternatives_considered"
QUERY_FIELDS = ("project_title", "problem_statement", "proposed_solution")
REVIEW_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
_TOKEN = re.compile(r"[^\W\d_]+")
# The project's own fields in the index; the others are the concept note's.
PROJECT_LABELS = {"name": _("Project name"), "title": _("Title"), "description": _("Description")}


@dataclass(frozen=True)
class SimilarRow:
    result: SimilarProject
    title: SafeString  # the title, its shared terms in <mark>
    status: str
    fields: list[tuple[str, list[str]]]  # (field label, shared terms)
    link: str


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, each word that is one of ``terms`` (as the search normalizes words)
    wrapped in ``<mark>``."""
    wanted = {normalize(term) for term in terms}
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        if normalize(match.group()) in wanted:
            parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def review_similar(document: Document, user: User, lang: str) -> list[SimilarRow] | None:
    """The reviewer's list beside a document with the agency, or None (not the agency's, not
    in review)."""
    if document.status not in REVIEW_STATUSES or not user_context(user).is_agency:
        return None
    results = similar_projects_for_document(document_id=document.pk, by=user, limit=PANEL_LIMIT)
    return _rows(results, lang)


def writing_similar(document: Document, section_keys: list[str], user: User, lang: str):
    """The officer's list on the concept note's section about existing systems, from what the
    document says so far (its title, problem and solution); None on any other section."""
    if document.type != "concept_note" or SIMILAR_FIELD not in section_keys:
        return None
    texts = [document.title, *(str(document.data.get(k) or "") for k in QUERY_FIELDS)]
    text = "\n".join(t for t in texts if t.strip())[:MAX_TEXT]
    try:
        results = similar_projects_for_text(text=text, by=user, limit=PANEL_LIMIT)
    except WorkflowError:  # nothing to search for yet, or not institution staff
        return None
    return _rows(results, lang)


def _rows(results: list[SimilarProject], lang: str) -> list[SimilarRow]:
    definition = get_type("concept_note")
    statuses = dict(EntryStatus.choices)
    rows = []
    for result in results:
        fields = []
        for key, terms in result.matched_fields.items():
            item = definition.item(key)
            label = item.label.get(lang) if item is not None else PROJECT_LABELS.get(key, key)
            fields.append((str(label), terms))
        link = ""
        if result.detailed and result.document_id:
            link = reverse("web:document", kwargs={"pk": result.document_id})
        rows.append(
            SimilarRow(
                result,
                highlight(result.title, result.matched_terms),
                str(statuses.get(result.status, result.status)),
                fields,
                link,
            )
        )
    return rows
