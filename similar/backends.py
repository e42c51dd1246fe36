"""Ranking the index against a query: PostgreSQL's full-text search and pg_trgm, or plain term
overlap on SQLite. Both return the same thing, and the score means the same on both:

    score = 0.7 × text + 0.3 × (trigram similarity of the two titles)
    text  = how much of the query's terms an entry holds, and how strongly (weight A 1.0 in the
            names, B 0.4 in the problem and solution, C 0.2 elsewhere), over how much the query
            itself holds: 1 for a copy, 0 for nothing shared (at most 1)

On PostgreSQL ``text`` is ``ts_rank`` of the entry over ``ts_rank`` of the query's own text
(repeats count a little more, English words also match by their stem); on SQLite each term
counts once, as written. On both, terms that most projects use are left out of the query
(PostgreSQL knows them from its statistics, SQLite counts them).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Count, Q

from similar.models import SearchEntry
from similar.text import (
    MAX_QUERY_TERMS,
    TEXT_SHARE,
    WEIGHTS,
    Profile,
    query_terms,
    title_key,
    trigram_similarity,
    words,
)


@dataclass(frozen=True)
class Query:
    # Normalized terms (at most MAX_QUERY_TERMS), each with its weight in the query.
    terms: dict[str, float]
    title: str
    # The query's own text by weight (A, B, C): what a copy of it would hold.
    texts: tuple[str, str, str] = ("", "", "")

    @property
    def own_weight(self) -> float:
        return sum(self.terms.values()) or 1.0


@dataclass(frozen=True)
class Ranked:
    project_id: UUID
    score: float


@dataclass(frozen=True)
class Ranking:
    results: list[Ranked]
    # How each query term was matched: by this stem (PostgreSQL), or as written.
    stem_of: dict[str, str]


# A term in more than this share of the index's rows, and in more than this many, sets no row
# apart ("taarifa", "huduma", "data"), and looking for it would make ranking read most of the
# index: it is left out of the query (unless the query has nothing else).
COMMON_SHARE = 0.02
COMMON_MIN_ROWS = 50


def prepare(text: Profile, *, title: str) -> Query:
    """The query for a text: its significant terms, less those most projects use."""
    texts = (text.text("A"), text.text("B"), text.text("C"))
    if connection.vendor == "postgresql":
        terms = query_terms(text, skip=common_terms()) or query_terms(text)
    else:
        wanted = query_terms(text, limit=2 * MAX_QUERY_TERMS)
        common = _common_among(list(wanted))
        rare = [term for term in wanted if term not in common][:MAX_QUERY_TERMS]
        terms = {term: wanted[term] for term in rare} or query_terms(text)
    return Query(terms=terms, title=title, texts=texts)


def rank(query: Query, *, statuses: Sequence[str], exclude: Sequence[UUID], limit: int) -> Ranking:
    """The best ``limit`` entries in ``statuses``, other than the ``exclude``d projects."""
    if not query.terms and not title_key(query.title):
        return Ranking(results=[], stem_of={})
    if connection.vendor == "postgresql":
        return _rank_postgresql(query, statuses=statuses, exclude=exclude, limit=limit)
    results = _rank_overlap(query, statuses=statuses, exclude=exclude, limit=limit)
    return Ranking(results=results, stem_of={term: term for term in query.terms})


def stems(terms: Iterable[str]) -> dict[str, str]:
    """Each word's English stem, as the index matched it (PostgreSQL); on SQLite the word."""
    distinct = sorted(set(terms))
    if connection.vendor != "postgresql" or not distinct:
        return {term: term for term in distinct}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, coalesce((ts_lexize('english_stem', w))[1], w) FROM unnest(%s::text[]) w",
            [distinct],
        )
        return dict(cursor.fetchall())


# --- PostgreSQL -----------------------------------------------------------------------------

# How long a process keeps the list of common terms (PostgreSQL's own statistics of the search
# column, which ANALYZE refreshes; autovacuum runs it as the table grows).
COMMON_TERMS_SECONDS = 300.0
# Titles at least this alike (pg_trgm similarity) are candidates even without a shared term.
TITLE_THRESHOLD = 0.5
_common: tuple[float, str, frozenset[str]] | None = None

