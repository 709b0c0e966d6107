"""Evidence quotes true to their source: the one matching rule.

A quote matches the article when it is the same text word for word. Matching
ignores only what copying from a web page changes without changing the words:
runs of whitespace (line breaks, double spaces, non-breaking spaces) and
typographic versus straight quotation marks and apostrophes. Nothing else: a
changed, dropped or added word, or different punctuation, is a different quote.
A quote must lie within one paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Escapes: the straight mark, then the left, right, low-9 and high-reversed-9 typographic ones.
DOUBLE_QUOTES = "\u0022\u201c\u201d\u201e\u201f"
SINGLE_QUOTES = "\u0027\u2018\u2019\u201a\u201b"
_TO_STRAIGHT = str.maketrans({**dict.fromkeys(DOUBLE_QUOTES, '"'), **dict.fromkeys(SINGLE_QUOTES, "'")})
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form two texts are compared in: straight quotes, single spaces, no outer whitespace."""
    return _WHITESPACE.sub(" ", text.translate(_TO_STRAIGHT)).strip()


@lru_cache(maxsize=1024)
def _pattern(quote: str) -> re.Pattern[str] | None:
    quote = normalize(quote)
    if not quote:
        return None
    parts = []
    for char in quote:
        if char == " ":
            parts.append(r"\s+")
        elif char == '"':
            parts.append(f"[{re.escape(DOUBLE_QUOTES)}]")
        elif char == "'":
            parts.append(f"[{re.escape(SINGLE_QUOTES)}]")
        else:
            parts.append(re.escape(char))
    # Whole words only: a quote that starts or ends inside a word ("uotable sent") is not an excerpt.
    start = r"(?<!\w)" if quote[0].isalnum() else ""
    end = r"(?!\w)" if quote[-1].isalnum() else ""
    return re.compile(start + "".join(parts) + end)


def span_in(paragraph: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in `paragraph` (start, end in the paragraph's own text), if it does."""
    pattern = _pattern(quote)
    if pattern is None:
        return None
    found = pattern.search(paragraph)
    return found.span() if found else None


def find_quote(paragraphs: Sequence[str], quote: str) -> int | None:
    """The 1-based number of the paragraph that holds `quote`, or None."""
    for number, paragraph in enumerate(paragraphs, start=1):
        if span_in(paragraph, quote) is not None:
            return number
    return None
