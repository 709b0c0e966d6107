"""schema.org ClaimReview as JSON-LD: on each claim permalink, and all of them in the DataFeed at
/api/claimreview.json. One function, `permalink`, builds a claim's review for both, so that an item of
the feed is exactly what its page says.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]  # private: not in the stubs
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, Correction, ReviewAction, ReviewEvent
from claims.share_meta import site_url
from claims.translated import published_versions, url_in_own_language
from claims.verdicts import BEST_RATING, WORST_RATING


def organization() -> dict[str, Any]:
    """Us, as the author of every ClaimReview and the publisher of the feed, with the transparency pages the
    IFCN's code of principles asks for, in the active language. The policy properties are defined on
    NewsMediaOrganization (an Organization), hence the type."""
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL,
        "verificationFactCheckingPolicy": site_url(reverse("ratings")),
        "correctionsPolicy": site_url(reverse("corrections")),
        "ownershipFundingInfo": site_url(reverse("funding")),
    }


@dataclass(frozen=True)
class Permalink:
    """A claim's permalink as crawlers read it."""

    path: str  # under its own language's prefix
    alternates: list[tuple[str, str]]  # (language, path) of each published version, the original first
    review: dict[str, Any]  # its ClaimReview


def permalink(
    claim: Claim, *, versions: Sequence[Claim] | None = None, corrections: Iterable[Correction] | None = None
) -> Permalink:
    """The address, the other languages' addresses and the ClaimReview of `claim`'s permalink.

    `versions` are its published versions, the original first (as translated.published_versions gives them;
    none for an unpublished claim); `corrections` those of the claim and of its original, with their claim
    selected. Each is read with one query when not given: the permalink passes what it already read for the
    page, the feed what it read for every claim at once."""
    if versions is None:
        versions = published_versions(claim) if claim.is_published else []
    if corrections is None:
        corrections = Correction.objects.filter(claim__in={claim.pk, claim.translation_of_id or claim.pk})
        corrections = corrections.select_related("claim")
    path = url_in_own_language(claim)
    alternates = [(version.language, url_in_own_language(version)) for version in versions]
    review = claim_review(
        claim,
        url=site_url(path),
        alternates=[(code, site_url(other)) for code, other in alternates],
        corrections=corrections,
    )
    return Permalink(path=path, alternates=alternates, review=review)


def claim_review(
    claim: Claim,
    *,
    url: str,
    alternates: Sequence[tuple[str, str]] = (),
    corrections: Iterable[Correction] = (),
) -> dict[str, Any]:
    """The ClaimReview of `claim` at `url`, in the claim's language; `alternates` are (language, absolute
    address) of every published version, the original first: each version names the others. `corrections`
    (those shown on the page, with their claim) mark the review as corrected."""
    with translation.override(claim.language):
        return _claim_review(claim, url=url, alternates=alternates, corrections=corrections)


def _claim_review(
    claim: Claim, *, url: str, alternates: Sequence[tuple[str, str]], corrections: Iterable[Correction]
) -> dict[str, Any]:
    rating = claim.rating
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": str(rating.label) if rating else ""}
    if rating and rating.is_on_scale:
        review_rating |= {"ratingValue": rating.value, "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    claimant: dict[str, Any] = {
        "@type": "Organization" if claim.claimant_is_organization else "Person",
        "name": claim.claimant,
    }
    if claim.claimant_description:
        claimant["description"] = claim.claimant_description
    item: dict[str, Any] = {"@type": "Claim", "author": claimant}
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    if claim.article and claim.article.is_published and claim.article.url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.article.url, "headline": claim.article.title}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": url,
        "url": url,
        "inLanguage": claim.language,
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "reviewRating": review_rating,
        "author": organization(),
    }
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    # When readers were last told of a substantive change (a correction); until then, when it was published.
    if modified := claim.updated_at or claim.published_at:
        review["dateModified"] = modified.isoformat()
    if corrected := sorted(corrections, key=lambda c: (c.created_at, c.pk), reverse=True):
        # Newest first, as the page lists them, each linked to its place on the page.
        review["correction"] = [
            {
                "@type": "CorrectionComment",
                "url": f"{url}#correction-{correction.pk}",
                "text": correction.note,
                "inLanguage": correction.claim.language,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrected
        ]
    others = [
        {"@type": "ClaimReview", "@id": address, "url": address, "inLanguage": code}
        for code, address in alternates
        if address != url
    ]
    if claim.translation_of_id and others:
        review["translationOfWork"] = others[0]
    elif others:
        review["workTranslation"] = others
    return review


def json_ld(data: dict[str, Any]) -> SafeString:
    """The JSON for a <script type="application/ld+json">, escaped so no string can close the tag."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308


def claim_review_feed() -> dict[str, Any]:
    """Every published fact-check in every language, as a schema.org DataFeed of the ClaimReviews their
    permalinks carry (`permalink`). Three queries, whatever the number of fact-checks."""
    claims = list(Claim.objects.published().select_related("article").order_by("-published_at", "-id"))
    # Each claim's published versions, as translated.published_versions orders them: the original, then by language.
    versions: dict[int, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: (c.is_translation, c.language)):
        versions[claim.translation_of_id or claim.pk].append(claim)
    # A translation shows its original's corrections with its own: the original may not be in the feed.
    published = Claim.objects.published()
    corrections: dict[int, list[Correction]] = defaultdict(list)
    on_pages = Q(claim__in=published) | Q(claim__translations__in=published)
    for correction in Correction.objects.filter(on_pages).select_related("claim").distinct():
        corrections[correction.claim_id].append(correction)
    items = []
    for claim in claims:
        shown = corrections[claim.pk] + (corrections[claim.translation_of_id] if claim.translation_of_id else [])
        items.append(permalink(claim, versions=versions[claim.translation_of_id or claim.pk], corrections=shown).review)
    # The feed holds every language: its publisher's pages are named in the site's default one.
    with translation.override(settings.LANGUAGE_CODE):
        publisher = organization()
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "url": site_url(reverse("claimreview-feed")),
        "name": settings.SITE_NAME,
        "publisher": publisher,
        "dataFeedElement": items,
    }
    # The feed changes when a fact-check does, and when one leaves it (unpublished).
    unpublished = ReviewEvent.objects.filter(claim__isnull=False, action=ReviewAction.UNPUBLISHED).aggregate(
        at=Max("at")
    )["at"]
    changes = [claim.updated_at or claim.published_at for claim in claims] + [unpublished]
    if latest := max((moment for moment in changes if moment is not None), default=None):
        feed["dateModified"] = latest.isoformat()
    return feed