_COMMON_SQL = """
SELECT coalesce(array_agg(lexeme), '{}')
FROM pg_stats,
     unnest(most_common_elems::text::text[], most_common_elem_freqs) AS common(lexeme, share),
     (SELECT reltuples FROM pg_class WHERE oid = 'similar_searchentry'::regclass) AS size
WHERE schemaname = current_schema() AND tablename = 'similar_searchentry'
  AND attname = 'search' AND share > %s AND share * size.reltuples > %s
"""


def common_terms() -> frozenset[str]:
    """The lexemes in more than COMMON_SHARE and COMMON_MIN_ROWS of the index's rows, as
    ANALYZE last counted them (none before the first ANALYZE)."""
    global _common
    now, database = time.monotonic(), connection.settings_dict["NAME"]
    if _common is not None and _common[1] == database and now - _common[0] < COMMON_TERMS_SECONDS:
        return _common[2]
    with connection.cursor() as cursor:
        cursor.execute(_COMMON_SQL, [COMMON_SHARE, COMMON_MIN_ROWS])
        found = frozenset(cursor.fetchone()[0])
    _common = (now, database, found)
    return found


def forget_common_terms() -> None:
    global _common, _counted
    _common = None
    _counted = None


# The terms OR'ed, once as written ('simple') and once stemmed ('english'), as the index holds
# each text; the query's own text made into a vector the way the index's generated column is
# (a copy of the query scores 1). Candidates come from the two GIN indexes, each on its own: the
# vector holds a term (ranked by ts_rank: only these vectors are read), or else the title is
# alike (pg_trgm's "%": similarity over pg_trgm.similarity_threshold; no shared term, so no
# text score and no vector to read). The terms are written out where the rows are chosen so
# that the planner sees them and estimates from the column's statistics how many rows hold
# them.
_RANK_SQL = """
WITH query AS (
    SELECT greatest(ts_rank(
        setweight(to_tsvector('simple', idhini_unaccent(%(a)s)), 'A')
        || setweight(to_tsvector('english', idhini_unaccent(%(a)s)), 'A')
        || setweight(to_tsvector('simple', idhini_unaccent(%(b)s)), 'B')
        || setweight(to_tsvector('english', idhini_unaccent(%(b)s)), 'B')
        || setweight(to_tsvector('simple', idhini_unaccent(%(c)s)), 'C')
        || setweight(to_tsvector('english', idhini_unaccent(%(c)s)), 'C'),
        to_tsquery('simple', %(terms)s) || to_tsquery('english', %(stemmed)s)
    ), 1e-9) AS own_rank
),
holds_a_term AS MATERIALIZED (
    SELECT project_id, status, title_key,
           ts_rank(search, to_tsquery('simple', %(terms)s) || to_tsquery('english', %(stemmed)s))
           AS text_rank
    FROM similar_searchentry
    WHERE search @@ (to_tsquery('simple', %(terms)s) || to_tsquery('english', %(stemmed)s))
),
candidate AS (
    SELECT * FROM holds_a_term
    UNION ALL
    SELECT project_id, status, title_key, 0 FROM similar_searchentry
    WHERE title_key %% %(title)s::text
      AND project_id NOT IN (SELECT project_id FROM holds_a_term)
)
SELECT c.project_id,
       %(text_share)s * LEAST(1.0, c.text_rank / query.own_rank)
       + %(title_share)s * similarity(c.title_key, %(title)s::text) AS score
FROM candidate c CROSS JOIN query
WHERE c.status = ANY(%(statuses)s) AND NOT (c.project_id = ANY(%(exclude)s))
ORDER BY score DESC, c.project_id
LIMIT %(limit)s
"""


def tsquery_text(terms: Iterable[str]) -> str:
    # Terms are letters only (similar.text.words), so quoting each one is enough.
    return " | ".join(f"'{term}'" for term in terms)


# For the ranking's transaction only: pg_trgm's "%" reads its threshold; and the planner, which
# does not know that testing a row's vector means reading it out of TOAST and decompressing it,
# would rather test every row than go through the indexes once a table is a few thousand rows.
# In the same round trip: the stems of the query's terms.
_PREPARE_SQL = """
SELECT set_config('pg_trgm.similarity_threshold', %s, true),
       set_config('enable_seqscan', 'off', true),
       ARRAY(SELECT ARRAY[w, coalesce((ts_lexize('english_stem', w))[1], w)]
             FROM unnest(%s::text[]) w)
"""


