"""Reads: the projects of all institutions most like a document, or like a text being written.

What a caller sees of a result: the agency sees everything in the index with its details (the
concept note, its reference, which fields matched); institution staff see their own
institution's results so too, and of other institutions only the title, the institution, the
status and the score, with ``matched_terms`` cut to the words of the title. The index holds no
draft (``similar.indexing``), and every query names the statuses it may return as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.translation import gettext as _

from similar.backends import Ranking, prepare, rank, stems
from similar.models import EntryStatus, SearchEntry
from similar.text import Profile, matched_terms, profile, words
from workflow.exceptions import Forbidden, Invalid
from workflow.models import Document, Institution
from workflow.roles import user_context
from workflow.selectors import DocumentId, document_get_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# A document is compared with approved projects, those in review, and existing systems.
DOCUMENT_STATUSES = (
    EntryStatus.APPROVED,
    EntryStatus.SUBMITTED,
    EntryStatus.UNDER_REVIEW,
    EntryStatus.EXISTING,
)
# What an officer writing a concept note is shown: what the government already has.
TEXT_STATUSES = (EntryStatus.APPROVED, EntryStatus.EXISTING)
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_TEXT = 2000


@dataclass(frozen=True)
class SimilarProject:
    project_id: UUID
    institution: Institution
    title: str
    status: str
    score: float
    matched_terms: list[str]
    detailed: bool
    document_id: UUID | None = None
    reference: str | None = None
    matched_fields: dict[str, list[str]] = field(default_factory=dict)


def clean_limit(value: Any) -> int:
    """``?limit=``: a whole number from 1 to 50; 10 when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_LIMIT
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise Invalid(
            _("Invalid limit."),
            errors={"limit": [_("A whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}]},
        )
    return value


def clean_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            _("Nothing to search for."),
            errors={"q": [_("Type a few words of the title, the problem or the solution.")]},
        )
    if len(value) > MAX_TEXT:
        raise Invalid(
            _("The text is too long."),
            errors={"q": [_("At most %(limit)d characters.") % {"limit": MAX_TEXT}]},
        )
    return value.strip()


def _document_profile(document: Document) -> Profile:
    text = profile(project=document.project, title=document.title, data=document.data)
    if document.type == "concept_note" or document.project_id is None:
        return text
    # A later document of a project (a report, terms of reference): its project's approved
    # concept note says what the system is.
    entry = SearchEntry.objects.filter(project_id=document.project_id).first()
    if entry is None:
        return text
    return Profile(fields={**entry.fields, **text.fields})


def similar_projects_for_document(
    *, document_id: DocumentId, by: User, limit: Any = DEFAULT_LIMIT
) -> list[SimilarProject]:
    """The projects of all institutions most like this document's (its own project excluded),
    best first. 404 when the caller may not see the document."""
    limit = clean_limit(limit)
    document = document_get_visible(
        document_id=document_id, by=by, queryset=Document.objects.select_related("project")
    )
    title = document.project.name if document.project_id else document.title
    query = prepare(_document_profile(document), title=title)
    ranking = rank(
        query,
        statuses=DOCUMENT_STATUSES,
        exclude=[document.project_id] if document.project_id else [],
        limit=limit,
    )
    ctx = user_context(by)
    return _results(
        ranking,
        detailed=lambda entry: ctx.is_agency or entry.institution_id == ctx.institution_id,
    )


def similar_projects_for_text(
    *, text: Any, by: User, limit: Any = DEFAULT_LIMIT
) -> list[SimilarProject]:
    """Approved projects and existing systems of all institutions like a text an officer is
    writing (a title, a problem): their titles and institutions only."""
    if user_context(by).institution is None:
        raise Forbidden(_("Only institution staff and the agency can search for similar systems."))
    limit = clean_limit(limit)
    text = clean_text(text)
    query = prepare(profile(title=text), title=text)
    ranking = rank(query, statuses=TEXT_STATUSES, exclude=[], limit=limit)
    return _results(ranking, detailed=lambda entry: False)


def _results(ranking: Ranking, *, detailed: Callable[[SearchEntry], bool]) -> list[SimilarProject]:
    ranked = ranking.results
    entries = SearchEntry.objects.select_related("institution").in_bulk(
        [r.project_id for r in ranked]
    )
    shown: dict[UUID, list[str]] = {}
    for project_id, entry in entries.items():
        entry_profile = Profile(fields=entry.fields)
        shown[project_id] = entry_profile.texts() if detailed(entry) else [entry.title]
    terms = list(ranking.stem_of)
    known = ranking.stem_of
    # Only a word that begins like a query term can share its stem ("registration",
    # "registered"): the others need not be stemmed.
    starts = {term[:3] for term in terms}
    found = {w for texts in shown.values() for t in texts for w in words(t) if w[:3] in starts}
    stem_of = {**stems(found - set(known)), **known}
    results = []
    for r in ranked:
        entry = entries.get(r.project_id)
        if entry is None:  # left the index since it was ranked
            continue
        results.append(_result(entry, r.score, shown[entry.pk], terms, stem_of, detailed(entry)))
    return results


def _result(
    entry: SearchEntry,
    score: float,
    texts: list[str],
    terms: list[str],
    stem_of: dict[str, str],
    detailed: bool,
) -> SimilarProject:
    result = SimilarProject(
        project_id=entry.project_id,
        institution=entry.institution,
        title=entry.title,
        status=entry.status,
        score=round(score, 4),
        matched_terms=[],
        detailed=detailed,
    )
    if not detailed:
        return replace(result, matched_terms=matched_terms(texts, terms, stem_of))
    by_field = {key: matched_terms([text], terms, stem_of) for key, text in entry.fields.items()}
    # In the order of ``texts`` (the strongest fields first), each field's words once.
    by_text = {entry.fields[key]: found for key, found in by_field.items()}
    ordered = dict.fromkeys(term for text in texts for term in by_text.get(text, ()))
    return replace(
        result,
        matched_terms=list(ordered),
        document_id=entry.document_id,
        reference=entry.reference or None,
        matched_fields={key: found for key, found in by_field.items() if found},
    )
