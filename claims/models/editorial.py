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
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from claims.models.articles import Article
from claims.models.claims import Claim
from claims.models.quizzes import Quiz
from claims.verdicts import Verdict, rating_for


class ReviewAction(models.TextChoices):
    # The context: a step someone took in an item's review (not the publication status it is in now).
    SUBMITTED = "submitted", pgettext_lazy("review step", "Submitted for review")
    APPROVED = "approved", pgettext_lazy("review step", "Approved")
    SENT_BACK = "sent_back", pgettext_lazy("review step", "Sent back")
    PUBLISHED = "published", pgettext_lazy("review step", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("review step", "Unpublished")
    SCHEDULED = "scheduled", pgettext_lazy("review step", "Scheduled")
    UNSCHEDULED = "unscheduled", pgettext_lazy("review step", "Schedule cancelled")
    EDITED = "edited", pgettext_lazy("review step", "Edited")
    FLAGGED = "flagged", pgettext_lazy("review step", "Flagged for a chief editor")


class ReviewEventQuerySet(models.QuerySet):
    def approvals_since(self, moment) -> ReviewEventQuerySet:
        qs = self.filter(action=ReviewAction.APPROVED)
        return qs.filter(at__gt=moment) if moment else qs.none()

    def flags(self) -> ReviewEventQuerySet:
        return self.filter(action=ReviewAction.FLAGGED)


class ReviewEvent(models.Model):
    """One step of an article's, claim's or quiz's way to publication, with who took it and any note."""

    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_events",
        verbose_name=_("article"),
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events", verbose_name=_("claim")
    )
    quiz = models.ForeignKey(
        Quiz, null=True, blank=True, on_delete=models.CASCADE, related_name="review_events", verbose_name=_("quiz")
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    # A named system actor (claims/editorial/actors.py) when no person took the step, e.g. "demo loader".
    system_actor = models.CharField(_("system actor"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
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
        # Translators: a review step and who took it, e.g. "Approved by Ana Ruiz".
        return gettext("%(action)s by %(actor)s") % {
            "action": self.get_action_display(),
            "actor": self.by or self.system_actor or gettext("system"),
        }


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> CorrectionQuerySet:
        """Corrections readers can see: those on fact-checks that are published now."""
        return self.filter(claim__in=Claim.objects.published())


class Correction(models.Model):
    """A public correction to a published fact-check."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("claim"))
    note = models.TextField(_("note"), help_text=_("What changed and why, for readers."))
    previous_verdict = models.CharField(_("previous verdict"), max_length=20, choices=Verdict.choices, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    previous_ruling = models.TextField(_("previous ruling"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return gettext("Correction to “%(claim)s”") % {"claim": self.claim}

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

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    subject = GenericForeignKey("content_type", "object_id")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    system_actor = models.CharField(_("system actor"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    data = models.JSONField(_("data"))
    changes = models.JSONField(
        _("changes"), default=list, help_text=_("Field names that differ from the previous revision.")
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        # Translators: the kind of item ("claim", "quiz"), its id, and a date and time, e.g. "2025-04-01 14:30".
        return gettext("Revision of %(model)s %(id)s at %(at)s") % {
            "model": self.content_type.model,
            "id": self.object_id,
            "at": f"{self.at:%Y-%m-%d %H:%M}",
        }
