from __future__ import annotations

import re

from django.db import models
from django.urls import reverse

from claims.models.publishing import Authored, PublishableQuerySet, Status

_BLANK_LINES = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]


class ArticleQuerySet(PublishableQuerySet):
    pass


class Article(Authored):
    """A news article that claims and quizzes are drawn from; reviewed and published like them."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    standfirst = models.TextField(blank=True, help_text="The article's subheading, if it has one.")
    publisher = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=300, blank=True, help_text="Leave empty when the article names no author.")
    url = models.URLField(
        "canonical URL", blank=True, help_text="Leave empty rather than guess: a wrong link misleads readers."
    )
    published_on = models.DateField("publication date", null=True, blank=True)
    body = models.TextField(help_text="The article text, one paragraph per block, blocks separated by a blank line.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
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
        return self.status == Status.PUBLISHED

    def paragraph_containing(self, quote: str) -> int | None:
        """1-based number of the paragraph that holds `quote` verbatim (claims/editorial/quotes.py), if any."""
        from claims.editorial.quotes import find_quote

        return find_quote(self.paragraphs, quote)
