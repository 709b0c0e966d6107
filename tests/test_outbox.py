"""Emails to readers go through the outbox (claims/tips/outbox.py): queued with the change that causes them,
sent after commit, kept and retried with backoff while the mail server is down, never sent twice; and deleted,
with readers' addresses, after TIP_EMAIL_RETENTION_DAYS (manage.py purge_tip_emails)."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from claims import editorial
from claims.models import OutboxEmail, Tip, TipGroup
from claims.tips.outbox import backoff, enqueue, send_one
from claims.tips.submit import tip_submit
from tests.factories import EditorFactory, PublishedClaimFactory
from tests.helpers.tips import DOWN, UP

pytestmark = pytest.mark.django_db


def send_tip(email: str, statement: str = "Crime doubled in the city last year.", language: str = "en") -> Tip:
    return tip_submit(statement=statement, claimant="", seen_where="", email=email, language=language)


def later(**delta):
    """timezone.now(), `delta` from now: the outbox's clock moved on."""
    moved = timezone.now() + timedelta(**delta)
    return mock.patch("claims.tips.outbox.timezone.now", return_value=moved)


def test_mail_server_down_then_up_each_reader_gets_exactly_one_email(settings, django_capture_on_commit_callbacks):
    readers = ["one@example.org", "two@example.org", "three@example.org"]
    settings.MAILERS = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        for reader in readers:
            send_tip(reader)
    with django_capture_on_commit_callbacks(execute=True):
        editorial.tip_group_answer(group=TipGroup.objects.get(), claim=PublishedClaimFactory(), by=EditorFactory())
    # Every attempt after commit failed: all six kept, none sent, each to be tried again in a minute.
    rows = OutboxEmail.objects.all()
    assert rows.count() == 6 and not rows.filter(sent_at__isnull=False).exists()
    for row in rows:
        assert row.attempts == 1 and "Connection refused" in row.last_error
        assert timezone.now() + timedelta(seconds=50) < row.next_attempt_at < timezone.now() + timedelta(seconds=70)
    assert mail.outbox == []

    call_command("send_outbox", verbosity=0)  # not due yet: nothing tried
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}
    with later(minutes=2):
        call_command("send_outbox", verbosity=0)  # due, still down: the wait doubles
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {2}

    settings.MAILERS = UP
    with later(minutes=10):
        call_command("send_outbox", verbosity=0)
        call_command("send_outbox", verbosity=0)  # again: nothing left to send
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(readers * 2)
    received = [m for m in mail.outbox if m.subject.startswith("We received")]
    answered = [m for m in mail.outbox if m.subject.startswith("The claim you sent us has been fact-checked")]
    assert len(received) == len(answered) == 3
    assert sorted(m.to[0] for m in answered) == sorted(readers)


def test_sent_right_after_commit_when_the_server_is_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_tip("one@example.org")
    [message] = mail.outbox
    assert message.to == ["one@example.org"] and message.from_email
    row = OutboxEmail.objects.get()
    assert row.key == f"tip-received:{Tip.objects.get().pk}" and row.attempts == 1 and row.sent_at


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_tip("one@example.org")
        raise RuntimeError
    assert not OutboxEmail.objects.exists() and mail.outbox == []


def test_the_same_message_is_never_queued_twice():
    first = enqueue(key="tip-answered:1", to="a@example.org", subject="S", body="B", language="en")
    second = enqueue(key="tip-answered:1", to="a@example.org", subject="S", body="B", language="en")
    assert first is not None and second is None
    assert OutboxEmail.objects.count() == 1


def test_a_sent_message_is_not_sent_again():
    row = enqueue(key="k", to="a@example.org", subject="S", body="B", language="en")
    assert send_one(row.pk) is True
    assert send_one(row.pk) is False
    assert len(mail.outbox) == 1


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_is_sending_is_skipped():
    """SELECT … FOR UPDATE SKIP LOCKED: a worker never sends a row another worker holds (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers instead")
    row = OutboxEmail.objects.create(key="k", to="a@example.org", subject="S", body="B", language="en")
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        with transaction.atomic():
            OutboxEmail.objects.select_for_update().get(pk=row.pk)
            holding.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert holding.wait(10)
        assert send_one(row.pk) is False
    finally:
        release.set()
        worker.join()
    assert mail.outbox == [] and OutboxEmail.objects.get().attempts == 0


def test_the_worker_loop_stops_on_sigterm():
    """--loop keeps sending round after round until told to stop (here: SIGTERM during its first wait)."""
    command = "claims.management.commands.send_outbox"

    def sigterm(seconds: float) -> None:
        signal.raise_signal(signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        with (
            mock.patch(f"{command}.send_due", return_value=(0, 0)) as send_due,
            mock.patch(f"{command}.close_old_connections"),
            mock.patch(f"{command}.time.sleep", side_effect=sigterm),
        ):
            call_command("send_outbox", "--loop", "--interval", "1", verbosity=0)
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert send_due.call_count == 1


class TestRetention:
    def _tip(self, email: str, days_ago: int) -> Tip:
        tip = send_tip(email, statement=f"Claim number {days_ago} about the budget.")
        sent_at = timezone.now() - timedelta(days=days_ago)
        Tip.objects.filter(pk=tip.pk).update(created_at=sent_at)
        OutboxEmail.objects.filter(key=f"tip-received:{tip.pk}").update(created_at=sent_at)
        return tip

    def test_addresses_and_their_emails_go_after_the_retention_period(self):
        old, recent = self._tip("old@example.org", 91), self._tip("recent@example.org", 10)
        OutboxEmail.objects.filter(key=f"tip-received:{old.pk}").update(sent_at=timezone.now())  # sent or not
        call_command("purge_tip_emails", verbosity=0)
        assert Tip.objects.get(pk=old.pk).email == "" and Tip.objects.get(pk=recent.pk).email == "recent@example.org"
        assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["recent@example.org"]
        # The tips themselves stay: editors still plan fact-checks from them.
        assert Tip.objects.count() == 2

    def test_the_period_is_a_setting(self, settings):
        self._tip("old@example.org", 91)
        self._tip("recent@example.org", 10)
        settings.TIP_EMAIL_RETENTION_DAYS = 5
        call_command("purge_tip_emails", verbosity=0)
        assert not Tip.objects.exclude(email="").exists() and not OutboxEmail.objects.exists()

    def test_a_purged_address_is_never_written_to(self):
        tip = self._tip("old@example.org", 91)
        call_command("purge_tip_emails", verbosity=0)
        editorial.tip_group_answer(group=tip.group, claim=PublishedClaimFactory(), by=EditorFactory())
        assert not OutboxEmail.objects.exists()
