"""A reader's search: its words, their stems in both languages, typo corrections, and the database query.

A fact-check matches when, in English or in Spanish, every word of the query that is not a stopword in
that language is in it, as the same stem ("apprehension" finds "apprehensions"), as the stem of a
correction of a typo ("aprehensions"), or, for the last word while the reader is still typing, as a
prefix ("apprehen"). Matches are ranked by relevance (a match in the statement counts most, then the
claimant, the ruling, the explanation), then by recency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.search.text import LANGUAGES, WORD, edit_distance, fold, stem, words

MAX_WORDS = 8
MAX_CORRECTIONS = 3
# PostgreSQL's trigram neighbours of an unknown word, among which the nearest by edits are kept.
NEIGHBOURS = 12


def allowed_edits(word: str) -> int:
    """Typos forgiven in a word: none in short words (too many near neighbours), one from four letters, two
    from seven."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


@dataclass(frozen=True)
class Term:
    """One word of the query: the stems that satisfy it in each language, and prefixes for a word being typed."""

    word: str
    stems: dict[str, frozenset[str]]
    prefixes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Search:
    text: str
    terms: tuple[Term, ...]
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def corrected_words(self) -> list[str]:
        """The words searched for in place of typos, to tell the reader ("apprehensions" for "aprehensions")."""
        return sorted({word for words in self.corrections.values() for word in words})

    def __bool__(self) -> bool:
        return any(self._language_terms(language) for language in LANGUAGES)

    def _language_terms(self, language: str) -> list[tuple[frozenset[str], frozenset[str]]]:
        return [(term.stems[language], term.prefixes) for term in self.terms if term.stems[language] or term.prefixes]

    # The query in each database's syntax. Stems are runs of letters and digits (\w), so quoting is safe.

    def tsquery(self, *, any_word: bool = False) -> str:
        def alternatives(stems: Iterable[str], prefixes: Iterable[str]) -> str:
            parts = [f"'{s}'" for s in sorted(stems)] + [f"'{p}':*" for p in sorted(prefixes)]
            return "(" + " | ".join(parts) + ")"

        if any_word:
            every = {s for term in self.terms for language in LANGUAGES for s in term.stems[language]}
            return alternatives(every, ()) if every else ""
        languages = [self._language_terms(language) for language in LANGUAGES]
        return " | ".join(
            "(" + " & ".join(alternatives(stems, prefixes) for stems, prefixes in terms) + ")"
            for terms in languages
            if terms
        )

    def fts5(self, *, any_word: bool = False) -> str:
        def alternatives(stems: Iterable[str], prefixes: Iterable[str]) -> str:
            parts = [f'"{s}"' for s in sorted(stems)] + [f'"{p}"*' for p in sorted(prefixes)]
            return "(" + " OR ".join(parts) + ")"

        if any_word:
            every = {s for term in self.terms for language in LANGUAGES for s in term.stems[language]}
            return alternatives(every, ()) if every else ""
        languages = [self._language_terms(language) for language in LANGUAGES]
        return " OR ".join(
            "(" + " AND ".join(alternatives(stems, prefixes) for stems, prefixes in terms) + ")"
            for terms in languages
            if terms
        )

    def filter(self, claims: QuerySet, *, any_word: bool = False) -> QuerySet:
        """`claims` narrowed to the matches, best first (relevance, then the newest), each with `search_rank`."""
        if connection.vendor == "postgresql":
            query = self.tsquery(any_word=any_word)
            if not query:
                return claims.none()
            matches = RawSQL("claims_claim.search_document @@ %s::tsquery", [query], output_field=BooleanField())
            rank = RawSQL("ts_rank(claims_claim.search_document, %s::tsquery)", [query], output_field=FloatField())
        else:
            query = self.fts5(any_word=any_word)
            if not query:
                return claims.none()
            matches = RawSQL(
                "claims_claim.id IN (SELECT rowid FROM claim_search WHERE claim_search MATCH %s)",
                [query],
                output_field=BooleanField(),
            )
            # bm25 is lower for better matches; the weights favour the statement, then the claimant.
            rank = RawSQL(
                "(SELECT -bm25(claim_search, 8.0, 4.0, 2.0, 1.0) FROM claim_search "
                "WHERE claim_search MATCH %s AND rowid = claims_claim.id)",
                [query],
                output_field=FloatField(),
            )
        return claims.filter(matches).annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-id")

    def highlight(self, text: str, language: str) -> SafeString:
        """`text` escaped, with the words that matched wrapped in <mark>."""
        stems = {s for term in self.terms for s in term.stems.get(language, ())}
        prefixes = {p for term in self.terms for p in term.prefixes}
        if not (stems or prefixes):
            return escape(text)
        parts: list[str] = []
        end = 0
        for match in WORD.finditer(text):
            word = match.group()
            found = stem(word, language)
            folded = fold(word)
            if (found and found in stems) or any(folded.startswith(p) or found.startswith(p) for p in prefixes):
                parts.append(escape(text[end : match.start()]))
                parts.append(f"<mark>{escape(word)}</mark>")
                end = match.end()
        parts.append(escape(text[end:]))
        return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


