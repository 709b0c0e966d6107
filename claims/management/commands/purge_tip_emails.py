"""Delete readers' email addresses older than TIP_EMAIL_RETENTION_DAYS (default 90), as the privacy page says.

    python manage.py purge_tip_emails            # daily, from a systemd timer or cron (docs/deploy.md)

Clears the address of every tip sent before the cut-off, and deletes the outbox's emails about tips (sent or
not) created before it: they hold the address, and the reader's words.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from claims.models import OutboxEmail, Tip


def purge_tip_emails(days: int | None = None) -> tuple[int, int]:
    """(addresses cleared, outbox emails deleted) for what is older than `days` (the setting by default)."""
    days = settings.TIP_EMAIL_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        old = Tip.objects.filter(created_at__lt=cutoff).exclude(email="")
        addresses = set(old.values_list("email", flat=True))
        cleared = old.update(email="")
        emails = OutboxEmail.objects.filter(created_at__lt=cutoff)
        deleted, _per_model = emails.filter(key__startswith="tip-").delete()
        # Any other email older than the cut-off to an address just cleared goes too.
        more, _per_model = emails.filter(to__in=addresses).delete() if addresses else (0, {})
    return cleared, deleted + more


class Command(BaseCommand):
    help = "Delete readers' email addresses (and the emails to them) older than TIP_EMAIL_RETENTION_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override TIP_EMAIL_RETENTION_DAYS.")

    def handle(self, *args, days: int | None, **options) -> None:
        cleared, deleted = purge_tip_emails(days)
        if options["verbosity"] >= 1:
            self.stdout.write(f"purged {cleared} reader email address(es) and {deleted} outbox email(s)")
