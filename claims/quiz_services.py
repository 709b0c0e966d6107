"""Readers taking quizzes: starting attempts, recording answers, and the statistics.

How one browser is kept from inflating "N% of readers got this right" and the
score distribution:

1. One answer per question per attempt. A unique constraint on (attempt,
   question) backs it; answering again, re-posting from the back button or
   replaying the request returns the stored answer and changes nothing.
2. Questions are answered in order, so an attempt's answers are a prefix of
   the quiz and a finished attempt has answered every question exactly once.
3. Starting again while an attempt is in progress resumes that attempt (also a
   partial unique constraint): a new attempt exists only once the last one is
   finished, so creating attempts costs a reader a full run through the quiz.
4. Only the first `QUIZ_COUNTED_ATTEMPTS` attempts (default 3) a reader starts
   on a quiz within `QUIZ_COUNTED_ATTEMPTS_WINDOW` seconds (default an hour)
   count in the statistics. Later ones can be played to the end and shared,
   but are stored with `counted=False` and left out of every number readers
   see. The window is a counter in Django's cache, so it is shared by every
   process once the cache is Redis. If the cache is unreachable, attempts
   count (rules 1-3 still hold): losing real readers would be worse.

Statistics are counters (QuestionTally, ScoreTally) incremented in the same
transaction that inserts the answer or finishes the attempt, with `F()`
expressions so that concurrent writers never lose a count; the rows stay the
truth and `recount_statistics` rebuilds the counters from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from claims.models import Answer, Attempt, Choice, Question, QuestionTally, Quiz, ScoreTally, Status


class QuizFlowError(Exception):
    """A request that the quiz's rules refuse; nothing was recorded."""


class NotYourTurn(QuizFlowError):
    """The reader tried to answer a question after one they have not answered yet."""

    def __init__(self, expected_number: int | None) -> None:
        self.expected_number = expected_number
        super().__init__(f"answer question {expected_number} first" if expected_number else "the quiz is finished")


class WrongChoice(QuizFlowError):
    """The choice does not belong to the question, or the question not to the attempt's quiz."""


def counted_attempts_limit() -> int:
    return getattr(settings, "QUIZ_COUNTED_ATTEMPTS", 3)


def counted_attempts_window() -> int:
    return getattr(settings, "QUIZ_COUNTED_ATTEMPTS_WINDOW", 60 * 60)


def _take_counted_slot(*, quiz: Quiz, reader: str) -> bool:
    """Whether a new attempt by `reader` may count in the statistics, using up one of their slots."""
    key = f"quiz-counted-attempts:{quiz.pk}:{reader}"
    window = counted_attempts_window()
    # add() then incr() is atomic on Redis and on the local-memory cache, so
    # concurrent starts cannot both see a free slot; the window starts with the first attempt.
    cache.add(key, 0, timeout=window)
    try:
        started = cache.incr(key)
    except ValueError:  # the key expired between add() and incr(): a fresh window
        cache.set(key, 1, timeout=window)
        started = 1
    return started <= counted_attempts_limit()


@dataclass
class Progress:
    """Where an attempt stands: the quiz's questions in order and the answers given so far."""

    questions: list[Question]
    answers: dict[int, Answer] = field(default_factory=dict)  # by question id

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.pk in self.answers)

    @property
    def next_number(self) -> int | None:
        """1-based number of the first unanswered question; None when every question is answered."""
        for number, question in enumerate(self.questions, start=1):
            if question.pk not in self.answers:
                return number
        return None

    @property
    def score(self) -> int:
        return sum(1 for q in self.questions if q.pk in self.answers and self.answers[q.pk].is_correct)

    def question(self, number: int) -> Question | None:
        return self.questions[number - 1] if 1 <= number <= self.total else None


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order with their choices and backing claims: three queries whatever the size."""
    return list(quiz.questions.select_related("claim").prefetch_related("choices"))


def attempt_progress(attempt: Attempt | None, questions: list[Question]) -> Progress:
    if attempt is None:
        return Progress(questions)
    return Progress(questions, {a.question_id: a for a in attempt.answers.select_related("choice")})


@dataclass(frozen=True)
class AnswerResult:
    answer: Answer
    created: bool  # False when the question had already been answered: nothing changed
    attempt: Attempt


def start_attempt(*, quiz: Quiz, reader: str) -> Attempt:
    """The reader's attempt in progress on `quiz`, or a new one if they have none."""
    current = Attempt.objects.latest_for_reader(quiz=quiz, reader=reader)
    if current is not None and not current.is_finished:
        return current
    # An editor's preview of a draft never counts in readers' statistics.
    counted = quiz.status == Status.PUBLISHED and _take_counted_slot(quiz=quiz, reader=reader)
    try:
        with transaction.atomic():
            return Attempt.objects.create(quiz=quiz, reader=reader, counted=counted)
    except IntegrityError:
        # A concurrent Start from the same browser created the open attempt first; use it.
        return Attempt.objects.get(quiz=quiz, reader=reader, finished_at__isnull=True)


