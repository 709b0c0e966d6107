from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from claims.models.articles import Article
from claims.models.claims import Claim
from claims.models.publishing import Authored, PublishableQuerySet, Status
from claims.models.translations import Translatable, one_translation_per_language
from claims.quiz_numbers import display, with_unit

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class QuizQuerySet(PublishableQuerySet):
    pass


class Quiz(Translatable, Authored):
    """A quiz on one article's key facts."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("article"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    intro = models.TextField(
        _("intro"), blank=True, help_text=_("One or two sentences shown before the reader starts.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [one_translation_per_language("one_quiz_translation_per_language")]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        # Permission names stay English: Django stores them in the database and does not translate them.
        permissions = [
            ("approve_quiz", "Can approve a quiz for publication"),
            ("publish_quiz", "Can publish and unpublish quizzes"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Whether readers can see it now: published, and not scheduled for a time still to come (as published())."""
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    def save(self, *args, **kwargs) -> None:
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("Choose one answer")
    NUMBER = "number", _("Guess a number")


def _number_field(name: StrOrPromise, help_text: StrOrPromise = "") -> models.DecimalField:
    # Figures in the news are counts, money and percentages: 12 digits before the point, 2 after.
    return models.DecimalField(name, max_digits=14, decimal_places=2, null=True, blank=True, help_text=help_text)


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    prompt = models.TextField(_("prompt"))
    explanation = models.TextField(_("explanation"), help_text=_("Shown to the reader after they answer."))
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("claim"),
        help_text=_("The fact-check that backs the right answer."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.CHOICE)
    # A number guess: the reader picks a value between number_min and number_max (a slider in steps of
    # number_step, or typed); a guess within `tolerance` of `true_value` is right.
    number_min = _number_field(_("lowest guess"))
    number_max = _number_field(_("highest guess"))
    number_step = _number_field(_("step"), _("How far one move of the slider goes, e.g. 10."))
    number_unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("Shown after the number, e.g. “people a day”.")
    )
    true_value = _number_field(_("true value"), _("The figure as the fact-check's source gives it."))
    tolerance = _number_field(
        _("tolerance"), _("A guess this far from the true value, or closer, counts as right. 0: only the exact value.")
    )
    value_quote = models.TextField(
        _("source quote"),
        blank=True,
        help_text=_("The words that give the figure, copied from one of the backing fact-check's evidence quotes."),
    )
    # The histogram's bin edges, fixed when readers first see the question (claims/quiz_numbers.py) so that the
    # counts of guesses per bin stay comparable however the range is edited later.
    guess_bins = models.JSONField(_("guess bins"), default=list, blank=True, editable=False)
    picture = models.ForeignKey(
        "claims.Picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("picture"),
        help_text=_("Shown under the prompt. Upload it on the Pictures page first."),
    )
    # The backing claim's verdict when the question was last saved: a later change means it needs a look.
    claim_verdict = models.CharField(_("claim verdict"), max_length=20, blank=True, editable=False)
    # Moved by every edit of the question or its choices: approvals older than this do not count.
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def save(self, *args, **kwargs) -> None:
        self.claim_verdict = self.claim.verdict if self.claim else ""
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.prompt if len(self.prompt) <= 80 else self.prompt[:79] + "…"

    @property
    def warnings(self) -> list[str]:
        """What an editor should look at before readers see this question (not errors: it can still be saved).

        Each is the end of a sentence that the admin begins with the question's number ("Question 2: …")."""
        if self.claim is None:
            return [gettext("it has no backing fact-check")]
        warnings = []
        if self.claim.status != Status.PUBLISHED:  # published or scheduled (rules.timing_problems checks when)
            warnings.append(gettext("its fact-check “%(claim)s” is not published") % {"claim": self.claim})
        if self.claim.verdict != self.claim_verdict:
            verdict = self.claim.get_verdict_display() or pgettext("verdict", "none")
            # Translators: %(verdict)s is the fact-check's new verdict, e.g. "Mostly false", or "none".
            message = gettext("its fact-check's verdict changed to %(verdict)s after it was written")
            warnings.append(message % {"verdict": verdict})
        return warnings

    @property
    def is_number(self) -> bool:
        return self.kind == QuestionKind.NUMBER

    @property
    def answer_display(self) -> str:
        """A number guess's true value with its unit, as readers of the current language write it."""
        if self.true_value is None:
            return ""
        return with_unit(display(self.true_value), self.number_unit)

    @property
    def correct_choice(self) -> Choice | None:
        return next((c for c in self.choices.all() if c.is_correct), None)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            # The last line of defence for "exactly one correct": at most one at the database level.
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="one_correct_choice_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.text
