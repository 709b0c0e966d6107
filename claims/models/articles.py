from __future__ import annotations

import re

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models.publishing import Authored, PublishableQuerySet, Status
from claims.models.translations import Translatable, one_translation_per_language

_BLANK_LINES = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]


class ArticleQuerySet(PublishableQuerySet):
    pass


class Article(Translatable, Authored):
    """A news article that claims and quizzes are drawn from; reviewed and published like them."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    standfirst = models.TextField(_("standfirst"), blank=True, help_text=_("The article's subheading, if it has one."))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    byline = models.CharField(
        _("byline"), max_length=300, blank=True, help_text=_("Leave empty when the article names no author.")
    )
    url = models.URLField(
        _("canonical URL"), blank=True, help_text=_("Leave empty rather than guess: a wrong link misleads readers.")
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    picture = models.ForeignKey(
        "claims.Picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("picture"),
        help_text=_("Shown at the top of the article, and of its quiz."),
    )
    body = models.TextField(
        _("body"), help_text=_("The article text, one paragraph per block, blocks separated by a blank line.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [one_translation_per_language("one_article_translation_per_language")]
        # Permission names stay English: Django stores them in the database and does not translate them.
        permissions = [
            ("approve_article", "Can approve an article for publication"),
            ("publish_article", "Can publish and unpublish articles"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article-detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)

    @property
    def is_published(self) -> bool:
        """Whether readers can see it now: published, and not scheduled for a time still to come (as published())."""
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    def paragraph_containing(self, quote: str) -> int | None:
        """1-based number of the paragraph that holds `quote` verbatim (claims/editorial/quotes.py), if any."""
        from claims.editorial.quotes import find_quote

        return find_quote(self.paragraphs, quote)
