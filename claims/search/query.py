"""A reader's search: its words, their stems in both languages, typo corrections, and the database query.

A fact-check matches when, in English or in Spanish, every word of the query that is not a stopword in
that language is in it: as the same stem ("apprehension" finds "apprehensions"), as the stem of a
correction of a typo ("aprehensions"), or, for a last word that no published fact-check has (the reader
may still be typing it: the results follow the typing), as the stem of a published word it begins
("apprehensi"). The results depend on the query alone, so a pushed or shared address shows them again.
Matches are ranked by relevance (a match in the statement counts most, then the claimant, the ruling, the
explanation), then by recency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.search.text import LANGUAGES, edit_distance, is_stopword, pieces, stem, words

# Words of a query that count (stopwords in both languages do not count towards it).
MAX_WORDS = 8
MAX_CORRECTIONS = 3
# The shortest beginning of a word completed while typing, and how many published words complete it.
MIN_PREFIX = 3
MAX_COMPLETIONS = 30
# PostgreSQL's trigram neighbours of an unknown word, among which the nearest by edits are kept. Words share
# enough trigrams with a typo of theirs when their similarity passes TYPO_SIMILARITY (pg_trgm's default, 0.3,
# misses a swap of two letters in a short word: "mexcio" is 0.27 from "mexico").
NEIGHBOURS = 12
TYPO_SIMILARITY = 0.2  # set as the database's default by migration 0010
# One query, in parts: the rows that make the words known (spelling, or stem in a language); for each word known
# by neither, the words sharing enough trigrams with it, nearest first (pg_trgm's GiST index answers `%` on a
# value, not on a column of the query: hence a part per word); the words that a word being typed begins (the
# pattern index answers, whatever the collation).
POSTGRES_KNOWN = (
    "SELECT word, language, stem FROM claims_searchword"
    " WHERE word = ANY(%s) OR (language = 'en' AND stem = ANY(%s)) OR (language = 'es' AND stem = ANY(%s))"
)
POSTGRES_NEAR = (
    "(SELECT word, language, stem FROM claims_searchword"
    " WHERE NOT EXISTS (SELECT FROM claims_searchword k"
    "  WHERE k.word = %s OR (k.stem = %s AND k.language = 'en') OR (k.stem = %s AND k.language = 'es'))"
    " AND word %% %s ORDER BY word <-> %s LIMIT %s)"
)
POSTGRES_PREFIX = "(SELECT word, language, stem FROM claims_searchword WHERE word LIKE %s ORDER BY word LIMIT %s)"


def allowed_edits(piece: str) -> int:
    """Typos forgiven in a word: none in short words (too many near neighbours), one from four letters, two
    from seven."""
    if len(piece) < 4 or piece.isdigit():
        return 0
    return 1 if len(piece) < 7 else 2


@dataclass(frozen=True)
class Syntax:
    quote: str  # one stem
    either: str
    both: str


TSQUERY = Syntax(quote="'%s'", either=" | ", both=" & ")  # PostgreSQL
FTS5 = Syntax(quote='"%s"', either=" OR ", both=" AND ")  # SQLite


@dataclass(frozen=True)
class Term:
    """One word of the query: the stems that satisfy it in each language."""

    word: str
    stems: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Search:
    text: str
    terms: tuple[Term, ...]
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def corrected_words(self) -> list[str]:
        """The words searched for in place of typos, to tell the reader ("apprehensions" for "aprehensions")."""
        return sorted({word for found in self.corrections.values() for word in found})

    def __bool__(self) -> bool:
        return any(self._language_terms(language) for language in LANGUAGES)

    def _language_terms(self, language: str) -> list[frozenset[str]]:
        return [term.stems[language] for term in self.terms if term.stems[language]]

    def _every_stem(self) -> set[str]:
        return {s for term in self.terms for language in LANGUAGES for s in term.stems[language]}

    def query(self, syntax: Syntax, *, any_word: bool = False) -> str:
        """The query in a database's syntax: every word in one of the languages (`any_word`: any stem at all).
        Every stem is a run of letters and digits (text.WORD), so quoting it cannot change the query."""

        def alternatives(stems: Iterable[str]) -> str:
            return "(" + syntax.either.join(syntax.quote % stem for stem in sorted(stems)) + ")"

        if any_word:
            every = self._every_stem()
            return alternatives(every) if every else ""
        languages = [self._language_terms(language) for language in LANGUAGES]
        return syntax.either.join(
            "(" + syntax.both.join(map(alternatives, terms)) + ")" for terms in languages if terms
        )

    def filter(self, claims: QuerySet, *, any_word: bool = False) -> QuerySet:
        """`claims` narrowed to the matches, best first (relevance, then the newest), each with `search_rank`."""
        if connection.vendor == "postgresql":
            query = self.query(TSQUERY, any_word=any_word)
            if not query:
                return claims.none()
            matches = RawSQL("claims_claim.search_document @@ %s::tsquery", [query], output_field=BooleanField())
            # float8: ts_rank's float4 would come back rounded, and an API cursor could not find its place again.
            rank = RawSQL(
                "ts_rank(claims_claim.search_document, %s::tsquery)::float8", [query], output_field=FloatField()
            )
        else:
            query = self.query(FTS5, any_word=any_word)
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
        wanted = {s for term in self.terms for s in term.stems.get(language, ())}
        if not wanted:
            return escape(text)
        parts: list[str] = []
        end = 0
        for match in words(text):
            if any(stem(piece, language) in wanted for piece in pieces(match.group())):
                parts.append(escape(text[end : match.start()]))
                parts.append(f"<mark>{escape(match.group())}</mark>")
                end = match.end()
        parts.append(escape(text[end:]))
        return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


NO_SEARCH = Search("", ())


@dataclass(frozen=True)
class Known:
    """What the published vocabulary says about a query's words."""

    corrections: dict[str, tuple[str, ...]]
    completions: tuple[str, ...]


