"""The sitemap: every public page that a search engine should index.

Each section costs two queries (a count and the page of items) whatever its
size; nothing here follows a relation per item.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Quiz, Status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _LastClaimPublished(TypedDict):
    last_claim_published_at: datetime.datetime


class ClaimSitemap(Sitemap):
    def items(self) -> QuerySet[Claim]:
        return Claim.objects.published().only("slug", "published_at", "updated_at").order_by("pk")

    def lastmod(self, item: Claim) -> datetime.datetime | None:
        # updated_at is when readers were told of a substantive change; a typo
        # fix (which only moves modified_at) is not worth a recrawl.
        return item.updated_at or item.published_at


class ArticleSitemap(Sitemap):
    """Articles are public pages, but only worth indexing once a published fact-check marks them up."""

    def items(self) -> QuerySet[WithAnnotations[Article, _LastClaimPublished]]:
        published = Q(claims__status=Status.PUBLISHED, claims__published_at__lte=timezone.now())
        return (
            Article.objects.published()
            .only("slug", "modified_at")
            .annotate(last_claim_published_at=Max("claims__published_at", filter=published))
            .filter(last_claim_published_at__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item: WithAnnotations[Article, _LastClaimPublished]) -> datetime.datetime:
        # The page changes when the article is edited and when a new fact-check marks a passage.
        return max(item.modified_at, item.last_claim_published_at)


class QuizSitemap(Sitemap):
    def items(self) -> QuerySet[Quiz]:
        return Quiz.objects.published().only("slug", "modified_at").order_by("pk")

    def lastmod(self, item: Quiz) -> datetime.datetime:
        return item.modified_at


class StaticPageSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["home", "claim-index", "ratings", "corrections"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticPageSitemap,
    "claims": ClaimSitemap,
    "articles": ArticleSitemap,
    "quizzes": QuizSitemap,
}
