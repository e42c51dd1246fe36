"""What the similar-systems search reads of a project, and how it cuts text into terms.

Swahili has no text-search configuration in PostgreSQL and no stemmer worth the name, so both
backends treat a word as itself (lower case, accents removed) and drop the words that say nothing
about which system a project builds: the function words of Swahili and English, and the words
every ICT project of the government uses ("mfumo", "system", "serikali"). On PostgreSQL English
words are also matched by their stem (``similar.backends``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# What the search reads of a project's concept note, with its weight: A the names, B what the
# project is about, C what it mentions. This is the one list: the index, the query and the
# explanation of a match all read it.
CONCEPT_NOTE_FIELDS: tuple[tuple[str, str], ...] = (
    # Form version 1's title (the project's name is read from the project, PROJECT_FIELDS).
    ("project_title", "A"),
    ("problem_statement", "B"),
    ("proposed_solution", "B"),
    # The similar systems the officer named (a table: its text cells are read), and the
    # alternatives they considered.
    ("similar_systems", "C"),
    ("alternatives_considered", "C"),
)
# The same for the project row itself, and the document's own title.
PROJECT_FIELDS: tuple[tuple[str, str], ...] = (("name", "A"), ("description", "C"))
TITLE_FIELD: tuple[str, str] = ("title", "A")

# PostgreSQL's default weights of A, B and C (ts_rank); the SQLite method uses the same.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
# A score is this much the share of the query's terms found (by weight), the rest the
# likeness of the titles (trigrams, as pg_trgm counts them).
TEXT_SHARE = 0.7
# The query keeps at most this many terms: the title's first, then the most frequent.
MAX_QUERY_TERMS = 40
MIN_WORD_LENGTH = 3


def _listed(words_: str) -> frozenset[str]:
    return frozenset(words_.split())


SWAHILI_STOP_WORDS = _listed(
    """
    ambacho ambao ambapo ambavyo ambayo ambazo ambalo ambaye baada bado baadhi basi bila cha
    chake chao chetu changu hadi hapa hapo hata hawa hayo hazi hicho hii hiki hilo hili hiyo
    hivi hivyo hizi hizo huo huu ila ili iwe jinsi juu kama kabla kati katika kila kubwa kuhusu
    kupitia kutoka kuwa kwa kwamba kwani kwenye lakini lile lini mara mbalimbali mbili moja
    mwa mwingine naye ndani ndiyo nje nyingi nyingine pamoja pia sana sasa siyo tena tu vile
    vya vyake vyao wake wakati wala wao wengi wengine wote yake yako yangu yao yetu yote zaidi
    zake zao zetu zote kuna kutumia kufanya kwake kwao kwetu ndio ile vyote hakuna
    """
)
ENGLISH_STOP_WORDS = _listed(
    """
    about above after again against all also among and any are because been before being
    below between both but can could did does doing down during each few for from further
    had has have having her here hers him his how into its itself just more most new not now
    off once only other our ours out over own same she should some such than that the their
    theirs them then there these they this those through too under until upon use used using
    very was way were what when where which while who whom why will with within without would
    you your yours etc may must shall well one two three per via none
    """
)
# Every ICT project of the government says these; they tell no two systems apart.
DOMAIN_STOP_WORDS = _listed(
    """
    mfumo mifumo mradi miradi serikali taasisi tehama wizara system systems project projects
    government institution institutions ict ministry public proposed dhana uanzishaji
    """
)
STOP_WORDS = SWAHILI_STOP_WORDS | ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+")


def normalize(text: str) -> str:
    """Lower case without accents (what PostgreSQL's unaccent does to Latin letters)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=2048)
def words(text: str) -> tuple[str, ...]:
    """The text's significant words, normalized, in order, with repeats."""
    return tuple(
        word
        for word in _WORD.findall(normalize(text))
        if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS
    )


def title_key(title: str) -> str:
    """What trigram likeness compares of a title: its significant words."""
    return " ".join(words(title))[:300]


def value_text(value: Any) -> str:
    """An answer as text: a string itself, a table's text cells one per line."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(value_text(item) for item in value.values() if isinstance(item, str))
    return ""


# Each field the search reads, with its weight.
FIELD_WEIGHTS: dict[str, str] = dict((*PROJECT_FIELDS, TITLE_FIELD, *CONCEPT_NOTE_FIELDS))


@dataclass(frozen=True)
class Profile:
    """A project's text as the search reads it: each field's text (weights: FIELD_WEIGHTS)."""

    fields: dict[str, str]

    def text(self, weight: str) -> str:
        return "\n".join(self.texts(weight))

    def texts(self, *weights: str) -> list[str]:
        """The fields' texts of these weights (all when none given), the strongest first."""
        order = weights or ("A", "B", "C")
        return [
            text
            for weight in order
            for key, text in self.fields.items()
            if FIELD_WEIGHTS.get(key, "C") == weight
        ]


def profile(*, project: Any = None, title: str = "", data: dict[str, Any] | None = None) -> Profile:
    """The text of a project (its row), a document's title and a concept note's answers."""
    fields: dict[str, str] = {}

    def add(key: str, value: Any) -> None:
        text = value_text(value).strip()
        if text and text not in fields.values():
            fields[key] = text

    if project is not None:
        for key, _weight in PROJECT_FIELDS:
            add(key, getattr(project, key, ""))
    add(TITLE_FIELD[0], title)
    for key, _weight in CONCEPT_NOTE_FIELDS:
        add(key, (data or {}).get(key))
    return Profile(fields=fields)


def query_terms(
    profile_: Profile, *, skip: frozenset[str] = frozenset(), limit: int = MAX_QUERY_TERMS
) -> dict[str, float]:
    """The terms to look for (but those in ``skip``), each with its strongest weight in the
    query: every term of the names first, then the rest by frequency (first seen first)."""
    weight_of: dict[str, float] = {}
    counts: Counter[str] = Counter()
    names: list[str] = []
    for weight in ("A", "B", "C"):
        found = [term for term in words(profile_.text(weight)) if term not in skip]
        for term in found:
            weight_of.setdefault(term, WEIGHTS[weight])
        if weight == "A":
            names.extend(dict.fromkeys(found))
        counts.update(found)
    rest = sorted((term for term in counts if term not in names), key=lambda term: -counts[term])
    return {term: weight_of[term] for term in [*dict.fromkeys(names), *rest][:limit]}


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    found: set[str] = set()
    for word in re.findall(r"[^\W_]+", normalize(text)):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def matched_terms(texts: Iterable[str], terms: Iterable[str], stems: dict[str, str]) -> list[str]:
    """The words of ``texts`` that match a query term (as written or by stem), in the order
    they first appear, each followed by the query's own form of it when that differs."""
    wanted = set(terms)
    by_stem: dict[str, list[str]] = {}
    for term in wanted:
        by_stem.setdefault(stems.get(term, term), []).append(term)
    found: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            if word in found:
                continue
            if word in wanted:
                found[word] = None
            for query_form in sorted(by_stem.get(stems.get(word, word), ())):
                found[word] = None
                found.setdefault(query_form, None)
    return list(found)
