"""The organisation's own pages, in each language: editors keep their text up to date, e.g. who owns and funds it.

Not reviewed like fact-checks (there is no verdict or quote to check), but written only through the
editorial write path (claims/editorial/pages.py: chief editors, with a revision of every save). Each kind of
page has one address, in every language (/about/funding/, /es/about/funding/): a page has no slug of its own
to choose, only its kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class PageKind(models.TextChoices):
    # The value is the page's URL name (claims/urls.py).
    FUNDING = "funding", _("Ownership and funding")


class PageQuerySet(models.QuerySet["Page"]):
    def for_reader(self, kind: str, language: str) -> Page | None:
        """The page of `kind` in `language`, else in the site's default language (shown marked as such)."""
        pages = self.filter(kind=kind, language__in={language, settings.LANGUAGE_CODE})
        found = {page.language: page for page in pages}
        return found.get(language) or found.get(settings.LANGUAGE_CODE)


class Page(models.Model):
    kind = models.CharField(_("page"), max_length=30, choices=PageKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text: a blank line starts a new paragraph, and bare links become links.")
    )
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        # One text per page and language: the address shows that one.
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="one_page_per_language")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_language_display()})"

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse(self.kind)