def _bump_question_tally(*, question_id: int, correct: bool) -> None:
    # Insert-if-missing then increment: two queries every time (a fixed budget),
    # and safe under concurrency on SQLite (INSERT OR IGNORE) and PostgreSQL (ON CONFLICT DO NOTHING).
    QuestionTally.objects.bulk_create([QuestionTally(question_id=question_id)], ignore_conflicts=True)
    QuestionTally.objects.filter(question_id=question_id).update(
        answered=F("answered") + 1, correct=F("correct") + (1 if correct else 0)
    )


def _bump_score_tally(*, quiz_id: int, score: int) -> None:
    ScoreTally.objects.bulk_create([ScoreTally(quiz_id=quiz_id, score=score)], ignore_conflicts=True)
    ScoreTally.objects.filter(quiz_id=quiz_id, score=score).update(attempts=F("attempts") + 1)


def answer_question(*, attempt: Attempt, question: Question, choice: Choice) -> AnswerResult:
    """Record `choice` as the attempt's answer to `question`, and finish the attempt after the last question.

    Returns the stored answer unchanged when the question was already answered
    (replays, back button, double submit). Raises WrongChoice or NotYourTurn,
    having recorded nothing, when the rules refuse the answer.
    """
    if choice.question_id != question.pk or question.quiz_id != attempt.quiz_id:
        raise WrongChoice("that choice is not one of this question's choices")
    with transaction.atomic():
        # Serialises answers within one attempt on PostgreSQL; SQLite's IMMEDIATE transactions already do.
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        question_ids = list(Question.objects.filter(quiz_id=attempt.quiz_id).values_list("pk", flat=True))
        answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
        if question.pk in answers:
            return AnswerResult(answer=answers[question.pk], created=False, attempt=attempt)
        unanswered = [pk for pk in question_ids if pk not in answers]
        if attempt.is_finished or not unanswered:
            raise NotYourTurn(None)
        if unanswered[0] != question.pk:
            raise NotYourTurn(question_ids.index(unanswered[0]) + 1)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    attempt=attempt, question=question, choice=choice, is_correct=choice.is_correct
                )
        except IntegrityError:
            # Only reachable where the row lock above is a no-op and another request won the race.
            return AnswerResult(
                answer=Answer.objects.get(attempt=attempt, question=question), created=False, attempt=attempt
            )
        if attempt.counted:
            _bump_question_tally(question_id=question.pk, correct=answer.is_correct)
        if len(unanswered) == 1:
            answers[question.pk] = answer
            attempt.score = sum(1 for a in answers.values() if a.is_correct)
            attempt.total = len(question_ids)
            attempt.finished_at = timezone.now()
            attempt.save(update_fields=["score", "total", "finished_at"])
            if attempt.counted:
                _bump_score_tally(quiz_id=attempt.quiz_id, score=attempt.score)
    return AnswerResult(answer=answer, created=True, attempt=attempt)