NO_SEARCH = Search("", ())


def _term(word: str, corrections: Iterable[str], *, typing: bool) -> Term:
    candidates = [word, *corrections]
    stems = {language: frozenset(s for s in (stem(c, language) for c in candidates) if s) for language in LANGUAGES}
    prefixes = frozenset({fold(word)}) if typing and len(word) >= 2 else frozenset()
    return Term(fold(word), stems, prefixes)


def _nearest(unknown: dict[str, int], vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each unknown word, the known words fewest edits away (within what is allowed), nearest first."""
    best: dict[str, list[tuple[int, str]]] = {word: [] for word in unknown}
    for known in vocabulary:
        for word, limit in unknown.items():
            distance = edit_distance(word, known, limit)
            if distance <= limit:
                best[word].append((distance, known))
    corrections: dict[str, tuple[str, ...]] = {}
    for word, found in best.items():
        if found:
            nearest = min(distance for distance, _ in found)
            corrections[word] = tuple(sorted(k for d, k in found if d == nearest)[:MAX_CORRECTIONS])
    return corrections


def _corrections(folded: list[str]) -> dict[str, tuple[str, ...]]:
    """Corrections for the words that no fact-check contains: one query, whatever the number of words."""
    candidates = {word: allowed_edits(word) for word in folded if allowed_edits(word) and not word.isdigit()}
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The nearest words by trigrams (pg_trgm's GiST index answers this without scanning the table).
            # A known word answers from the unique index alone; only an unknown one is compared by trigrams.
            cursor.execute(
                "SELECT t.token, w.word FROM unnest(%s::text[]) AS t(token) CROSS JOIN LATERAL ("
                " SELECT word FROM claims_searchword WHERE word = t.token"
                " UNION ALL ("
                "  SELECT word FROM claims_searchword"
                "  WHERE NOT EXISTS (SELECT FROM claims_searchword known WHERE known.word = t.token)"
                "  ORDER BY word <-> t.token LIMIT %s)"
                ") AS w",
                [list(candidates), NEIGHBOURS],
            )
            neighbours: dict[str, set[str]] = {}
            for token, known in cursor.fetchall():
                neighbours.setdefault(token, set()).add(known)
        else:
            shortest = min(len(word) - limit for word, limit in candidates.items())
            longest = max(len(word) + limit for word, limit in candidates.items())
            cursor.execute(
                "SELECT word FROM claims_searchword WHERE length(word) BETWEEN %s AND %s", [shortest, longest]
            )
            known_words = {row[0] for row in cursor.fetchall()}
            neighbours = {word: known_words for word in candidates}
    corrections: dict[str, tuple[str, ...]] = {}
    for word, limit in candidates.items():
        near = neighbours.get(word, set())
        if word in near:
            continue  # a word some fact-check contains is no typo
        corrections.update(_nearest({word: limit}, near))
    return corrections


SPACE_AT_END = re.compile(r"\s$")


def parse(text: str, *, typing: bool | None = None, correct: bool = True) -> Search:
    """The search for `text`. The last word counts as a prefix while the reader is typing it (no space
    after it yet). Typo corrections cost one query; `correct=False` skips them."""
    text = (text or "").strip()[:200] if typing is False else (text or "")[:200]
    found = words(text)[:MAX_WORDS]
    if not found:
        return NO_SEARCH
    if typing is None:
        typing = not SPACE_AT_END.search(text)
    folded = [fold(word) for word in found]
    corrections = _corrections(folded) if correct else {}
    terms = tuple(
        _term(word, corrections.get(fold(word), ()), typing=typing and index == len(found) - 1)
        for index, word in enumerate(found)
    )
    return Search(text.strip(), terms, corrections)
