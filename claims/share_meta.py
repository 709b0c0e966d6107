"""What a public page says about itself to crawlers and chat apps: its canonical address, Open Graph and
Twitter tags, and the share image (templates/includes/share_meta.html draws them from a ShareMeta).

Absolute addresses are built on settings.SITE_URL, never on the request's Host header: a page cached
for everyone, or a link a reader copies, must not carry whatever host name a client sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator

from claims.cards import CARD_HEIGHT, CARD_WIDTH
from claims.translated import OG_LOCALES, page_alternates

DESCRIPTION_CHARS = 200
IMAGE_ALT_CHARS = 200


def site_url(path: str) -> str:
    """`path` (which starts with "/") on the site's public address."""
    return f"{settings.SITE_URL}{path}"


def _short(text: str, chars: int) -> str:
    return Truncator(" ".join(text.split())).chars(chars)


@dataclass(frozen=True)
class ShareMeta:
    url: str  # absolute: the canonical link and og:url
    title: str
    description: str
    image: str  # absolute, a 1200x630 PNG
    image_alt: str
    type: str = "website"
    image_width: int = CARD_WIDTH
    image_height: int = CARD_HEIGHT
    # (language, absolute address) of each language's version, the original (x-default) first.
    alternates: tuple[tuple[str, str], ...] = ()
    language: str = settings.LANGUAGE_CODE

    @property
    def locale(self) -> str:
        return OG_LOCALES.get(self.language, self.language)

    @property
    def alternate_locales(self) -> list[str]:
        return [OG_LOCALES.get(code, code) for code, _url in self.alternates if code != self.language]

    @property
    def x_default(self) -> str:
        return self.alternates[0][1] if self.alternates else self.url


def share_meta(
    *,
    path: str,
    title: str,
    description: str,
    image_path: str,
    image_alt: str = "",
    type: str = "website",
    alternates: list[tuple[str, str]] | None = None,
    language: str | None = None,
) -> ShareMeta:
    """The tags of the page at `path`, with the share image at `image_path` (both paths on SITE_URL).

    `alternates` are (language, path) of the page's versions; by default the same page in every language.
    `language` is the content's, by default the page's."""
    if alternates is None:
        alternates = page_alternates(path)
    return ShareMeta(
        alternates=tuple((code, site_url(other)) for code, other in alternates),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        url=site_url(path),
        title=" ".join(title.split()),
        description=_short(description, DESCRIPTION_CHARS),
        image=site_url(image_path),
        image_alt=_short(image_alt or title, IMAGE_ALT_CHARS),
        type=type,
    )


def paged_path(path: str, number: int) -> str:
    """The canonical address of page `number` of a paginated list: the first page has no query."""
    return path if number <= 1 else f"{path}?page={number}"
