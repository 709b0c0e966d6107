"""Readers' tips ("Has this been checked?" then "Send it to us") and the email outbox.

A reader's tip is a row of its own (`Tip`); tips that say the same thing share a `TipGroup`, which is what
editors triage: accept (a draft fact-check is created), decline with a reason, or answer with a published
fact-check. Readers' email addresses are kept only to tell them about that fact-check, and cleared after
TIP_EMAIL_RETENTION_DAYS (manage.py purge_tip_emails). Emails go through `OutboxEmail`: one row per message,
written in the transaction that causes it, sent after commit and retried until sent (claims/tips/outbox.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STATEMENT_MAX = 500
CLAIMANT_MAX = 200
SEEN_WHERE_MAX = 300


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted: a fact-check is being written")
    DECLINED = "declined", _("Declined")
    ANSWERED = "answered", _("Answered by a published fact-check")


class DeclineReason(models.TextChoices):
    NOT_CHECKABLE = "not_checkable", _("Not checkable: an opinion or a prediction")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what we cover")
    NOT_ENOUGH_INFORMATION = "not_enough_information", _("Not enough information to find what was said")
    OTHER = "other", _("Another reason")


class TipGroupQuerySet(models.QuerySet["TipGroup"]):
    def waiting(self) -> TipGroupQuerySet:
        """The groups new tips may join, and that editors have yet to decide on."""
        return self.filter(status=TipStatus.NEW)


class TipGroup(models.Model):
    """Tips from readers that say the same thing, triaged together; `statement` is the first tip's words."""

    statement = models.TextField(_("what was said"), max_length=STATEMENT_MAX)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=TipStatus.choices, default=TipStatus.NEW)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    claim = models.ForeignKey(
        "claims.Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tip_groups",
        verbose_name=_("fact-check"),
        help_text=_("The draft created when the tip was accepted, or the fact-check that answers it."),
    )
    tip_count = models.PositiveIntegerField(_("readers who asked"), default=0)
    created_at = models.DateTimeField(_("first asked at"), default=timezone.now)
    last_asked_at = models.DateTimeField(_("last asked at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_system = models.CharField(_("decided by (system)"), max_length=100, blank=True)

    objects = TipGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-last_asked_at", "-id"]
        indexes = [models.Index(fields=["status", "language", "-last_asked_at"], name="tipgroup_queue")]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        constraints = [
            # A declined tip always says why, and only a declined one has a reason.
            models.CheckConstraint(
                condition=(models.Q(status=TipStatus.DECLINED) & ~models.Q(decline_reason=""))
                | (~models.Q(status=TipStatus.DECLINED) & models.Q(decline_reason="")),
                name="tipgroup_declined_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"


class Tip(models.Model):
    """One reader's tip, as they typed it (plain text, never rendered as HTML or as a link)."""

    group = models.ForeignKey(TipGroup, on_delete=models.CASCADE, related_name="tips", verbose_name=_("tip"))
    statement = models.CharField(_("what was said"), max_length=STATEMENT_MAX)
    claimant = models.CharField(_("who said it"), max_length=CLAIMANT_MAX, blank=True)
    seen_where = models.CharField(_("where they saw it"), max_length=SEEN_WHERE_MAX, blank=True)
    # Cleared after TIP_EMAIL_RETENTION_DAYS (manage.py purge_tip_emails).
    email = models.EmailField(_("email for the reply"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reader's tip")
        verbose_name_plural = _("readers' tips")

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"


class OutboxEmail(models.Model):
    """One email to send, sent at most once: its `key` names what it is about ("tip-answered:<tip id>")."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return self.key
