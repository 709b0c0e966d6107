"""Keeping the search index in step with the fact-checks.

Every save of a claim (the write path is the only code that saves one; fixtures in tests too) and every
delete update, in the same transaction:
- the claim's stems of each field (claims/search/text.py): a weighted tsvector in its own row on PostgreSQL
  (`claims_claim.search_document`, migration 0010), a row of the FTS5 table `claim_search` on SQLite;
- the vocabulary (`SearchWord`), with the words of published claims only: those readers can read now. A claim
  scheduled for later adds its words when its time has come (`add_vocabulary`, from manage.py publish_due).
`manage.py rebuild_search` redoes it all: after a bulk import that bypassed the models' save, and to drop
the words of fact-checks since unpublished or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.utils import timezone

from claims.search.text import pieces, stem, stems, words

FIELDS = ("statement", "claimant", "ruling", "explanation")
# A save that changes none of these (a review step's update_fields) leaves the index as it is.
INDEXED = {*FIELDS, "language", "status"}
BATCH = 500
PUBLISHED = "published"  # claims.models.Status.PUBLISHED, spelled out: migrations pass their own models

# 'simple': the stems are made already; PostgreSQL only lower-cases and stores them, with their weights.
UPDATE_POSTGRES = (
    "UPDATE claims_claim SET search_document = "
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
    "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D') "
    "WHERE id = %s"
)
INSERT_SQLITE = "INSERT INTO claim_search (rowid, statement, claimant, ruling, explanation) VALUES (%s, %s, %s, %s, %s)"


def vocabulary(claim: Any) -> set[str]:
    """The folded words of a claim worth correcting a typo towards or completing: three letters or more,
    not numbers."""
    found: set[str] = set()
    for field in FIELDS:
        for match in words(getattr(claim, field) or ""):
            found.update(piece for piece in pieces(match.group()) if 3 <= len(piece) <= 60 and not piece.isdigit())
    return found


def _row(claim: Any) -> list[Any]:
    return [claim.pk, *(" ".join(stems(getattr(claim, field) or "", claim.language)) for field in FIELDS)]


def _write(claims: Iterable[Any], *, using: str, words_model: Any) -> None:
    batch = list(claims)
    if not batch:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(UPDATE_POSTGRES, [[*_row(claim)[1:], claim.pk] for claim in batch])
        else:
            cursor.executemany("DELETE FROM claim_search WHERE rowid = %s", [[claim.pk] for claim in batch])
            cursor.executemany(INSERT_SQLITE, [_row(claim) for claim in batch])
    found: set[tuple[str, str]] = set()
    now = timezone.now()
    for claim in batch:
        if claim.status == PUBLISHED and (claim.published_at is None or claim.published_at <= now):
            found |= {(word, claim.language) for word in vocabulary(claim)}
    words_model.objects.using(using).bulk_create(
        [words_model(word=word, language=language, stem=stem(word, language)) for word, language in sorted(found)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def claim_saved(
    sender: Any,
    instance: Any,
    raw: bool = False,
    using: str = "default",
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw:  # loaddata: `rebuild_search` after it
        return
    if update_fields is not None and not INDEXED & set(update_fields):
        return
    from claims.models import SearchWord

    _write([instance], using=using, words_model=SearchWord)


def add_vocabulary(claim: Any) -> None:
    """A scheduled claim's words, once readers can read it (claims/editorial/review.py)."""
    from claims.models import SearchWord

    _write([claim], using=router.db_for_write(type(claim)), words_model=SearchWord)


def claim_deleted(sender: Any, instance: Any, using: str = "default", **kwargs: Any) -> None:
    # Its words stay in the vocabulary until `rebuild_search`: they correct towards nothing readers can find.
    # On PostgreSQL its document went with its row.
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM claim_search WHERE rowid = %s", [instance.pk])


def rebuild(*, using: str | None = None, claim_model: Any = None, word_model: Any = None) -> int:
    """Index every claim again, and the vocabulary of the published ones; returns how many claims.
    The models are a migration's own when it passes them."""
    if claim_model is None or word_model is None:
        from claims.models import Claim, SearchWord

        claim_model, word_model = claim_model or Claim, word_model or SearchWord
    using = using or router.db_for_write(claim_model)
    if connections[using].vendor == "sqlite":
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM claim_search")
    word_model.objects.using(using).all().delete()
    rows = claim_model.objects.using(using).only("pk", "language", "status", *FIELDS).order_by("pk")
    count = 0
    batch: list[Any] = []
    for claim in rows.iterator(chunk_size=BATCH):
        batch.append(claim)
        if len(batch) == BATCH:
            _write(batch, using=using, words_model=word_model)
            count, batch = count + len(batch), []
    _write(batch, using=using, words_model=word_model)
    return count + len(batch)
