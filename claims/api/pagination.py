"""Cursor pagination over (moment, id), newest first: one query per page, whatever page it is.

A cursor is the position of the last item of the page before: its moment (published_at, or a correction's
created_at) and its id, as base64url-encoded JSON. It is opaque to clients, but not secret: a forged one only
starts a listing somewhere else. Unlike page numbers, a cursor never skips or repeats an item when new ones are
published while a client walks the list.
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

    def encode(self) -> str:
        text = json.dumps([self.moment.isoformat(), self.pk], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment_text, pk = json.loads(text)
            moment = datetime.fromisoformat(moment_text)
            if moment.tzinfo is None or type(pk) is not int or not 0 < pk <= MAX_ID:
                raise InvalidCursor(cursor)
            moment = moment.astimezone(UTC)  # overflows for a moment at the edge of the calendar
        except (binascii.Error, UnicodeError, ValueError, TypeError, OverflowError) as error:
            # JSONDecodeError and InvalidCursor are ValueErrors too.
            raise InvalidCursor(cursor) from error
        return cls(moment, pk)


def page_of[M: Model](
    queryset: QuerySet[M], *, moment: str, cursor: str | None, limit: int
) -> tuple[Sequence[M], Position | None]:
    """The `limit` items after `cursor` (from the first without one), newest `moment` first, and the position to
    continue from (None on the last page). One query: it reads one item more to know if there is another page."""
    ordered = queryset.order_by(f"-{moment}", "-id")
    if cursor is not None:
        after = Position.decode(cursor)
        ordered = ordered.filter(Q(**{f"{moment}__lt": after.moment}) | Q(**{moment: after.moment, "id__lt": after.pk}))
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], Position(getattr(last, moment), last.pk)
