"""Marks the passages of an article that fact-checks quote as evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.editorial.quotes import span_in
from claims.models import Claim


@dataclass(frozen=True)
class Segment:
    text: str
    claim: Claim | None = None


def mark_paragraph(paragraph: str, quotes: Iterable[tuple[str, Claim]]) -> list[Segment]:
    """Split `paragraph` into plain and quoted segments; overlapping quotes keep the earliest, longest one."""
    spans: list[tuple[int, int, Claim]] = []
    for quote, claim in quotes:
        # The same tolerant match as the quote check (claims/editorial/quotes.py): spacing and quote marks.
        span = span_in(paragraph, quote)
        if span is not None:
            spans.append((span[0], span[1], claim))
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    segments: list[Segment] = []
    position = 0
    for start, end, claim in spans:
        if start < position:
            continue
        if start > position:
            segments.append(Segment(paragraph[position:start]))
        segments.append(Segment(paragraph[start:end], claim))
        position = end
    if position < len(paragraph):
        segments.append(Segment(paragraph[position:]))
    return segments


def mark_article(paragraphs: list[str], quotes: list[tuple[str, Claim]]) -> list[list[Segment]]:
    return [mark_paragraph(paragraph, quotes) for paragraph in paragraphs]
