"""Readers' quiz attempts and answers, and the counters that summarise them.

The Attempt and Answer rows are the truth. QuestionTally and ScoreTally are
counters kept in step with them inside the same transaction (see
claims/quiz_services.py), so that the numbers readers see on every answer and
results page cost one indexed row read instead of a count over every answer
ever given. `quiz_services.recount_statistics` rebuilds them from the rows.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims.models.quizzes import Choice, Question, Quiz


def new_share_token() -> str:
    # 128 random bits: a result URL cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class AttemptQuerySet(models.QuerySet):
    def for_reader(self, *, quiz: Quiz, reader: str | None) -> AttemptQuerySet:
        if not reader:
            return self.none()
        return self.filter(quiz=quiz, reader=reader)

    def latest_for_reader(self, *, quiz: Quiz, reader: str | None) -> Attempt | None:
        attempt = self.for_reader(quiz=quiz, reader=reader).order_by("-started_at", "-id").first()
        if attempt is not None:
            attempt.quiz = quiz  # already loaded: links to the attempt's pages need no further query
        return attempt

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def counted(self) -> AttemptQuerySet:
        return self.filter(counted=True)


class Attempt(models.Model):
    """One reader's run through a quiz, tied to their browser session (no login)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    # A random id kept in the reader's session rather than the session key,
    # which Django rotates when someone signs in to the admin in the same browser.
    reader = models.CharField(_("reader"), max_length=64)
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_share_token, editable=False)
    counted = models.BooleanField(
        _("counted"),
        default=True,
        help_text=_("False when the reader had started too many attempts: kept out of the statistics."),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Frozen when the attempt finishes, so "7 of 10" stays true if editors later change the quiz.
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("total"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["quiz", "reader", "-started_at"], name="attempt_reader_latest")]
        constraints = [
            # A double-clicked Start cannot leave a reader with two attempts in progress.
            models.UniqueConstraint(
                fields=["quiz", "reader"], condition=Q(finished_at__isnull=True), name="one_open_attempt_per_reader"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, score__isnull=True, total__isnull=True)
                | Q(finished_at__isnull=False, score__isnull=False, total__isnull=False, score__lte=models.F("total")),
                name="attempt_finished_has_score",
            ),
        ]

    def __str__(self) -> str:
        # Shown in the admin, e.g. among what deleting a quiz would delete.
        if self.is_finished:
            # Translators: an attempt's id, its quiz's id, and the score, e.g. "Attempt 12 on 3: 7/10".
            return gettext("Attempt %(id)s on %(quiz)s: %(score)s/%(total)s") % {
                "id": self.pk,
                "quiz": self.quiz_id,
                "score": self.score,
                "total": self.total,
            }
        # Translators: an attempt's id and its quiz's id, e.g. "Attempt 12 on 3: in progress".
        return gettext("Attempt %(id)s on %(quiz)s: in progress") % {"id": self.pk, "quiz": self.quiz_id}

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def get_absolute_url(self) -> str:
        return reverse("quiz-result", kwargs={"slug": self.quiz.slug, "token": self.token})


class Answer(models.Model):
    """A reader's one and only answer to a question within an attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    # SET_NULL: editors may delete a choice; what the reader got right or wrong stays recorded in is_correct.
    choice = models.ForeignKey(
        Choice, null=True, on_delete=models.SET_NULL, related_name="answers", verbose_name=_("choice")
    )
    # A number guess's value (the choice is then empty).
    guess = models.DecimalField(_("guess"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(_("is correct"))
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["attempt", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # One answer per question per attempt, whatever races or replays happen.
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question_per_attempt")
        ]

    def __str__(self) -> str:
        # Translators: a question's id and an attempt's id.
        return gettext("Answer to %(question)s in attempt %(attempt)s") % {
            "question": self.question_id,
            "attempt": self.attempt_id,
        }


class QuestionTally(models.Model):
    """How many counted answers a question has had, and how many were right."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="tally", verbose_name=_("question")
    )
    answered = models.PositiveIntegerField(_("answered"), default=0)
    correct = models.PositiveIntegerField(_("correct"), default=0)

    class Meta:
        verbose_name = _("question tally")
        verbose_name_plural = _("question tallies")

    def __str__(self) -> str:
        # Translators: right answers, all answers and a question's id, e.g. "7/10 on question 3".
        return gettext("%(correct)s/%(answered)s on question %(question)s") % {
            "correct": self.correct,
            "answered": self.answered,
            "question": self.question_id,
        }

    @property
    def percent_correct(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None


class OptionTally(models.Model):
    """How many counted answers picked each option of a question: a choice (by its id), or for a number guess
    a bin of the histogram (by its index in Question.guess_bins)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="option_tallies", verbose_name=_("question")
    )
    option = models.PositiveBigIntegerField(_("option"))
    picked = models.PositiveIntegerField(_("picked"), default=0)

    class Meta:
        ordering = ["question_id", "option"]
        verbose_name = _("option tally")
        verbose_name_plural = _("option tallies")
        constraints = [models.UniqueConstraint(fields=["question", "option"], name="one_tally_per_question_option")]

    def __str__(self) -> str:
        # Translators: how many readers picked an option of a question, e.g. "12 picked option 4 of question 3".
        return gettext("%(picked)s picked option %(option)s of question %(question)s") % {
            "picked": self.picked,
            "option": self.option,
            "question": self.question_id,
        }


class ScoreTally(models.Model):
    """How many counted, finished attempts at a quiz ended with each score."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="score_tallies", verbose_name=_("quiz"))
    score = models.PositiveSmallIntegerField(_("score"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["quiz_id", "score"]
        verbose_name = _("score tally")
        verbose_name_plural = _("score tallies")
        constraints = [models.UniqueConstraint(fields=["quiz", "score"], name="one_tally_per_quiz_score")]

    def __str__(self) -> str:
        return ngettext(
            "%(count)s attempt scored %(score)s on quiz %(quiz)s",
            "%(count)s attempts scored %(score)s on quiz %(quiz)s",
            self.attempts,
        ) % {"count": self.attempts, "score": self.score, "quiz": self.quiz_id}
