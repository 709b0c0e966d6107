"""The Atom feed of published fact-checks."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from claims.models import Claim, Correction

FEED_LENGTH = 30


class ClaimFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        # Translators: the feed's title; %(site)s is the site's name.
        return _("%(site)s: fact-checks") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("The latest fact-checks published by %(site)s.") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("claim-index")

    def feed_url(self) -> str:
        return reverse("claim-feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> QuerySet[Claim]:
        # Only the claim's own columns are used, so the feed is one query at any length.
        # One feed per language: each fact-check once, in this language where it is translated.
        return Claim.objects.published().in_language(translation.get_language()).newest_first()[:FEED_LENGTH]

    def item_title(self, item: Claim) -> str:
        rating = item.rating
        if rating is None:
            return item.statement
        # Translators: a feed entry's title: the verdict and the statement, e.g. "False: Crime doubled last year".
        return _("%(verdict)s: %(statement)s") % {"verdict": rating.label, "statement": item.statement}

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
        # Translators: the feed's title; %(site)s is the site's name.
        return _("%(site)s: corrections") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("Corrections to fact-checks published by %(site)s.") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("corrections")

    def feed_url(self) -> str:
        return reverse("correction-feed")

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self) -> QuerySet[Correction]:
        return Correction.objects.public().select_related("claim")[:FEED_LENGTH]

    def item_title(self, item: Correction) -> str:
        return _("Correction: %(statement)s") % {"statement": item.claim.statement}

    def item_description(self, item: Correction) -> str:
        if item.verdict_changed and item.previous_rating and item.rating:
            # Translators: a correction's note, then the verdicts before and after it, e.g. "The figure was
            # wrong. (Previously rated True; now Mostly true.)"
            note = _("%(note)s (Previously rated %(before)s; now %(after)s.)") % {
                "note": item.note,
                "before": item.previous_rating.label,
                "after": item.rating.label,
            }
            return escape(note)
        return escape(item.note)

    def item_link(self, item: Correction) -> str:
        return f"{item.claim.get_absolute_url()}#correction-{item.pk}"

    def item_guid(self, item: Correction) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Correction) -> datetime.datetime:
        return item.created_at
