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
transaction that inserts the answer or finishes the attempt, by one upsert
each (INSERT ... ON CONFLICT DO UPDATE SET n = n + 1), so that concurrent
writers never lose a count; the rows stay the truth and `recount_statistics`
rebuilds the counters from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from claims import quiz_sql
from claims.models import (
    Answer,
    Attempt,
    Choice,
    OptionTally,
    Question,
    QuestionKind,
    QuestionTally,
    Quiz,
    ScoreTally,
    Status,
)
from claims.quiz_numbers import bin_label, bin_of, is_right, make_bins
from claims.ratelimit import count


class QuizFlowError(Exception):
    """A request that the quiz's rules refuse; nothing was recorded."""


class NotYourTurn(QuizFlowError):
    """The reader tried to answer a question after one they have not answered yet."""

    def __init__(self, expected_number: int | None, *, token: str = "") -> None:
        self.expected_number = expected_number
        self.token = token  # the attempt's result token, for "See your score" once it is finished
        super().__init__(f"answer question {expected_number} first" if expected_number else "the quiz is finished")


class QuizChanged(QuizFlowError):
    """The question or choice answered is no longer in the quiz (or the quiz no longer public): editors
    changed it after the reader's page was served."""


class WrongChoice(QuizFlowError):
    """The choice does not belong to the question, or the question not to the attempt's quiz."""


def counted_attempts_limit() -> int:
    return getattr(settings, "QUIZ_COUNTED_ATTEMPTS", 3)


def min_sample() -> int:
    """How many counted readers must have answered before readers see shares of readers: below it, "100% of
    readers" may be one person, and a share says more about chance than about readers."""
    return getattr(settings, "QUIZ_MIN_SAMPLE", 30)


def counted_attempts_window() -> int:
    return getattr(settings, "QUIZ_COUNTED_ATTEMPTS_WINDOW", 60 * 60)


def _take_counted_slot(*, quiz: Quiz, reader: str) -> bool:
    """Whether a new attempt by `reader` may count in the statistics, using up one of their slots."""
    # Atomic, so concurrent starts cannot both see a free slot; the window starts with the first attempt.
    started = count(f"quiz-counted-attempts:{quiz.pk}:{reader}", counted_attempts_window())
    return started <= counted_attempts_limit()


@dataclass(frozen=True)
class Given:
    """An answer as the quiz pages need it: which choice (or the number guessed), and whether it was right when
    given."""

    choice_id: int | None  # None for a number guess, and once editors deleted the choice
    is_correct: bool
    guess: Decimal | None = None