def _rank_postgresql(
    query: Query, *, statuses: Sequence[str], exclude: Sequence[UUID], limit: int
) -> Ranking:
    terms = list(query.terms)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PREPARE_SQL, [str(TITLE_THRESHOLD), terms])
        stem_of = {term: stem for term, stem in cursor.fetchone()[2]}
        # A term whose stem most projects use ("management": "managers" everywhere) is looked
        # for, and matches, only as written.
        common = common_terms()
        stemmed = [term for term in terms if stem_of[term] not in common]
        stem_of.update({term: term for term in terms if stem_of[term] in common})
        a, b, c = query.texts
        cursor.execute(
            _RANK_SQL,
            {
                "terms": tsquery_text(terms),
                "stemmed": tsquery_text(stemmed),
                "title": title_key(query.title),
                "a": a or " ".join(terms),
                "b": b,
                "c": c,
                "text_share": TEXT_SHARE,
                "title_share": 1 - TEXT_SHARE,
                "statuses": list(statuses),
                "exclude": list(exclude),
                "limit": limit,
            },
        )
        results = [Ranked(project_id=row[0], score=float(row[1])) for row in cursor.fetchall()]
    return Ranking(results=results, stem_of=stem_of)


# --- SQLite (and any other database) --------------------------------------------------------


def _holds(term: str) -> Q:
    return Q(heading__icontains=term) | Q(body__icontains=term) | Q(extra__icontains=term)


# SQLite: each term's number of rows, counted when first asked and kept as long as the
# PostgreSQL statistics are: (when, database, rows in the index, {term: rows holding it}).
_counted: tuple[float, str, int, dict[str, int]] | None = None


def _common_among(terms: list[str]) -> frozenset[str]:
    """Those of ``terms`` in more than COMMON_SHARE and COMMON_MIN_ROWS of the index's rows
    (SQLite keeps no statistics: the terms not yet counted are counted, in one pass)."""
    global _counted
    now, database = time.monotonic(), connection.settings_dict["NAME"]
    if _counted is None or _counted[1] != database or now - _counted[0] >= COMMON_TERMS_SECONDS:
        _counted = (now, database, SearchEntry.objects.count(), {})
    rows, known = _counted[2], _counted[3]
    floor = max(COMMON_SHARE * rows, COMMON_MIN_ROWS)
    if rows <= floor:
        return frozenset()  # too few projects for any term to be common
    new = [term for term in terms if term not in known]
    if new:
        counts = SearchEntry.objects.aggregate(
            **{f"t{i}": Count("pk", filter=_holds(term)) for i, term in enumerate(new)}
        )
        known.update({term: counts[f"t{i}"] for i, term in enumerate(new)})
    return frozenset(term for term in terms if known[term] > floor)


def _rank_overlap(
    query: Query, *, statuses: Sequence[str], exclude: Sequence[UUID], limit: int
) -> list[Ranked]:
    """Every entry that holds one of the terms (a LIKE per term and column narrows the rows in
    the database), scored here: fine for the thousands of projects of a demo or a small
    deployment; PostgreSQL is the database for the whole government."""
    if not query.terms:
        return []
    holds_a_term = Q()
    for term in query.terms:
        holds_a_term |= _holds(term)
    rows = (
        SearchEntry.objects.filter(status__in=statuses)
        .exclude(project_id__in=exclude)
        .filter(holds_a_term)
        .values_list("project_id", "title_key", "heading", "body", "extra")
    )
    wanted_title = title_key(query.title)
    ranked = []
    for project_id, entry_title, heading, body, extra in rows.iterator():
        found: dict[str, float] = {}
        for weight, text in (("A", heading), ("B", body), ("C", extra)):
            for word in set(words(text)):
                found[word] = max(found.get(word, 0.0), WEIGHTS[weight])
        held = sum(found.get(term, 0.0) for term in query.terms)
        if held == 0:
            continue
        text_score = min(1.0, held / query.own_weight)
        likeness = trigram_similarity(entry_title, wanted_title)
        score = TEXT_SHARE * text_score + (1 - TEXT_SHARE) * likeness
        ranked.append(Ranked(project_id=project_id, score=score))
    ranked.sort(key=lambda r: (-r.score, str(r.project_id)))
    return ranked[:limit]
