"""Moving a question up or down on the quiz's page without a script.

Each question on the page (templates/admin/claims/quiz/question_inline.html) has "Move up" and "Move down"
submit buttons named `<prefix>-<n>-move`. With a script, static/js/admin-question-order.js moves the question on
the page and nothing is posted; without one, the button posts the whole form, and `apply_move` rewrites the posted
positions so that the quiz is saved with the question moved. The order is what the editorial action saves
(claims/editorial/quizzes.py: in_position_order), which numbers the positions 1, 2, 3….
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import QueryDict

from claims.editorial.quizzes import position_order

_MOVE = re.compile(r"^(?P<prefix>[\w-]+)-(?P<index>\d+)-move$")
# Django's own ceiling on the forms of a formset (formset_factory's absolute_max default).
_MOST_FORMS = 1000


@dataclass(frozen=True)
class Move:
    """A question moved on the page: its id as posted ("" for a new one), and the position it has now (1-based)."""

    question_id: str
    position: int


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def apply_move(data: QueryDict) -> tuple[QueryDict, Move | None]:
    """The posted data with the positions rewritten for the question whose Move button was pressed, and the move.

    Questions keep the order their posted positions give (ties in the page's order), as the save will; the moved
    one swaps places with its neighbour among the questions that are kept (not ticked for deletion, not a blank
    new row). Anything unexpected (no such button, a number of forms that is not one) leaves the data as it was.
    """
    pressed = next(((m, data[key]) for key in data if (m := _MOVE.match(key))), None)
    if pressed is None or pressed[1] not in ("up", "down"):
        return data, None
    match, direction = pressed
    prefix, moved = match["prefix"], int(match["index"])
    total = _int(data.get(f"{prefix}-TOTAL_FORMS"))
    if not 0 <= moved < total <= _MOST_FORMS:
        return data, None

    def field(index: int, name: str) -> str:
        return data.get(f"{prefix}-{index}-{name}", "")

    def blank(index: int) -> bool:
        return not field(index, "id") and not field(index, "prompt").strip()

    order = sorted(range(total), key=lambda i: position_order(_int(field(i, "position"))))  # as the save will
    kept = [i for i in order if not blank(i) and not field(i, "DELETE")]
    if moved not in kept:
        return data, None
    at = kept.index(moved)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(kept):
        return data, Move(field(moved, "id"), at + 1)  # already first (or last): nothing to do
    # Swap the two in the page's order, then number every question that is not a blank new row.
    a, b = order.index(moved), order.index(kept[other])
    order[a], order[b] = order[b], order[a]
    changed = data.copy()
    numbered = [i for i in order if not blank(i)]
    for position, index in enumerate(numbered, start=1):
        changed[f"{prefix}-{index}-position"] = str(position)
    kept_after = [i for i in numbered if not field(i, "DELETE")]
    return changed, Move(field(moved, "id"), kept_after.index(moved) + 1)
