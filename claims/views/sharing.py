"""What crawlers, chat apps and operators fetch: share cards, robots.txt and the health check."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from claims.cards import CARD_VERSION, render_claim_card, render_title_card
from claims.models import Article, Claim, ClaimSlugRedirect, Picture, Quiz

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# Browsers and link-preview caches may keep a card for an hour; the ETag lets
# them revalidate cheaply after that.
CARD_MAX_AGE = 60 * 60
# The server-side copy lives longer: its key changes whenever the claim does.
CARD_CACHE_TIMEOUT = 60 * 60 * 24 * 7


def claim_card_cache_key(claim: Claim) -> str:
    """The cache key of the claim's card: new whenever the claim, the site name, the language or the drawing changes.

    modified_at moves on every save; the digest of what is drawn also catches
    writes that bypass save() (queryset.update()) and a renamed site. The card's
    labels (the verdict's name) are drawn in the active language.
    """
    picture = claim.picture.key if claim.picture_id and claim.picture else ""
    drawn = "\x1f".join(
        (
            CARD_VERSION,
            settings.SITE_NAME,
            get_language() or "",
            claim.verdict,
            claim.statement,
            claim.claimant,
            picture,
        )
    )
    digest = hashlib.sha256(drawn.encode()).hexdigest()[:16]
    return f"claim-card:{claim.pk}:{claim.modified_at.timestamp():.6f}:{digest}"


def _cached_card(key: str, draw: Callable[[], bytes]) -> bytes:
    # A cache outage must not break link previews: draw the card without it.
    try:
        png = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable while reading a share card", exc_info=True)
        png = None
    if png is None:
        png = draw()
        try:
            cache.set(key, png, CARD_CACHE_TIMEOUT)
        except Exception:
            logger.warning("Cache unavailable while storing a share card", exc_info=True)
    return png


def _card_response(request: HttpRequest, key: str, draw: Callable[[], bytes]) -> HttpResponse:
    """The PNG for the cache `key` (drawn by `draw` on a miss), with an ETag derived from the key."""
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    # Answers 304 to a matching If-None-Match without touching the cache or Pillow.
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(_cached_card(key, draw), content_type="image/png")
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CARD_MAX_AGE)
    return response


@require_safe
def claim_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The claim's 1200x630 share image (og:image), for published claims only."""
    claim = (
        Claim.objects.published()
        .select_related("picture")
        .only("pk", "slug", "statement", "claimant", "verdict", "modified_at", "picture")
        .filter(slug=slug)
        .first()
    )
    if claim is None:
        # Previews shared before a slug change still point at the old card URL.
        new_slug = (
            ClaimSlugRedirect.objects.filter(old_slug=slug, claim__in=Claim.objects.published())
            .values_list("claim__slug", flat=True)
            .first()
        )
        if new_slug is None:
            raise Http404("No published fact-check has this address.")
        return HttpResponsePermanentRedirect(reverse("claim-card", kwargs={"slug": new_slug}))

    return _card_response(request, claim_card_cache_key(claim), lambda: render_claim_card(claim))


# What the title cards of pages other than claims say (claims/cards.py render_title_card), in the request's language.
SITE_CARD_LABEL = _("Fact-checks and quizzes")
SITE_CARD_TITLE = _("What was said, and what the evidence shows")
QUIZ_CARD_LABEL = _("Quiz")
QUIZ_CARD_FOOTER = _("Take the quiz and see how you compare")
ARTICLE_CARD_LABEL = _("Fact-checked article")


def _title_card(
    request: HttpRequest,
    kind: str,
    pk: int,
    label: StrOrPromise,
    title: StrOrPromise,
    footer: str = "",
    picture: Picture | None = None,
) -> HttpResponse:
    """A title card, cached under the digest of everything drawn on it: any change to it is a new key."""
    label, title = str(label), str(title)  # translated now, in the request's language
    drawn = "\x1f".join((CARD_VERSION, settings.SITE_NAME, label, title, footer, picture.key if picture else ""))
    key = f"{kind}-card:{pk}:{hashlib.sha256(drawn.encode()).hexdigest()[:16]}"
    return _card_response(
        request, key, lambda: render_title_card(label=label, title=title, footer=footer, picture=picture)
    )


@require_safe
def site_card(request: HttpRequest) -> HttpResponse:
    """The share image of the pages that are about the whole site (home, index, ratings, corrections)."""
    return _title_card(request, "site", 0, SITE_CARD_LABEL, SITE_CARD_TITLE)


@require_safe
def quiz_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The quiz's share image (the quiz intro's og:image): the site name, "Quiz" and its title."""
    quiz = Quiz.objects.published().select_related("article__picture").filter(slug=slug).first()
    if quiz is None:
        raise Http404("No published quiz has this address.")
    picture = quiz.article.picture
    return _title_card(request, "quiz", quiz.pk, QUIZ_CARD_LABEL, quiz.title, str(QUIZ_CARD_FOOTER), picture)


@require_safe
def article_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's share image: its title and publisher."""
    article = Article.objects.published().select_related("picture").filter(slug=slug).first()
    if article is None:
        raise Http404("No published article has this address.")
    label, title = ARTICLE_CARD_LABEL, article.title
    return _title_card(request, "article", article.pk, label, title, article.publisher, article.picture)


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 otherwise: what a load balancer needs to route around us."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            healthy = cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        healthy = False
    if healthy:
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
