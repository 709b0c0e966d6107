"""The vocabulary of the fact-checks, for typo tolerance: every distinct word, folded ("deportacion").

A query word that is in no fact-check is compared with these words (by trigram similarity on
PostgreSQL, pg_trgm's GIN index; by length on SQLite) and the nearest ones within an edit or two are
searched for too. The words of the text itself are indexed by each database's full-text search:
PostgreSQL's generated `search_document` column and SQLite's FTS5 table `claim_search` (migration 0010).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    word = models.CharField(_("word"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word