def _stems_of(piece: str) -> tuple[str, str]:
    return stem(piece, "en"), stem(piece, "es")


def _vocabulary_rows(correctable: list[str], prefix: str) -> list[tuple[str, str, str]]:
    """One query: the vocabulary's rows (word, language, stem) that tell whether each correctable word is known
    (by its spelling, or its stem in a language), the candidates to correct it towards, and the words that
    begin with `prefix`."""
    stems_en = [_stems_of(piece)[0] for piece in correctable]
    stems_es = [_stems_of(piece)[1] for piece in correctable]
    params: list[Any] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts = [POSTGRES_KNOWN]
            params += [correctable, stems_en, stems_es]
            for piece, en, es in zip(correctable, stems_en, stems_es, strict=True):
                parts.append(POSTGRES_NEAR)
                params += [piece, en, es, piece, piece, NEIGHBOURS]
            if prefix:
                parts.append(POSTGRES_PREFIX)
                params += [prefix + "%", MAX_COMPLETIONS]
            cursor.execute(" UNION ".join(parts), params)
        else:
            # Candidates for a typo share the word's length give or take the edits allowed, and its first
            # letter or its last two (one edit cannot change both in a word of four letters or more).
            where: list[str] = []
            if correctable:
                marks = ", ".join(["%s"] * len(correctable))
                where.append(
                    f"word IN ({marks}) OR (language = 'en' AND stem IN ({marks}))"
                    f" OR (language = 'es' AND stem IN ({marks}))"
                )
                params += [*correctable, *stems_en, *stems_es]
                for piece in correctable:
                    limit = allowed_edits(piece)
                    where.append(
                        "(length(word) BETWEEN %s AND %s AND (substr(word, 1, 1) = %s OR substr(word, -2) = %s))"
                    )
                    params += [len(piece) - limit, len(piece) + limit, piece[:1], piece[-2:]]
            if prefix:
                where.append("(word >= %s AND word < %s)")  # SQLite compares bytes: the unique index answers
                params += [prefix, prefix + "\uffff"]
            cursor.execute(
                f"SELECT word, language, stem FROM claims_searchword WHERE {' OR '.join(where)}",  # noqa: S608
                params,
            )
        return cursor.fetchall()


def _known(correctable: list[str], prefix: str) -> Known:
    if not correctable and not prefix:
        return Known({}, ())
    rows = _vocabulary_rows(correctable, prefix)
    spellings = {word for word, _, _ in rows}
    known_stems = {(language, found) for _, language, found in rows}

    def is_known(piece: str) -> bool:
        # In the index, in some form: its spelling, or its stem in the language of a fact-check that has it.
        return piece in spellings or any((language, stem(piece, language)) in known_stems for language in LANGUAGES)

    corrections: dict[str, tuple[str, ...]] = {}
    for piece in correctable:
        if is_known(piece):
            continue  # a word some published fact-check contains, in some form, is no typo
        limit = allowed_edits(piece)
        found = [(edit_distance(piece, word, limit), word) for word in spellings]
        found = [(distance, word) for distance, word in found if distance <= limit]
        if found:
            nearest = min(distance for distance, _ in found)
            corrections[piece] = tuple(sorted(word for d, word in found if d == nearest)[:MAX_CORRECTIONS])
    completions: tuple[str, ...] = ()
    if prefix and not is_known(prefix):
        # An unknown last word may be one the reader has not finished typing.
        completions = tuple(sorted(word for word in spellings if word.startswith(prefix))[:MAX_COMPLETIONS])
    return Known(corrections, completions)


def parse(text: str, *, correct: bool = True, max_words: int = MAX_WORDS) -> Search:
    """The search for `text`. Corrections of typos, and completions of an unknown last word from the
    published vocabulary, cost one query; `correct=False` skips both."""
    text = (text or "")[:1000].strip()
    query: list[str] = []  # folded pieces that count, in order
    for match in words(text):
        for piece in pieces(match.group()):
            if not all(is_stopword(piece, language) for language in LANGUAGES):
                query.append(piece)
    query = query[:max_words]
    if not query:
        return NO_SEARCH
    last = query[-1]
    prefix = last if correct and len(last) >= MIN_PREFIX and not last.isdigit() else ""
    known = _known([p for p in query if allowed_edits(p)], prefix) if correct else Known({}, ())
    terms = []
    for index, piece in enumerate(query):
        candidates = [piece, *known.corrections.get(piece, ())]
        if index == len(query) - 1 and prefix:
            candidates += known.completions
        stems = {language: frozenset(s for s in (stem(c, language) for c in candidates) if s) for language in LANGUAGES}
        terms.append(Term(piece, stems))
    return Search(text, tuple(terms), known.corrections)
