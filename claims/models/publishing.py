"""What claims and quizzes share: a publication status and its queryset."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def drafts(self) -> PublishableQuerySet:
        return self.filter(status=Status.DRAFT)
