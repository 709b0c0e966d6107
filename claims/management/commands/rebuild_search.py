"""Indexes every fact-check again for search: after a bulk import or a restore that bypassed the models'
save (which keeps the index in step on its own, claims/search/index.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from claims.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (SQLite's FTS5 table and the vocabulary used to correct typos)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = rebuild()
        self.stdout.write(f"Indexed {count} fact-checks for search.")
