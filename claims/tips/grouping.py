"""Which group a new tip joins: the open group whose statement most resembles it, or a new one.

"Resembles" is the search's own measure (claims.search.text.resemblance: the share of word stems two
statements have in common), so editors see grouped what a reader's search would find alike. Only groups
still waiting for a decision (status new) attract tips, and only in the tip's language: once a group is
decided, a new tip that resembles it starts a new group, which editors decide again (often at once, by
answering it with the same fact-check).
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from claims.models import TipGroup, TipStatus
from claims.search.text import resemblance

# Jaccard of stems. 0.5 groups "Crime doubled last year" with "crime has doubled in the last year", and
# keeps apart statements on one topic that say different things (tests/test_tips_grouping.py).
SAME_THING = 0.5
# How many of the most recently asked open groups a tip is compared with.
CANDIDATES = 500


def _serialise(language: str) -> None:
    """Two tips in one language arriving together must not both start a group for the same words: on
    PostgreSQL they take turns (a transaction-scoped advisory lock); SQLite's IMMEDIATE transactions already
    serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"tip-groups:{language}"])


def group_for(statement: str, language: str) -> TipGroup:
    """The group a tip saying `statement` joins, counted as asked once more (call inside a transaction)."""
    _serialise(language)
    candidates = TipGroup.objects.waiting().filter(language=language).order_by("-last_asked_at", "-id")
    best, best_score = None, 0.0
    for group in candidates.only("pk", "statement")[:CANDIDATES]:
        score = resemblance(statement, group.statement, language)
        if score > best_score:
            best, best_score = group, score
    now = timezone.now()
    if best is None or best_score < SAME_THING:
        return TipGroup.objects.create(statement=statement, language=language, tip_count=1, last_asked_at=now)
    group = TipGroup.objects.select_for_update().get(pk=best.pk)
    if group.status != TipStatus.NEW:
        # Decided by an editor since it was read: the tip starts a group of its own.
        return TipGroup.objects.create(statement=statement, language=language, tip_count=1, last_asked_at=now)
    group.tip_count += 1
    group.last_asked_at = now
    group.save(update_fields=["tip_count", "last_asked_at"])
    return group
