"""What articles, claims and quizzes share: a publication status and its queryset."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    # The context: the state an article, a claim or a quiz is in (not the review step that put it there).
    DRAFT = "draft", pgettext_lazy("publication status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("publication status", "In review")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")


class PublishableQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def in_language(self, language: str) -> Self:
        """One version of each item for a reader of `language`: the version written in it, else the original.

        Apply after `published()`: a translation counts only once it is published itself."""
        translated = self.model._default_manager.filter(
            status=Status.PUBLISHED,
            published_at__lte=timezone.now(),
            translation_of=models.OuterRef("pk"),
            # Implied by the line above; said so that PostgreSQL reads the translations alone (by the index on
            # translation_of) instead of every row: a listing of 20,000 fact-checks took twice as long.
            translation_of__isnull=False,
            language=language,
        )
        return self.alias(has_version=models.Exists(translated)).filter(
            models.Q(language=language) | models.Q(translation_of__isnull=True, has_version=False)
        )

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def in_review(self) -> Self:
        return self.filter(status=Status.IN_REVIEW)


class Authored(models.Model):
    """Who wrote it, who approved it, and when it was last put up for review."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("author"),
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("editor"),
        help_text=_("The chief editor whose approval let it be published."),
    )
    # A named system actor (claims/editorial/actors.py) when no person wrote it, e.g. the demo loader.
    author_system = models.CharField(_("author system"), max_length=100, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
