"""oEmbed (https://oembed.com) for our fact-checks and quizzes: the `rich` answer a partner's site or chat app
gets for one of our links, holding the iframe of its embed (/embed/claims/<slug>/, /embed/quizzes/<slug>/:
claims/embeds.py, whose frame it draws at the consumer's size).

What has an answer: a claim permalink (an old slug too) and a quiz's intro, any of its question pages and
any of its result pages (the quiz), in either language, on settings.SITE_URL's scheme and host only. The
address's language decides the embed's: /es/… gives the Spanish version where one is published (as the page
itself would redirect to it), else the original under the Spanish interface. Unpublished work has none.

Errors are the spec's: 404 for a URL we have no answer for, 501 for a format other than JSON; and 400,
naming the parameter, for a missing or malformed `url`, `maxwidth` or `maxheight`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, unquote, urlencode, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims.cards import CARD_HEIGHT, CARD_WIDTH
from claims.embeds import CLAIM_HEIGHT, QUIZ_HEIGHT, embed_path, frame_title
from claims.models import Attempt, Claim, ClaimSlugRedirect, Quiz
from claims.quiz_pages import quiz_index
from claims.share_meta import site_url
from claims.translated import version_for_reader
from factcheck.languages import DEFAULT, language_of_path, path_in

# The frame's size when the consumer sets no limit: the embed code's (claims/embeds.py: at most 40rem wide,
# and its fixed height; our resizing script, where the host page has it, then follows the content).
EMBED_WIDTH = 640
# How long a consumer may keep an answer (the iframe always shows the current page).
CACHE_AGE = 60 * 60
QUIZ_PAGES = frozenset({"quiz-detail", "quiz-question", "quiz-result"})
TOKEN_LENGTH: int = Attempt._meta.get_field("token").max_length or 0


class OEmbedError(Exception):
    """A request the endpoint refuses, with the HTTP status the spec gives it and a sentence saying why."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


@dataclass(frozen=True)
class Embeddable:
    """What one of our pages embeds: the version of a claim or quiz it shows, under its address's language."""

    obj: Claim | Quiz  # the version in the address's language where one is published, else the original
    language: str  # of the address: the embed's interface

    @property
    def embed_url(self) -> str:
        return site_url(path_in(self.language, embed_path(self.obj)))

    @property
    def thumbnail_url(self) -> str:
        name = "claim-card" if isinstance(self.obj, Claim) else "quiz-card"
        with translation.override(self.language):
            return site_url(reverse(name, kwargs={"slug": self.obj.slug}))

    @property
    def default_size(self) -> tuple[int, int]:
        return EMBED_WIDTH, CLAIM_HEIGHT if isinstance(self.obj, Claim) else QUIZ_HEIGHT

    @property
    def title(self) -> str:
        """As link previews title the page, in its words' language."""
        if isinstance(self.obj, Quiz):
            return self.obj.title
        with translation.override(self.obj.language):
            said = {"statement": Truncator(self.obj.statement).chars(120)}
            if self.obj.rating is None:
                return _("“%(statement)s”") % said
            # Translators: a fact-check's title in link previews, e.g. "Mostly false: “Crime doubled last year”".
            return _("%(verdict)s: “%(statement)s”") % {**said, "verdict": self.obj.rating.label}


def discovery_url(page_url: str) -> str:
    """The oEmbed endpoint's address for the page at `page_url` (absolute), for its discovery <link>."""
    return site_url(reverse("oembed")) + "?" + urlencode({"url": page_url, "format": "json"})


def answer(*, url: str | None, format: str | None, maxwidth: str | None, maxheight: str | None) -> dict[str, Any]:
    """The oEmbed response for the request's parameters, or OEmbedError."""
    if not url:
        raise OEmbedError(400, _("The url parameter is missing: give the address of a fact-check or a quiz."), "url")
    address = _split(url)
    limits = _limit("maxwidth", maxwidth), _limit("maxheight", maxheight)
    if format not in (None, "", "json"):
        raise OEmbedError(501, _("Only the JSON format is available: use format=json."), "format")
    target = find(address)
    return _rich(target, *limits)