@dataclass(frozen=True)
class Tally:
    """A question's counters: counted answers, right ones, and picks per option (a choice's id, or a number
    guess's bin)."""

    answered: int = 0
    correct: int = 0
    options: Mapping[int, int] = field(default_factory=dict)

    @property
    def is_enough(self) -> bool:
        return self.answered >= min_sample()

    @property
    def percent_correct(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None

    def percent(self, option: int) -> int:
        return round(100 * self.options.get(option, 0) / self.answered) if self.answered else 0

    def width(self, option: int) -> int:
        """0-100, relative to the most picked option, so that the bars use their whole width."""
        top = max(self.options.values(), default=0)
        return round(100 * self.options.get(option, 0) / top) if top else 0


@dataclass
class Progress:
    """Where an attempt stands: the quiz's question ids in order and the answers given so far."""

    question_ids: Sequence[int]
    answers: dict[int, Given] = field(default_factory=dict)  # by question id

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def answered_count(self) -> int:
        return sum(1 for pk in self.question_ids if pk in self.answers)

    @property
    def next_number(self) -> int | None:
        """1-based number of the first unanswered question; None when every question is answered."""
        return next((n for n, pk in enumerate(self.question_ids, start=1) if pk not in self.answers), None)

    @property
    def score(self) -> int:
        return sum(1 for pk in self.question_ids if pk in self.answers and self.answers[pk].is_correct)


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order with their choices and backing claims: two queries whatever the size."""
    return questions_in_order(quiz.pk)


def questions_in_order(quiz_id: int) -> list[Question]:
    return list(Question.objects.filter(quiz_id=quiz_id).select_related("claim", "picture").prefetch_related("choices"))


def _given(rows: Sequence[quiz_sql.AnswerRow]) -> dict[int, Given]:
    return {question_id: Given(choice_id, right, guess) for question_id, choice_id, right, guess in rows}


def answers_given(attempt_id: int) -> dict[int, Given]:
    """The attempt's answers by question id (one query, no model instances)."""
    return _given(quiz_sql.answers_of(attempt_id))


def reader_progress(
    *, quiz_id: int, reader: str | None, question_ids: Sequence[int]
) -> tuple[Attempt | None, Progress]:
    """The reader's latest attempt at the quiz, and its progress: one query (claims/quiz_sql.py)."""
    if not reader:
        return None, Progress(question_ids)
    row, answers = quiz_sql.reader_attempt_with_answers(quiz_id, reader)
    if row is None:
        return None, Progress(question_ids)
    return row.as_attempt(quiz_id=quiz_id, reader=reader), Progress(question_ids, _given(answers))


def attempt_progress(attempt: Attempt | None, question_ids: Sequence[int]) -> Progress:
    if attempt is None:
        return Progress(question_ids)
    return Progress(question_ids, answers_given(attempt.pk))


@dataclass(frozen=True)
class Recorded:
    """What answering did: the attempt and its progress afterwards, and the question's counters if they moved."""

    attempt: Attempt
    progress: Progress
    given: Given
    created: bool  # False when the question had already been answered: nothing changed
    tally: Tally | None  # after this answer, when it was counted


def start_attempt(*, quiz: Quiz, reader: str, preview: bool = False) -> Attempt:
    """The reader's attempt in progress on `quiz`, or a new one if they have none. With `preview` (an editor
    trying a draft, such as a draft translation of a published quiz) a new attempt is never counted."""
    current = Attempt.objects.latest_for_reader(quiz=quiz, reader=reader)
    if current is not None and not current.is_finished:
        return current
    # An editor's preview of a draft never counts in readers' statistics.
    counted = not preview and quiz.status == Status.PUBLISHED and _take_counted_slot(quiz=quiz, reader=reader)
    try:
        with transaction.atomic():
            return Attempt.objects.create(quiz=quiz, reader=reader, counted=counted)
    except IntegrityError:
        # A concurrent Start from the same browser created the open attempt first; use it.
        return Attempt.objects.get(quiz=quiz, reader=reader, finished_at__isnull=True)


def _count_answer(*, question_id: int, correct: bool, option: int | None) -> Tally:
    quiz_sql.increment(QuestionTally, {"question": question_id}, {"answered": 1, "correct": int(correct)})
    if option is not None:
        quiz_sql.increment(OptionTally, {"question": question_id, "option": option}, {"picked": 1})
    answered, right, options = quiz_sql.tallies_of(question_id)
    return Tally(answered, right, options)


def _insert_guess(attempt: Attempt, *, question_id: int, guess: Decimal, public_only: bool) -> tuple[bool, int | None]:
    """Record a number guess, judged on the question's figures as the database has them now; (right, its bin).

    Nothing is cached about what is right: the question row is read in the answer's transaction."""
    questions = Question.objects.filter(pk=question_id, quiz_id=attempt.quiz_id, kind=QuestionKind.NUMBER)
    if public_only:
        questions = questions.filter(quiz__status=Status.PUBLISHED, quiz__published_at__lte=timezone.now())
    row = questions.values_list("true_value", "tolerance", "guess_bins").first()
    if row is None or row[0] is None or row[1] is None:
        raise QuizChanged("that question is no longer a number guess of this quiz")
    true_value, tolerance, bins = row
    right = is_right(guess, true_value=true_value, tolerance=tolerance)
    Answer.objects.create(attempt_id=attempt.pk, question_id=question_id, guess=guess, is_correct=right)
    return right, bin_of(guess, bins) if bins else None


def _count_score(*, quiz_id: int, score: int) -> None:
    quiz_sql.increment(ScoreTally, {"quiz": quiz_id, "score": score}, {"attempts": 1})


def _record(
    attempt: Attempt,
    progress: Progress,
    *,
    question_id: int,
    choice_id: int | None = None,
    guess: Decimal | None = None,
    public_only: bool,
) -> Recorded:
    """The order rule against the answers read, then the writes in one short transaction.

    Nothing is locked and nothing re-read inside the transaction: the unique constraint on
    (attempt, question) is what stops a second answer. A concurrent answer of the same reader
    can only make `progress` miss an answer committed meanwhile; then either the rule refuses
    (a later question: not their turn) or the insert conflicts (the same question), and the
    reader gets the stored answer. Whether the answer is right comes from the database in the
    insert itself, never from a cached copy of the quiz. The transaction holds SQLite's write
    lock for two statements (four when it finishes the attempt), as long as the plainest write would.
    """
    if question_id in progress.answers:
        return Recorded(attempt, progress, progress.answers[question_id], created=False, tally=None)
    expected = progress.next_number
    if attempt.is_finished or expected is None:
        raise NotYourTurn(None, token=attempt.token if attempt.is_finished else "")
    if progress.question_ids[expected - 1] != question_id:
        raise NotYourTurn(expected)
    try:
        with transaction.atomic():
            option: int | None
            if guess is not None:
                is_correct, option = _insert_guess(
                    attempt, question_id=question_id, guess=guess, public_only=public_only
                )
            else:
                assert choice_id is not None
                right = quiz_sql.insert_answer(
                    attempt_id=attempt.pk,
                    quiz_id=attempt.quiz_id,
                    question_id=question_id,
                    choice_id=choice_id,
                    public_only=public_only,
                )
                if right is None:
                    raise QuizChanged("that choice is no longer one of this question's")
                is_correct, option = right, choice_id
            given = Given(choice_id, is_correct, guess)
            after = Progress(progress.question_ids, {**progress.answers, question_id: given})
            tally = (
                _count_answer(question_id=question_id, correct=is_correct, option=option) if attempt.counted else None
            )
            if after.next_number is None:
                attempt.score = after.score
                attempt.total = after.total
                attempt.finished_at = timezone.now()
                attempt.save(update_fields=["score", "total", "finished_at"])
                if attempt.counted:
                    _count_score(quiz_id=attempt.quiz_id, score=attempt.score)
    except IntegrityError:
        # The same answer was recorded first by another request (a double click, a replay): show it.
        stored = attempt_progress(attempt, progress.question_ids)
        if question_id not in stored.answers:
            raise
        attempt.refresh_from_db(fields=["score", "total", "finished_at"])
        return Recorded(attempt, stored, stored.answers[question_id], created=False, tally=None)
    return Recorded(attempt, after, given, created=True, tally=tally)


def record_answer(
    *,
    quiz_id: int,
    reader: str,
    question_ids: Sequence[int],
    question_id: int,
    choice_id: int | None = None,
    guess: Decimal | None = None,
    public_only: bool,
) -> Recorded | None:
    """The reader's answer to the question `question_id` of their latest attempt at the quiz; None if they have none.

    The caller has checked that the choice is one of the question's and knows the quiz's
    questions in order, so this is a handful of statements: the reader's attempt with its
    answers (one query), then in a transaction the answer's insert and its count (an upsert
    that returns the question's new counters); after the last question also the attempt's
    score and its count. Raises NotYourTurn, having recorded nothing, when the question is
    not the reader's next one, or QuizChanged when editors changed it meanwhile; a repeated
    answer changes nothing. `public_only`: refuse unless the quiz is published (False for
    editors' previews).
    """
    attempt, progress = reader_progress(quiz_id=quiz_id, reader=reader, question_ids=question_ids)
    if attempt is None:
        return None
    return _record(
        attempt, progress, question_id=question_id, choice_id=choice_id, guess=guess, public_only=public_only
    )


@dataclass(frozen=True)
class AnswerResult:
    answer: Answer
    created: bool  # False when the question had already been answered: nothing changed
    attempt: Attempt


def answer_question(
    *, attempt: Attempt, question: Question, choice: Choice | None = None, guess: Decimal | None = None
) -> AnswerResult:
    """Record `choice` (or for a number guess, `guess`) as the attempt's answer to `question` (the model-level
    form of record_answer).

    Returns the stored answer unchanged when the question was already answered
    (replays, back button, double submit). Raises WrongChoice or NotYourTurn,
    having recorded nothing, when the rules refuse the answer.
    """
    if question.quiz_id != attempt.quiz_id:
        raise WrongChoice("that question is not one of this quiz's")
    if question.is_number != (guess is not None) or (choice is not None and choice.question_id != question.pk):
        raise WrongChoice("that answer is not one of this question's")
    question_ids = list(Question.objects.filter(quiz_id=attempt.quiz_id).values_list("pk", flat=True))
    attempt.refresh_from_db()
    recorded = _record(
        attempt,
        attempt_progress(attempt, question_ids),
        question_id=question.pk,
        choice_id=choice.pk if choice is not None else None,
        guess=guess,
        public_only=False,
    )
    answer = Answer.objects.get(attempt=attempt, question=question)
    return AnswerResult(answer=answer, created=recorded.created, attempt=recorded.attempt)


@transaction.atomic
def recount_statistics(*, quiz: Quiz) -> None:
    """Rebuild the quiz's counters from the Attempt and Answer rows (e.g. after rows were deleted by hand)."""
    QuestionTally.objects.filter(question__quiz=quiz).delete()
    OptionTally.objects.filter(question__quiz=quiz).delete()
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
    picks: dict[tuple[int, int], int] = {}
    bins = dict(Question.objects.filter(quiz=quiz, kind=QuestionKind.NUMBER).values_list("pk", "guess_bins"))
    counted = Answer.objects.filter(question__quiz=quiz, attempt__counted=True)
    for question_id, choice_id, guess in counted.values_list("question_id", "choice_id", "guess").iterator():
        option = choice_id if guess is None else bin_of(guess, bins[question_id]) if bins.get(question_id) else None
        if option is not None:
            picks[question_id, option] = picks.get((question_id, option), 0) + 1
    OptionTally.objects.bulk_create(
        OptionTally(question_id=question_id, option=option, picked=n) for (question_id, option), n in picks.items()
    )
    per_score = Attempt.objects.filter(quiz=quiz).counted().finished().values("score").annotate(n=Count("pk"))
    ScoreTally.objects.bulk_create(ScoreTally(quiz=quiz, score=row["score"], attempts=row["n"]) for row in per_score)


# Reads ---------------------------------------------------------------------


def question_tally(question_id: int) -> Tally:
    """The counted answers to the question so far, with the picks per option (one query)."""
    answered, right, options = quiz_sql.tallies_of(question_id)
    return Tally(answered, right, options)


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


def score_distribution(*, quiz_id: int, total: int, yours: int | None = None) -> Distribution:
    """Counted finished attempts per score from 0 to `total` (one query), marking the score `yours`."""
    counts = dict(ScoreTally.objects.filter(quiz_id=quiz_id, attempts__gt=0).values_list("score", "attempts"))
    return _distribution(counts, total=total, yours=yours)


@dataclass(frozen=True)
class ChoiceShare:
    choice: Choice
    picked: int
    percent: int


@dataclass(frozen=True)
class GuessBin:
    """One bar of a number guess's histogram: the guesses from `low` up to `high`."""

    low: str  # displayed
    high: str
    picked: int
    percent: int
    width: int  # 0-100, relative to the tallest bar
    holds_answer: bool  # the true value is in this bin
    is_yours: bool = False


def guess_histogram(question: Question, tally: Tally, *, yours: Decimal | None = None) -> list[GuessBin]:
    """The question's bins with the counted guesses in each (the bins it will have, for a draft)."""
    edges = question.guess_bins
    if not edges and None not in (question.number_min, question.number_max, question.number_step):
        edges = make_bins(question.number_min, question.number_max, question.number_step)
    if not edges:
        return []
    answer = bin_of(question.true_value, edges) if question.true_value is not None else None
    mine = bin_of(yours, edges) if yours is not None else None
    return [
        GuessBin(
            *bin_label(edges, index),
            picked=tally.options.get(index, 0),
            percent=tally.percent(index),
            width=tally.width(index),
            holds_answer=index == answer,
            is_yours=index == mine,
        )
        for index in range(len(edges) - 1)
    ]


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    choices: list[ChoiceShare]
    bins: list[GuessBin] = field(default_factory=list)


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
    guesses: dict[int, list[Decimal]] = {}
    for question_id, guess in Answer.objects.filter(
        question__quiz=quiz, attempt__counted=True, guess__isnull=False
    ).values_list("question_id", "guess"):
        if guess is not None:
            guesses.setdefault(question_id, []).append(guess)
    per_question = []
    for question in questions:
        if question.is_number:
            given = guesses.get(question.pk, [])
            edges = question.guess_bins or []
            per_bin: dict[int, int] = {}
            for guess in given if edges else []:
                per_bin[bin_of(guess, edges)] = per_bin.get(bin_of(guess, edges), 0) + 1
            tally = Tally(len(given), 0, per_bin)
            bins = guess_histogram(question, tally)
            per_question.append(QuestionStats(question=question, answered=len(given), choices=[], bins=bins))
            continue
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
