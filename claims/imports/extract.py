"""The article in a news page, or in pasted text: title, byline, publisher, date, canonical URL, paragraphs.

Pages are read by trafilatura, a maintained extractor made for news pages: it drops navigation, ads and
related links, and reads the metadata from the meta tags, the canonical link and the JSON-LD. What it finds
is a proposal: the editor corrects it before anything is saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from django.utils.translation import gettext as _

from claims.models.articles import split_paragraphs


class ExtractionFailed(ValueError):
    """No article text could be found; the message is a whole sentence for the editor."""


@dataclass(frozen=True)
class Extracted:
    title: str = ""
    byline: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    canonical_url: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The paragraphs as an article's body stores them: blocks separated by a blank line."""
        return "\n\n".join(self.paragraphs)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def extract_article(html: str, url: str | None = None) -> Extracted:
    """The article in `html` (a whole page), read with trafilatura; `url` is where it was fetched from."""
    document: Any = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    # A trafilatura Document (as_dict=False), or None when nothing was found.
    text = getattr(document, "text", None) or ""
    title = (getattr(document, "title", None) or "").strip()
    # One paragraph per line; the headline, repeated above the body, is the title and not a paragraph.
    paragraphs = [line.strip() for line in text.splitlines() if line.strip() and line.strip() != title]
    if document is None or not paragraphs:
        raise ExtractionFailed(_("No article text was found in this page. Paste the article's text instead."))
    canonical = (document.url or "").strip()
    return Extracted(
        title=title,
        byline=(document.author or "").strip(),
        publisher=(document.sitename or "").strip(),
        published_on=_date(document.date),
        canonical_url=canonical if canonical.startswith(("http://", "https://")) else (url or ""),
        paragraphs=paragraphs,
    )


def from_text(text: str) -> Extracted:
    """Pasted plain text, laid out as the demo's article.txt: the first block is the title, then the paragraphs,
    separated by blank lines (claims.models.articles.split_paragraphs)."""
    blocks = split_paragraphs(text)
    if len(blocks) < 2:
        raise ExtractionFailed(
            _("Paste the title on the first line, then the article's paragraphs, separated by blank lines.")
        )
    title, *paragraphs = blocks
    return Extracted(title=" ".join(title.split()), paragraphs=paragraphs)
