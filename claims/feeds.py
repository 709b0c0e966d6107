"""The Atom feed of published fact-checks."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from claims.models import Claim, Correction

FEED_LENGTH = 30


class ClaimFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.SITE_NAME}: fact-checks"

    def subtitle(self) -> str:
        return f"The latest fact-checks published by {settings.SITE_NAME}."

    def link(self) -> str:
        return reverse("claim-index")

    def feed_url(self) -> str:
        return reverse("claim-feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> QuerySet[Claim]:
        # Only the claim's own columns are used, so the feed is one query at any length.
        return Claim.objects.published().newest_first()[:FEED_LENGTH]

    def item_title(self, item: Claim) -> str:
        rating = item.rating
        return f"{rating.label}: {item.statement}" if rating else item.statement

    def item_description(self, item: Claim) -> str:
        # Atom marks the summary as HTML; the ruling is plain text and must read as such.
        return escape(item.ruling)

    def item_link(self, item: Claim) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Claim) -> str:
        # A tag URI on the primary key, so a changed slug does not make feed
        # readers show the fact-check again as a new entry.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.published_at:%Y-%m-%d}:claim-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Claim) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Claim) -> datetime.datetime | None:
        return item.updated_at or item.published_at

    def item_categories(self, item: Claim) -> tuple[str, ...]:
        return (item.rating.label,) if item.rating else ()


class CorrectionFeed(Feed):
    """Every correction to a published fact-check, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.SITE_NAME}: corrections"

    def subtitle(self) -> str:
        return f"Corrections to fact-checks published by {settings.SITE_NAME}."

    def link(self) -> str:
        return reverse("corrections")

    def feed_url(self) -> str:
        return reverse("correction-feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> QuerySet[Correction]:
        return Correction.objects.public().select_related("claim")[:FEED_LENGTH]

    def item_title(self, item: Correction) -> str:
        return f"Correction: {item.claim.statement}"

    def item_description(self, item: Correction) -> str:
        changed = (
            f" (Previously rated {item.previous_rating.label}; now {item.rating.label}.)"
            if item.verdict_changed and item.previous_rating and item.rating
            else ""
        )
        return escape(item.note + changed)

    def item_link(self, item: Correction) -> str:
        return f"{item.claim.get_absolute_url()}#correction-{item.pk}"

    def item_guid(self, item: Correction) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Correction) -> datetime.datetime:
        return item.created_at