@transaction.atomic
def recount_statistics(*, quiz: Quiz) -> None:
    """Rebuild the quiz's counters from the Attempt and Answer rows (e.g. after rows were deleted by hand)."""
    QuestionTally.objects.filter(question__quiz=quiz).delete()
    ScoreTally.objects.filter(quiz=quiz).delete()
    per_question = (
        Answer.objects.filter(question__quiz=quiz, attempt__counted=True)
        .values("question_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    )
    QuestionTally.objects.bulk_create(
        QuestionTally(question_id=row["question_id"], answered=row["answered"], correct=row["correct"])
        for row in per_question
    )
    per_score = Attempt.objects.filter(quiz=quiz).counted().finished().values("score").annotate(n=Count("pk"))
    ScoreTally.objects.bulk_create(ScoreTally(quiz=quiz, score=row["score"], attempts=row["n"]) for row in per_score)


# Reads ---------------------------------------------------------------------


def question_tally(question: Question) -> QuestionTally:
    """The counted answers to `question` so far (one query); an empty tally before the first."""
    return QuestionTally.objects.filter(question=question).first() or QuestionTally(question=question)


@dataclass(frozen=True)
class Bar:
    score: int
    attempts: int
    percent: int  # of all counted finished attempts
    width: int  # 0-100, relative to the tallest bar so that the chart uses its whole width
    is_yours: bool


@dataclass(frozen=True)
class Distribution:
    bars: list[Bar]
    attempts: int
    below: int  # attempts that scored less than the reader

    @property
    def percent_below(self) -> int | None:
        return round(100 * self.below / self.attempts) if self.attempts else None


def _distribution(counts: dict[int, int], *, total: int, yours: int | None) -> Distribution:
    top = max([total, *counts])
    attempts = sum(counts.values())
    tallest = max(counts.values(), default=0)
    bars = [
        Bar(
            score=score,
            attempts=counts.get(score, 0),
            percent=round(100 * counts.get(score, 0) / attempts) if attempts else 0,
            width=round(100 * counts.get(score, 0) / tallest) if tallest else 0,
            is_yours=score == yours,
        )
        for score in range(top + 1)
    ]
    below = sum(n for score, n in counts.items() if yours is not None and score < yours)
    return Distribution(bars=bars, attempts=attempts, below=below)


def score_distribution(*, quiz: Quiz, total: int, yours: int | None = None) -> Distribution:
    """Counted finished attempts per score from 0 to `total` (one query), marking the score `yours`."""
    counts = dict(ScoreTally.objects.filter(quiz=quiz, attempts__gt=0).values_list("score", "attempts"))
    return _distribution(counts, total=total, yours=yours)


def resume_number(attempt: Attempt) -> int | None:
    """1-based number of the attempt's first unanswered question; None when it has answered them all."""
    answered = set(attempt.answers.values_list("question_id", flat=True))
    question_ids = attempt.quiz.questions.values_list("pk", flat=True)
    return next((n for n, pk in enumerate(question_ids, start=1) if pk not in answered), None)


@dataclass(frozen=True)
class ChoiceShare:
    choice: Choice
    picked: int
    percent: int


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    choices: list[ChoiceShare]


@dataclass(frozen=True)
class EditorStats:
    started: int
    finished: int
    not_counted: int
    distribution: Distribution
    questions: list[QuestionStats]


def editor_stats(quiz: Quiz) -> EditorStats:
    """What editors see on the quiz's admin page, counted from the rows (not the counters)."""
    totals = Attempt.objects.filter(quiz=quiz).aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
        not_counted=Count("pk", filter=Q(counted=False)),
    )
    questions = quiz_questions(quiz)
    picks = {
        (row["question_id"], row["choice_id"]): row["n"]
        for row in Answer.objects.filter(question__quiz=quiz, attempt__counted=True)
        .values("question_id", "choice_id")
        .annotate(n=Count("pk"))
    }
    per_question = []
    for question in questions:
        answered = sum(n for (question_id, _), n in picks.items() if question_id == question.pk)
        shares = [
            ChoiceShare(
                choice=choice,
                picked=picks.get((question.pk, choice.pk), 0),
                percent=round(100 * picks.get((question.pk, choice.pk), 0) / answered) if answered else 0,
            )
            for choice in question.choices.all()
        ]
        per_question.append(QuestionStats(question=question, answered=answered, choices=shares))
    scores = dict(
        Attempt.objects.filter(quiz=quiz)
        .counted()
        .finished()
        .values("score")
        .annotate(n=Count("pk"))
        .values_list("score", "n")
    )
    return EditorStats(
        started=totals["started"],
        finished=totals["finished"],
        not_counted=totals["not_counted"],
        distribution=_distribution(scores, total=len(questions), yours=None),
        questions=per_question,
    )
