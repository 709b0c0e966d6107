"""Content in two languages: a translation is an article, claim or quiz of its own, linked to its original.

A translation has its own words (statement, ruling, explanation; a quiz's title, intro, prompts and
choices) and its own review, but shares the original's verdict, sources and figures: the write path
(claims/editorial/translations.py) copies what is shared and flags a translation when its original
is corrected. A translated quiz has no questions of its own: its prompts and choices are translations
of the original's, so that readers in either language answer the same questions and count in the
same statistics. Evidence quotes stay verbatim in their source's language; our translation of one is
shown beside it, marked as ours.
"""

from __future__ import annotations

from typing import Self, cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Translatable(models.Model):
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        editable=False,
        help_text=_("The language it is written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        editable=False,
    )
    needs_update = models.BooleanField(
        _("needs an update"),
        default=False,
        editable=False,
        help_text=_("Its original changed after it was translated: the translation should follow."),
    )

    # Declared for the type checker: django-stubs sees no column on an abstract model's self-reference.
    translation_of_id: int | None

    class Meta:
        abstract = True

    @property
    def original(self) -> Self:
        return cast(Self, self.translation_of) if self.translation_of_id else self

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None


def one_translation_per_language(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["translation_of", "language"], condition=models.Q(translation_of__isnull=False), name=name
    )


class QuoteTranslation(models.Model):
    """Our translation of a source's evidence quote, shown beside the verbatim quote on a translated claim."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="quote_translations")
    source = models.ForeignKey("claims.Source", on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(_("our translation"))

    class Meta:
        verbose_name = _("quote translation")
        verbose_name_plural = _("quote translations")
        constraints = [models.UniqueConstraint(fields=["claim", "source"], name="one_quote_translation_per_claim")]

    def __str__(self) -> str:
        return self.text


class QuestionTranslation(models.Model):
    """A translated quiz's words for one of its original's questions."""

    quiz = models.ForeignKey("claims.Quiz", on_delete=models.CASCADE, related_name="question_translations")
    question = models.ForeignKey("claims.Question", on_delete=models.CASCADE, related_name="translations")
    prompt = models.TextField(_("prompt"))
    explanation = models.TextField(_("explanation"))
    unit = models.CharField(_("unit"), max_length=60, blank=True)  # a number guess's

    class Meta:
        verbose_name = _("question translation")
        verbose_name_plural = _("question translations")
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="one_translation_per_question")]

    def __str__(self) -> str:
        return self.prompt


class ChoiceTranslation(models.Model):
    """A translated quiz's words for one of its original's choices."""

    quiz = models.ForeignKey("claims.Quiz", on_delete=models.CASCADE, related_name="choice_translations")
    choice = models.ForeignKey("claims.Choice", on_delete=models.CASCADE, related_name="translations")
    text = models.CharField(_("text"), max_length=300)

    class Meta:
        verbose_name = _("choice translation")
        verbose_name_plural = _("choice translations")
        constraints = [models.UniqueConstraint(fields=["quiz", "choice"], name="one_translation_per_choice")]

    def __str__(self) -> str:
        return self.text
