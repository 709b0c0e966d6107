"""Number guesses: reading a reader's guess, judging it, and the bins of the histogram of guesses.

Pure functions on Decimals (no floating point: a guess at the edge of the tolerance is judged exactly),
shared by the quiz pages, the answer's write (claims/quiz_services.py), the editorial rules and the editors'
statistics.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import pgettext

BIN_COUNT = 10  # at most; fewer when the range holds fewer steps
PLACES = Decimal("0.01")  # Answer.guess and the question's figures keep two decimal places
LARGEST = Decimal("999999999999.99")  # what 14 digits with 2 decimal places hold


class NotANumber(ValueError):
    pass


def parse_guess(raw: str) -> Decimal:
    """A typed or slid guess as a Decimal with two places. Accepts "1000", "1,000", "1000.5", " 1 000 ", and a
    comma as the decimal point when it cannot be a thousands separator ("2,5"). Raises NotANumber."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not text or len(text) > 30:
        raise NotANumber(raw)
    if "," in text and "." not in text and not _grouped(text, ","):
        text = text.replace(",", ".")  # "2,5": a decimal comma
    elif "." in text and "," in text and text.rfind(",") > text.rfind("."):
        text = text.replace(".", "").replace(",", ".")  # "1.000,5": Spanish grouping
    elif text.count(".") > 1 and _grouped(text, "."):
        text = text.replace(".", "")  # "1.000.000"
    else:
        text = text.replace(",", "")
    if not all(c.isascii() and (c.isdigit() or c in ".-") for c in text):
        raise NotANumber(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NotANumber(raw) from None
    if not value.is_finite() or abs(value) > LARGEST:
        raise NotANumber(raw)
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def _grouped(text: str, separator: str) -> bool:
    """Whether `separator` splits `text` into thousands groups: "1,000", "12,500,000"."""
    head, *groups = text.lstrip("-").split(separator)
    return bool(groups) and 1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in groups)


def is_right(guess: Decimal, *, true_value: Decimal, tolerance: Decimal) -> bool:
    return abs(guess - true_value) <= tolerance


def make_bins(low: Decimal, high: Decimal, step: Decimal) -> list[str]:
    """Edges of up to BIN_COUNT bins of equal width from `low` to `high`, each a whole number of steps wide
    (so that the labels read as the slider does), as strings for a JSONField."""
    steps = int((high - low) / step) if step > 0 and high > low else 0
    if steps <= 0:
        return [str(low), str(high)]
    per_bin = max(1, -(-steps // BIN_COUNT))  # ceiling division: whole steps per bin
    edges = []
    value = low
    while value < high:
        edges.append(value)
        value += per_bin * step
    edges.append(high)
    return [str(edge.quantize(PLACES)) for edge in edges]


def bin_of(guess: Decimal, edges: Sequence[str]) -> int:
    """The index of the bin holding `guess`; a guess outside the edges goes in the first or the last bin."""
    bounds = [Decimal(edge) for edge in edges]
    last = len(bounds) - 2
    return min(max(bisect_right(bounds, guess) - 1, 0), last)


def plain(value: Decimal) -> str:
    """A figure as HTML's number inputs take it: "5000", "0.5" (no grouping, no trailing zeros, no exponent)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(value: Decimal) -> str:
    """A figure as readers of the current language write it: "172,000", "2.5", "172.000" in Spanish."""
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def bin_label(edges: Sequence[str], index: int) -> tuple[str, str]:
    """The bin's range as displayed: (from, to)."""
    return display(Decimal(edges[index])), display(Decimal(edges[index + 1]))


def with_unit(figure: str, unit: str) -> str:
    # Translators: a number and its unit, e.g. "1,000 people a day".
    return pgettext("number and unit", "%(number)s %(unit)s") % {"number": figure, "unit": unit} if unit else figure
