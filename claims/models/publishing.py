"""What articles, claims and quizzes share: a publication status and its queryset."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def in_review(self) -> Self:
        return self.filter(status=Status.IN_REVIEW)


class Authored(models.Model):
    """Who wrote it, who approved it, and when it was last put up for review."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The chief editor whose approval let it be published.",
    )
    # A named system actor (claims/editorial/actors.py) when no person wrote it, e.g. the demo loader.
    author_system = models.CharField(max_length=100, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
