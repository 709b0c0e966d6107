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

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    # A random id kept in the reader's session rather than the session key,
    # which Django rotates when someone signs in to the admin in the same browser.
    reader = models.CharField(max_length=64)
    token = models.CharField(max_length=32, unique=True, default=new_share_token, editable=False)
    counted = models.BooleanField(
        default=True, help_text="False when the reader had started too many attempts: kept out of the statistics."
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Frozen when the attempt finishes, so "7 of 10" stays true if editors later change the quiz.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
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
        state = f"{self.score}/{self.total}" if self.is_finished else "in progress"
        return f"Attempt {self.pk} on {self.quiz_id}: {state}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def get_absolute_url(self) -> str:
        return reverse("quiz-result", kwargs={"slug": self.quiz.slug, "token": self.token})


class Answer(models.Model):
    """A reader's one and only answer to a question within an attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # SET_NULL: editors may delete a choice; what the reader got right or wrong stays recorded in is_correct.
    choice = models.ForeignKey(Choice, null=True, on_delete=models.SET_NULL, related_name="answers")
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [
            # One answer per question per attempt, whatever races or replays happen.
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question_per_attempt")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in attempt {self.attempt_id}"


class QuestionTally(models.Model):
    """How many counted answers a question has had, and how many were right."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.correct}/{self.answered} on question {self.question_id}"

    @property
    def percent_correct(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None


class ScoreTally(models.Model):
    """How many counted, finished attempts at a quiz ended with each score."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="score_tallies")
    score = models.PositiveSmallIntegerField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz_id", "score"]
        constraints = [models.UniqueConstraint(fields=["quiz", "score"], name="one_tally_per_quiz_score")]

    def __str__(self) -> str:
        return f"{self.attempts} attempts scored {self.score} on quiz {self.quiz_id}"
