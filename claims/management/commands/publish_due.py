"""Record the publication of scheduled items whose time has come, and do what waited for readers to see them.

    python manage.py publish_due            # every minute, from a systemd timer or cron (docs/deploy.md)

The pages need nothing from it: a scheduled item appears at its time by itself (claims/editorial/review.py,
claims/caching.py). What waits for this command: the "published" email to the author, the emails to readers
whose tip the fact-check answers, a translated article's fact-checks and quizzes following it, and the
fact-check's words in the search suggestions. Each item is done once, in its own transaction
(editorial.complete_publication), so a second run, or two at once, does nothing more. It also stores again the
next scheduled time the page cache watches, in case the cache lost it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims import editorial
from claims.caching import NEXT_DUE_KEY, next_scheduled_time
from claims.editorial.review import SCHEDULER, due_publications


def publish_due() -> int:
    """How many scheduled publications were completed."""
    from django.core.cache import cache

    done = 0
    for obj in due_publications():
        before = obj.review_events.count()
        editorial.complete_publication(obj=obj, by=SCHEDULER)
        done += obj.review_events.count() > before
    cache.set(NEXT_DUE_KEY, next_scheduled_time(), timeout=None)
    return done


class Command(BaseCommand):
    help = "Complete the publication of scheduled items whose time has come (emails, search words)."

    def handle(self, *args, **options) -> None:
        done = publish_due()
        if options["verbosity"] >= 1:
            self.stdout.write(f"completed {done} scheduled publication(s)")
