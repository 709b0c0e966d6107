"""Keeping the search index in step with the fact-checks.

Every save of a claim (the write path is the only code that saves one; fixtures in tests too) and every
delete updates, in the same transaction:
- the vocabulary (`SearchWord`), on both databases, for typo tolerance;
- on SQLite, the FTS5 row of the claim: the stems of each field, as claims/search/text.py makes them.
PostgreSQL needs no more: its `search_document` column is generated from the row itself.
`manage.py rebuild_search` redoes it all (after a bulk import that bypassed the models' save).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router

from claims.search.text import fold, stems, words

FIELDS = ("statement", "claimant", "ruling", "explanation")
BATCH = 500


def vocabulary(claim: Any) -> set[str]:
    """The folded words of a claim worth correcting a typo towards: three letters or more, not numbers."""
    found: set[str] = set()
    for field in FIELDS:
        for word in words(getattr(claim, field) or ""):
            folded = fold(word)
            if 3 <= len(folded) <= 60 and not folded.isdigit():
                found.add(folded)
    return found


def _fts_row(claim: Any) -> list[Any]:
    return [claim.pk, *(" ".join(stems(getattr(claim, field) or "", claim.language)) for field in FIELDS)]


def _write(claims: Iterable[Any], *, using: str, words_model: Any) -> None:
    batch = list(claims)
    if not batch:
        return
    found: set[str] = set()
    for claim in batch:
        found |= vocabulary(claim)
    words_model.objects.using(using).bulk_create(
        [words_model(word=word) for word in sorted(found)], ignore_conflicts=True, batch_size=BATCH
    )
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM claim_search WHERE rowid = %s", [[claim.pk] for claim in batch])
            cursor.executemany(
                "INSERT INTO claim_search (rowid, statement, claimant, ruling, explanation) "
                "VALUES (%s, %s, %s, %s, %s)",
                [_fts_row(claim) for claim in batch],
            )


def claim_saved(sender: Any, instance: Any, raw: bool = False, using: str = "default", **kwargs: Any) -> None:
    if not raw:  # loaddata: `rebuild_search` after it
        from claims.models import SearchWord

        _write([instance], using=using, words_model=SearchWord)


def claim_deleted(sender: Any, instance: Any, using: str = "default", **kwargs: Any) -> None:
    # Its words stay in the vocabulary: a correction towards a word nothing contains finds nothing.
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM claim_search WHERE rowid = %s", [instance.pk])


def rebuild(*, using: str | None = None, claims: Any = None, words: Any = None) -> int:
    """Index every claim again; returns how many. `claims` and `words` are the models (a migration's own)."""
    if claims is None or words is None:
        from claims.models import Claim, SearchWord

        claims, words = claims or Claim, words or SearchWord
    using = using or router.db_for_write(claims)
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM claim_search")
    rows = claims.objects.using(using).only("pk", "language", *FIELDS).order_by("pk")
    count = 0
    batch: list[Any] = []
    for claim in rows.iterator(chunk_size=BATCH):
        batch.append(claim)
        if len(batch) == BATCH:
            _write(batch, using=using, words_model=words)
            count, batch = count + len(batch), []
    _write(batch, using=using, words_model=words)
    return count + len(batch)
