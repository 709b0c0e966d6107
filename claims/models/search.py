"""The vocabulary of the published fact-checks, for typo tolerance and for words being typed.

Every distinct folded word of the published fact-checks in each language ("deportacion", Spanish), with its
stem in that language.
A query word whose stems are in no published fact-check is compared with these words (candidates found by
shared trigrams on PostgreSQL, pg_trgm's GiST index; by length and first or last letters on SQLite) and
the nearest within an edit or two are searched for too; a word being typed is completed from them. Drafts
never add words (a correction would show a draft's word to readers). The text itself is indexed in the
table `claim_search` (migration 0010): a tsvector with a GIN index on PostgreSQL, FTS5 on SQLite.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    word = models.CharField(_("word"), max_length=60, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    stem = models.CharField(_("stem"), max_length=60)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [models.UniqueConstraint(fields=["word", "language"], name="one_search_word_per_language")]
        indexes = [models.Index(fields=["stem", "language"], name="search_word_stem")]

    def __str__(self) -> str:
        return self.word
