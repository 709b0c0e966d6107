"""Search over the fact-checks, in both languages, on PostgreSQL and on SQLite.

- `text.py`: words, accents, stems and stopwords, shared by both databases;
- `index.py`: what keeps the index in step with every save (and `rebuild_search`);
- `query.py`: a query's terms, typo corrections, the database query and highlighting.

The claims index (`/claims/?q=`), the tip line and the editors' matching all use `parse` and `Search.filter`.
"""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim
from claims.search.query import NO_SEARCH, Search, parse

__all__ = ["NO_SEARCH", "Found", "Search", "find_published", "parse", "similar_claims"]


# The words of a statement compared with the others' (a whole tweet's worth; stopwords do not count).
STATEMENT_WORDS = 40


@dataclass(frozen=True)
class Found:
    """What a search found, best first, and the search itself (its `highlight` marks the matches)."""

    search: Search
    claims: list[Claim]


def find_published(query: str, *, language: str, limit: int = 10) -> Found:
    """The published fact-checks a reader of `language` sees that match `query`, best first."""
    search = parse(query)
    if not search:
        return Found(search, [])
    return Found(search, list(search.filter(Claim.objects.published().in_language(language))[:limit]))


def similar_claims(
    statement: str, *, language: str | None = None, exclude: int | None = None, limit: int = 5
) -> list[Claim]:
    """Fact-checks of any status whose words resemble `statement` most (any of its words counts), for an
    editor about to write a duplicate. No typo correction: a statement is written, not typed in a hurry."""
    search = parse(statement, correct=False, max_words=STATEMENT_WORDS)
    if not search:
        return []
    # Originals: a translation of a look-alike is the same fact-check again.
    claims = Claim.objects.filter(translation_of__isnull=True).select_related("article")
    if language:
        claims = claims.filter(language=language)
    if exclude:
        claims = claims.exclude(pk=exclude)
    return list(search.filter(claims, any_word=True)[:limit])
