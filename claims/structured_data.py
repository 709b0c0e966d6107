"""schema.org ClaimReview for a claim permalink, as JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]  # private: not in the stubs
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim
from claims.verdicts import BEST_RATING, WORST_RATING


def claim_review(claim: Claim, *, url: str, alternates: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The ClaimReview of `claim` at `url`, in the claim's language; `alternates` are (language, absolute
    address) of every published version, the original first: each version names the others."""
    with translation.override(claim.language):
        return _claim_review(claim, url=url, alternates=alternates)


def _claim_review(claim: Claim, *, url: str, alternates: Sequence[tuple[str, str]]) -> dict[str, Any]:
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
        "author": {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL},
    }
    if claim.published_at:
        review["datePublished"] = claim.published_at.date().isoformat()
    if claim.updated_at:
        review["dateModified"] = claim.updated_at.isoformat()
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