def _split(url: str) -> SplitResult:
    try:
        address = urlsplit(url.strip())
        address.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        address = None
    if address is None or address.scheme not in ("http", "https") or not address.hostname:
        raise OEmbedError(400, _("The url parameter is not an absolute http or https address."), "url")
    return address


def _limit(name: str, value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise OEmbedError(
            400, _("The %(parameter)s parameter must be a whole number of pixels.") % {"parameter": name}, name
        )
    return int(value)


def _origin(address: SplitResult) -> tuple[str, str | None, int | None]:
    return address.scheme, address.hostname, address.port or {"http": 80, "https": 443}.get(address.scheme)


def find(address: SplitResult) -> Embeddable:
    """What the page at `address` embeds, or OEmbedError 404."""
    not_found = OEmbedError(404, _("There is no published fact-check or quiz at this address."), "url")
    if _origin(address) != _origin(urlsplit(settings.SITE_URL)):
        raise not_found
    path = unquote(address.path) or "/"
    language = language_of_path(path) or DEFAULT
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            if path.endswith("/"):
                raise not_found from None
            try:
                match = resolve(path + "/")  # as CommonMiddleware would redirect it
            except Resolver404:
                raise not_found from None
    if match.url_name == "claim-detail":
        found = _claim(match.kwargs["slug"], language)
    elif match.url_name in QUIZ_PAGES:
        found = _quiz(match.url_name, match.kwargs, language)
    else:
        found = None
    if found is None:
        raise not_found
    return found


def _claim(slug: str, language: str) -> Embeddable | None:
    published = Claim.objects.published()
    claim = published.filter(slug=slug).first()
    if claim is None:  # an old slug: its page redirects to the claim
        redirect = ClaimSlugRedirect.objects.filter(old_slug=slug, claim__in=published).select_related("claim")
        claim = next((r.claim for r in redirect), None)
    if claim is None:
        return None
    return Embeddable(version_for_reader(claim, language) or claim, language)


def _quiz(url_name: str, kwargs: dict[str, Any], language: str) -> Embeddable | None:
    _version, index, _steps = quiz_index(kwargs["slug"])
    if index is None or not index.is_public:
        return None
    if url_name == "quiz-question" and not 1 <= kwargs["number"] <= index.total:
        return None
    if url_name == "quiz-result":
        token = kwargs["token"]
        if len(token) > TOKEN_LENGTH or not Attempt.objects.finished().filter(quiz_id=index.pk, token=token).exists():
            return None
    quiz = Quiz.objects.filter(slug=index.slug_in(language) or index.slug).first()
    return Embeddable(quiz, language) if quiz is not None else None


def _fit(size: tuple[int, int], maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The iframe's size within the consumer's limits. Each side is capped on its own: the embed is a page
    that reflows to any width (its text wraps and it grows taller), not a picture to keep in proportion."""
    width, height = size
    return min(width, maxwidth or width), min(height, maxheight or height)


def _rich(target: Embeddable, maxwidth: int | None, maxheight: int | None) -> dict[str, Any]:
    width, height = _fit(target.default_size, maxwidth, maxheight)
    with translation.override(target.language):
        provider_url = site_url(reverse("home"))
    response: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": target.title,
        "provider_name": settings.SITE_NAME,
        "provider_url": provider_url,
        # The embed code's frame (claims/embeds.py) at a size in pixels, as the spec wants, marked for our resizing
        # script should the host page have it. Its title names it for screen readers, in its words' language.
        "html": format_html(
            '<iframe src="{}" title="{}" lang="{}" width="{}" height="{}" style="border:0" loading="lazy" '
            "data-factcheck-embed></iframe>",
            target.embed_url,
            frame_title(target.obj),
            target.obj.language,
            width,
            height,
        ),
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }
    # The spec: a thumbnail must respect maxwidth and maxheight too. The share card comes in one size only.
    if (maxwidth or CARD_WIDTH) >= CARD_WIDTH and (maxheight or CARD_HEIGHT) >= CARD_HEIGHT:
        response["thumbnail_url"] = target.thumbnail_url
        response["thumbnail_width"], response["thumbnail_height"] = CARD_WIDTH, CARD_HEIGHT
    return response
