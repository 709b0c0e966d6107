"""What each editor wants to be told by email about the review of articles, claims and quizzes (editorial/notify.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditorPreferences(models.Model):
    """One person's email settings; a user without a row gets every email (the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="editor_preferences",
        verbose_name=_("user"),
    )
    email_on_submitted = models.BooleanField(
        _("something is submitted for review"),
        default=True,
        help_text=_("Chief editors only: an article, claim or quiz by someone else waits for your review."),
    )
    email_on_sent_back = models.BooleanField(
        _("my work is sent back"), default=True, help_text=_("With the chief editor's note saying what to fix.")
    )
    email_on_published = models.BooleanField(_("my work is published"), default=True)
    # The user model has no language of its own: blank means the site's (settings.LANGUAGE_CODE).
    language = models.CharField(
        _("language of the emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty for the site's language."),
    )

    class Meta:
        verbose_name = _("editor's notification settings")
        verbose_name_plural = _("editors' notification settings")

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE

    def __str__(self) -> str:
        return str(self.user)
