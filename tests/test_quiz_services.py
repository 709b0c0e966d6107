"""The quiz's rules and statistics, through claims/quiz_services.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from claims import quiz_services
from claims.models import Answer, Attempt, Choice, QuestionTally, ScoreTally
from claims.quiz_services import NotYourTurn, WrongChoice
from tests.factories import AnswerFactory, AttemptFactory, PublishedQuizFactory, take_quiz

pytestmark = pytest.mark.django_db


def _questions(quiz):
    return list(quiz.questions.prefetch_related("choices"))


def _right(question) -> Choice:
    return next(c for c in question.choices.all() if c.is_correct)


def _wrong(question) -> Choice:
    return next(c for c in question.choices.all() if not c.is_correct)


def _tally(question) -> tuple[int, int]:
    tally = QuestionTally.objects.filter(question=question).first()
    return (tally.answered, tally.correct) if tally else (0, 0)


def test_an_answer_is_stored_as_a_row_and_counted():
    attempt = AttemptFactory()
    first, *_ = _questions(attempt.quiz)
    result = quiz_services.answer_question(attempt=attempt, question=first, choice=_wrong(first))
    assert result.created
    answer = Answer.objects.get()
    assert (answer.attempt, answer.question, answer.choice, answer.is_correct) == (attempt, first, _wrong(first), False)
    assert answer.answered_at is not None
    assert _tally(first) == (1, 0)


def test_answering_again_keeps_the_first_answer_and_the_counts():
    attempt = AttemptFactory()
    first, *_ = _questions(attempt.quiz)
    quiz_services.answer_question(attempt=attempt, question=first, choice=_wrong(first))
    again = quiz_services.answer_question(attempt=attempt, question=first, choice=_right(first))
    assert not again.created
    assert again.answer.choice == _wrong(first) and not again.answer.is_correct
    assert Answer.objects.count() == 1
    assert _tally(first) == (1, 0)


def test_questions_are_answered_in_order():
    attempt = AttemptFactory()
    *_, third = _questions(attempt.quiz)
    with pytest.raises(NotYourTurn) as refusal:
        quiz_services.answer_question(attempt=attempt, question=third, choice=_right(third))
    assert refusal.value.expected_number == 1
    assert not Answer.objects.exists() and not QuestionTally.objects.exists()


@pytest.mark.parametrize("case", ["choice of another question", "question of another quiz"])
def test_a_choice_or_question_from_elsewhere_is_refused(case):
    attempt = AttemptFactory()
    first, second, _ = _questions(attempt.quiz)
    if case == "choice of another question":
        question, choice = first, _right(second)
    else:
        other = _questions(PublishedQuizFactory())[0]
        question, choice = other, _right(other)
    with pytest.raises(WrongChoice):
        quiz_services.answer_question(attempt=attempt, question=question, choice=choice)
    assert not Answer.objects.exists() and not QuestionTally.objects.exists()


def test_the_last_answer_finishes_the_attempt_with_its_score():
    quiz = PublishedQuizFactory(questions=3)
    attempt = take_quiz(quiz, right=2)
    assert attempt.is_finished and (attempt.score, attempt.total) == (2, 3)
    assert list(ScoreTally.objects.filter(quiz=quiz).values_list("score", "attempts")) == [(2, 1)]
    # A finished attempt takes no new answers, even to a question added afterwards.
    added = quiz.questions.create(prompt="Added later?", explanation="x", position=99)
    Choice.objects.create(question=added, text="Yes", is_correct=True)
    with pytest.raises(NotYourTurn) as refusal:
        quiz_services.answer_question(attempt=attempt, question=added, choice=added.choices.get())
    assert refusal.value.expected_number is None


def test_an_attempt_that_is_not_counted_records_rows_but_not_statistics():
    quiz = PublishedQuizFactory(questions=2)
    attempt = take_quiz(quiz, right=2, counted=False)
    assert attempt.answers.count() == 2 and attempt.score == 2
    assert not QuestionTally.objects.exists() and not ScoreTally.objects.exists()


def test_start_resumes_the_attempt_in_progress_and_starts_anew_once_finished():
    quiz = PublishedQuizFactory(questions=2)
    first = quiz_services.start_attempt(quiz=quiz, reader="r1")
    assert quiz_services.start_attempt(quiz=quiz, reader="r1") == first
    assert quiz_services.start_attempt(quiz=quiz, reader="r2") != first
    for question in _questions(quiz):
        quiz_services.answer_question(attempt=first, question=question, choice=_right(question))
    second = quiz_services.start_attempt(quiz=quiz, reader="r1")
    assert second != first and not second.is_finished
    assert Attempt.objects.filter(quiz=quiz, reader="r1").count() == 2


def test_the_database_refuses_two_attempts_in_progress_for_one_reader():
    attempt = AttemptFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=attempt.quiz, reader=attempt.reader)


def test_the_database_refuses_a_second_answer_to_a_question():
    answer = AnswerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(attempt=answer.attempt, question=answer.question, choice=answer.choice, is_correct=True)


def test_only_the_first_attempts_per_reader_and_window_count(settings):
    settings.QUIZ_COUNTED_ATTEMPTS = 2
    quiz = PublishedQuizFactory(questions=1)
    (question,) = _questions(quiz)
    counted = []
    for _ in range(4):
        attempt = quiz_services.start_attempt(quiz=quiz, reader="replayer")
        counted.append(attempt.counted)
        quiz_services.answer_question(attempt=attempt, question=question, choice=_right(question))
    assert counted == [True, True, False, False]
    assert _tally(question) == (2, 2)
    assert ScoreTally.objects.get(quiz=quiz).attempts == 2
    # Another reader is not limited by this one.
    assert quiz_services.start_attempt(quiz=quiz, reader="someone-else").counted
    # When the window is over (the cache key expires), attempts count again.
    cache.clear()
    assert quiz_services.start_attempt(quiz=quiz, reader="replayer").counted


def test_recount_rebuilds_the_counters_from_the_rows():
    quiz = PublishedQuizFactory(questions=3)
    for right in (0, 1, 3, 3):
        take_quiz(quiz, right=right)
    take_quiz(quiz, right=2, counted=False)
    expected_questions = sorted(QuestionTally.objects.values_list("question_id", "answered", "correct"))
    expected_scores = sorted(ScoreTally.objects.values_list("score", "attempts"))
    QuestionTally.objects.update(answered=999)
    ScoreTally.objects.all().delete()
    quiz_services.recount_statistics(quiz=quiz)
    assert sorted(QuestionTally.objects.values_list("question_id", "answered", "correct")) == expected_questions
    assert sorted(ScoreTally.objects.values_list("score", "attempts")) == expected_scores
    assert expected_scores == [(0, 1), (1, 1), (3, 2)]


def test_score_distribution_marks_the_readers_score_and_who_they_beat():
    quiz = PublishedQuizFactory(questions=3)
    for right in (0, 1, 1, 3):
        take_quiz(quiz, right=right)
    distribution = quiz_services.score_distribution(quiz_id=quiz.pk, total=3, yours=1)
    assert [(b.score, b.attempts, b.percent, b.width, b.is_yours) for b in distribution.bars] == [
        (0, 1, 25, 50, False),
        (1, 2, 50, 100, True),
        (2, 0, 0, 0, False),
        (3, 1, 25, 50, False),
    ]
    assert (distribution.attempts, distribution.below, distribution.percent_below) == (4, 1, 25)


def test_score_distribution_of_a_quiz_nobody_finished():
    quiz = PublishedQuizFactory(questions=2)
    distribution = quiz_services.score_distribution(quiz_id=quiz.pk, total=2, yours=None)
    assert [b.attempts for b in distribution.bars] == [0, 0, 0]
    assert distribution.percent_below is None


def test_editor_stats_count_attempts_scores_and_choices_from_the_rows():
    quiz = PublishedQuizFactory(questions=2)
    take_quiz(quiz, right=2)
    take_quiz(quiz, right=0)
    take_quiz(quiz, right=0, counted=False)
    quiz_services.start_attempt(quiz=quiz, reader="still-going")
    stats = quiz_services.editor_stats(quiz)
    assert (stats.started, stats.finished, stats.not_counted) == (4, 3, 1)
    assert [b.attempts for b in stats.distribution.bars] == [1, 0, 1]
    first = stats.questions[0]
    assert first.answered == 2
    assert [(s.choice.text, s.picked, s.percent) for s in first.choices] == [("A", 1, 50), ("B", 1, 50), ("C", 0, 0)]


def test_a_deleted_choice_keeps_the_answer_and_whether_it_was_right():
    answer = AnswerFactory()
    answer.choice.delete()
    answer.refresh_from_db()
    assert answer.choice is None and answer.is_correct


def test_resume_number_is_the_first_unanswered_question():
    attempt = AttemptFactory()
    first, second, third = _questions(attempt.quiz)
    ids = [first.pk, second.pk, third.pk]

    def resume_number() -> int | None:
        _, progress = quiz_services.reader_progress(quiz_id=attempt.quiz_id, reader=attempt.reader, question_ids=ids)
        return progress.next_number

    assert resume_number() == 1
    quiz_services.answer_question(attempt=attempt, question=first, choice=_right(first))
    quiz_services.answer_question(attempt=attempt, question=second, choice=_right(second))
    assert resume_number() == 3
