"""Email that is never lost and never sent twice: an outbox row per message.

`enqueue` writes the row in the caller's transaction (so a message exists exactly when the change that
causes it commits) under a unique key, so the same message is never queued twice, and asks for it to be sent
once the transaction commits. `send_one` claims a due row with `SELECT … FOR UPDATE SKIP LOCKED` in a
transaction of its own, sends it through Django's email framework and marks it sent in that same transaction:
two workers never send the same row. When the mail server fails (any exception from the backend) the row
stays unsent with its attempts counted, the error kept, and its next attempt put off with exponential backoff
(1 minute, doubling, at most 6 hours). `manage.py send_outbox` sends what is due (once, or `--loop` as a
worker: docs/deploy.md).

The one window left: the process dying after the mail server accepted a message and before the commit that
marks it sent. The row is then sent again on the next run; no outbox can close that window without the mail
server's help.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from claims.models import OutboxEmail

log = logging.getLogger("factcheck.outbox")

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts: 1 minute, doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def enqueue(*, key: str, to: str, subject: str, body: str, language: str) -> OutboxEmail | None:
    """Queue one message (in the current transaction), unless one with `key` was queued before; the new row,
    or None. It is sent once the transaction commits, or by manage.py send_outbox if that attempt fails."""
    row, created = OutboxEmail.objects.get_or_create(
        key=key, defaults={"to": to, "subject": subject, "body": body, "language": language}
    )
    if not created:
        return None
    transaction.on_commit(lambda: send_one(row.pk))
    return row


def send_one(pk: int) -> bool:
    """Send the outbox row `pk` if it is due and no one else is sending it; whether it was sent now."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return False
        message = EmailMessage(subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.to])
        row.attempts += 1
        try:
            message.send()
        except Exception as error:  # the mail server down, refusing, timing out: try again later
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            log.warning("outbox: %s not sent (attempt %s): %s", row.key, row.attempts, row.last_error)
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def due_ids(limit: int = 100) -> list[int]:
    return list(
        OutboxEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def send_due(limit: int = 100) -> tuple[int, int]:
    """Try every due row (at most `limit`); (sent, tried)."""
    ids = due_ids(limit)
    sent = sum(send_one(pk) for pk in ids)
    return sent, len(ids)
