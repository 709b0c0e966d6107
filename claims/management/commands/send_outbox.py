"""Send the emails waiting in the outbox (claims/tips/outbox.py): those due now, each at most once.

    python manage.py send_outbox                 # once: from a systemd timer or cron
    python manage.py send_outbox --loop          # as a worker, every --interval seconds (default 30)

Several can run at once (one per app server): each row is claimed with SELECT … FOR UPDATE SKIP LOCKED,
so no two send the same email. A message the mail server refuses is tried again later, with backoff.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from claims.tips.outbox import send_due


class Command(BaseCommand):
    help = "Send the emails due in the outbox; with --loop, keep doing so every --interval seconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running: a worker (stop it with SIGTERM).")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds with --loop.")
        parser.add_argument("--limit", type=int, default=100, help="Most emails tried in one round.")

    def handle(self, *args, loop: bool, interval: float, limit: int, **options) -> None:
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        if loop:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while not stopping:
            if loop:
                close_old_connections()  # a worker outlives its database connections (CONN_MAX_AGE, a restart)
            sent, tried = send_due(limit)
            if tried and options["verbosity"] >= 1:
                self.stdout.write(f"outbox: sent {sent} of {tried} due")
            if not loop:
                return
            # A full round means more are due: go on at once.
            deadline = time.monotonic() + (0 if tried == limit else interval)
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))
