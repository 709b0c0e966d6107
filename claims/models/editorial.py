"""The editorial record: review steps, corrections and revisions.

Kept apart from the content models so that what readers see (claims, quizzes)
and how it came to be (who submitted, approved, corrected, changed what) can be
read separately; both are in the database, never only in logs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from claims.models.articles import Article
from claims.models.claims import Claim
from claims.models.quizzes import Quiz
from claims.verdicts import Verdict, rating_for


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    EDITED = "edited", "Edited"
    FLAGGED = "flagged", "Flagged for a chief editor"


class ReviewEventQuerySet(models.QuerySet):
    def approvals_since(self, moment) -> ReviewEventQuerySet:
        qs = self.filter(action=ReviewAction.APPROVED)
        return qs.filter(at__gt=moment) if moment else qs.none()

    def flags(self) -> ReviewEventQuerySet:
        return self.filter(action=ReviewAction.FLAGGED)


class ReviewEvent(models.Model):
    """One step of an article's, claim's or quiz's way to publication, with who took it and any note."""

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events")
    quiz = models.ForeignKey(Quiz, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A named system actor (claims/editorial/actors.py) when no person took the step, e.g. "demo loader".
    system_actor = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            # An event is about exactly one article, claim or quiz.
            models.CheckConstraint(
                condition=Q(article__isnull=False, claim__isnull=True, quiz__isnull=True)
                | Q(article__isnull=True, claim__isnull=False, quiz__isnull=True)
                | Q(article__isnull=True, claim__isnull=True, quiz__isnull=False),
                name="review_event_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by or self.system_actor or 'system'}"


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> CorrectionQuerySet:
        """Corrections readers can see: those on fact-checks that are published now."""
        return self.filter(claim__in=Claim.objects.published())


class Correction(models.Model):
    """A public correction to a published fact-check."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(help_text="What changed and why, for readers.")
    previous_verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    previous_ruling = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Correction to “{self.claim}”"

    @property
    def verdict_changed(self) -> bool:
        return self.previous_verdict != self.verdict

    @property
    def previous_rating(self):
        return rating_for(self.previous_verdict)

    @property
    def rating(self):
        return rating_for(self.verdict)


class Revision(models.Model):
    """A snapshot of an article, a claim (with its sources) or a quiz (with its questions) after a save."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    system_actor = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=300, blank=True)
    data = models.JSONField()
    changes = models.JSONField(default=list, help_text="Field names that differ from the previous revision.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"Revision of {self.content_type.model} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"
