"""Cursor pagination over (moment, id), newest first: one query per page, whatever page it is.

A cursor is the position of the last item of the page before: its moment (published_at, or a correction's
created_at) and its id, as base64url-encoded JSON; in a search's results, ranked best first, its relevance
too. It is opaque to clients, but not secret: a forged one only starts a listing somewhere else. Unlike page
numbers, a cursor never skips or repeats an item when new ones are published while a client walks the list.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Model, Q, QuerySet

# An id past this is no row's (Django's BigAutoField), and would overflow the database's integer.
MAX_ID = 2**63 - 1


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    moment: datetime
    pk: int
    rank: float | None = None

    def encode(self) -> str:
        fields: list = [self.moment.isoformat(), self.pk]
        if self.rank is not None:
            fields.append(self.rank)
        text = json.dumps(fields, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment_text, pk, *ranked = json.loads(text)
            moment = datetime.fromisoformat(moment_text)
            if moment.tzinfo is None or type(pk) is not int or not 0 < pk <= MAX_ID:
                raise InvalidCursor(cursor)
            rank = ranked[0] if ranked else None
            if len(ranked) > 1 or (rank is not None and type(rank) not in (int, float)):
                raise InvalidCursor(cursor)
            moment = moment.astimezone(UTC)  # overflows for a moment at the edge of the calendar
        except (binascii.Error, UnicodeError, ValueError, TypeError, OverflowError) as error:
            # JSONDecodeError and InvalidCursor are ValueErrors too.
            raise InvalidCursor(cursor) from error
        return cls(moment, pk, None if rank is None else float(rank))


def page_of[M: Model](
    queryset: QuerySet[M], *, moment: str, cursor: str | None, limit: int
) -> tuple[Sequence[M], Position | None]:
    """The `limit` items after `cursor` (from the first without one), newest `moment` first, and the position to
    continue from (None on the last page). One query: it reads one item more to know if there is another page.
    A search's results (annotated with `search_rank`, claims/search/) keep their order: most relevant first."""
    ranked = "search_rank" in queryset.query.annotations
    ordered = queryset.order_by(*(["-search_rank"] if ranked else []), f"-{moment}", "-id")
    if cursor is not None:
        after = Position.decode(cursor)
        later = Q(**{f"{moment}__lt": after.moment}) | Q(**{moment: after.moment, "id__lt": after.pk})
        if ranked != (after.rank is not None):
            raise InvalidCursor(cursor)  # a search's cursor used on a listing, or the other way round
        if after.rank is not None:
            later = Q(search_rank__lt=after.rank) | (Q(search_rank=after.rank) & later)
        ordered = ordered.filter(later)
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], Position(
        getattr(last, moment), last.pk, getattr(last, "search_rank", None) if ranked else None
    )
