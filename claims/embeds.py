"""Embeds: a fact-check's card and a quiz framed on other sites (claims/views/embeds.py serves them).

What a partner pastes into their page is built here, once for the permalink and quiz pages, the
admin and anything else that offers it: an iframe, and optionally our resizing script
(static/js/embed.js), which sets each frame's height from the heights the framed page reports
(static/js/embed-frame.js). Without the script the frame keeps the fixed height of the snippet and
scrolls inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from claims.models import Claim, Quiz
from claims.share_meta import site_url
from factcheck.languages import DEFAULT, path_in

# Where the embeds live, after the language prefix: the only pages that may be framed.
EMBED_PREFIX = "/embed/"
# The frame's height in the snippet: what it shows without the script (it scrolls inside beyond that), and
# where it starts before the script's first measure.
CLAIM_HEIGHT = 420
QUIZ_HEIGHT = 640


def is_embed_path(url: str) -> bool:
    """Whether `url` is one of the embeds' own pages (in any language), on this site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return path_in(DEFAULT, parts.path).startswith(EMBED_PREFIX)


def embed_path(obj: Claim | Quiz) -> str:
    """The embed of `obj`, under its own language's prefix."""
    name = "embed-claim-detail" if isinstance(obj, Claim) else "embed-quiz-detail"
    with translation.override(obj.language):
        return reverse(name, kwargs={"slug": obj.slug})


def script_url() -> str:
    """The resizing script at its unversioned address: partners' pages keep the snippet for years, and the
    hashed names of a release disappear with the next (WhiteNoise serves the plain name too, briefly cached)."""
    return urljoin(site_url("/"), f"{settings.STATIC_URL}js/embed.js")


def frame_title(obj: Claim | Quiz) -> str:
    """The frame's accessible name, in the language of what it shows."""
    with translation.override(obj.language):
        if isinstance(obj, Claim):
            # Translators: the accessible name of an embedded fact-check's frame on a partner's page.
            return _("Fact-check: “%(statement)s”") % {"statement": obj.statement}
        # Translators: the accessible name of an embedded quiz's frame on a partner's page.
        return _("Quiz: %(title)s") % {"title": obj.title}


@dataclass(frozen=True)
class EmbedCode:
    with_script: str  # the frame resized to its content by static/js/embed.js
    without_script: str  # the frame alone, at a fixed height


def embed_code(obj: Claim | Quiz) -> EmbedCode:
    """The snippet as text (its values escaped for HTML): a template escapes it once more to show it."""
    height = CLAIM_HEIGHT if isinstance(obj, Claim) else QUIZ_HEIGHT
    # data-factcheck-embed marks our frames for the script, which resizes only them.
    frame = (
        f'<iframe src="{escape(site_url(embed_path(obj)))}" title="{escape(frame_title(obj))}" width="100%" '
        f'height="{height}" style="border:0;max-width:40rem" loading="lazy" data-factcheck-embed></iframe>'
    )
    script = f'<script src="{escape(script_url())}" async></script>'
    return EmbedCode(with_script=f"{frame}\n{script}", without_script=frame)
