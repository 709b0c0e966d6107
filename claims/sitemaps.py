"""The sitemap: every public page that a search engine should index.

Each section costs two queries (a count and the page of items) whatever its
size; nothing here follows a relation per item.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Quiz, Status
from claims.translated import url_in_own_language

VERSION_FIELDS = ("slug", "language", "translation_of_id", "status", "published_at")

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _LastClaimPublished(TypedDict):
    last_claim_published_at: datetime.datetime


class LanguageVersionsSitemap(Sitemap):
    """Each published version (original or translation) at its own address, listing its other versions as
    hreflang alternates (with x-default: the original). One more query per page of the sitemap."""

    def location(self, item: Any) -> str:
        return url_in_own_language(item)

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> list[dict[str, Any]]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        if not urls:
            return urls
        base = urls[0]["location"][: -len(self.location(urls[0]["item"]))]
        model = type(urls[0]["item"])
        originals = {url["item"].translation_of_id or url["item"].pk for url in urls}
        versions: dict[int, list[Any]] = {}
        published = model.objects.published().only("pk", "slug", "language", "translation_of_id", "status")
        for version in published.filter(Q(pk__in=originals) | Q(translation_of__in=originals)).order_by("pk"):
            versions.setdefault(version.translation_of_id or version.pk, []).append(version)
        for url in urls:
            group = sorted(
                versions.get(url["item"].translation_of_id or url["item"].pk, []), key=lambda v: v.is_translation
            )
            if len(group) > 1:
                url["alternates"] = [
                    {"location": base + url_in_own_language(v), "lang_code": v.language} for v in group
                ] + [{"location": base + url_in_own_language(group[0]), "lang_code": "x-default"}]
        return urls


class ClaimSitemap(LanguageVersionsSitemap):
    def items(self) -> QuerySet[Claim]:
        return Claim.objects.published().only(*VERSION_FIELDS, "published_at", "updated_at").order_by("pk")

    def lastmod(self, item: Claim) -> datetime.datetime | None:
        # updated_at is when readers were told of a substantive change; a typo
        # fix (which only moves modified_at) is not worth a recrawl.
        return item.updated_at or item.published_at


class ArticleSitemap(LanguageVersionsSitemap):
    """Articles are public pages, but only worth indexing once a published fact-check marks them up."""

    def items(self) -> QuerySet[WithAnnotations[Article, _LastClaimPublished]]:
        published = Q(claims__status=Status.PUBLISHED, claims__published_at__lte=timezone.now())
        return (
            Article.objects.published()
            .only(*VERSION_FIELDS, "modified_at")
            .annotate(last_claim_published_at=Max("claims__published_at", filter=published))
            .filter(last_claim_published_at__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item: WithAnnotations[Article, _LastClaimPublished]) -> datetime.datetime:
        # The page changes when the article is edited and when a new fact-check marks a passage.
        return max(item.modified_at, item.last_claim_published_at)


class QuizSitemap(LanguageVersionsSitemap):
    def items(self) -> QuerySet[Quiz]:
        return Quiz.objects.published().only(*VERSION_FIELDS, "modified_at").order_by("pk")

    def lastmod(self, item: Quiz) -> datetime.datetime:
        return item.modified_at


class StaticPageSitemap(Sitemap):
    """The pages every language has, each language's address with the others as alternates."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return ["home", "claim-index", "ratings", "corrections", "funding", "tips", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticPageSitemap,
    "claims": ClaimSitemap,
    "articles": ArticleSitemap,
    "quizzes": QuizSitemap,
}
