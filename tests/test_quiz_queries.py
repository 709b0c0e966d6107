"""Query budgets: each quiz step runs a fixed number of SQL queries, whatever the quiz and its history.

Every step is measured on a small quiz nobody has taken and on a long quiz with
many past attempts: the counts must be equal, and exactly the budget (fewer is
good news: lower the budget). The quiz
and each question's HTML come from the cache (claims/quiz_pages.py) once a
first reader has seen them, so a step costs only the reader's own rows; the
first request after a change also renders the step (FIRST_RENDER more). The
reader is a signed cookie, not a session: no session query. Answers are
measured inside the test's transaction, which adds a savepoint and its release
around the answer's own statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Attempt, Quiz
from tests.factories import PublishedQuizFactory, take_quiz
from tests.helpers.quiz_readers import reader_id
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}

SHOW_QUESTION = 1  # the reader's latest attempt with its answers (one outer join)
SHOW_FEEDBACK = 2  # ... and the question's counters with its options' (one outer join)
SAVEPOINT = 2  # the test's transaction turns the answer's into a savepoint and its release
# The attempt with its answers; then insert, count the answer and its option (two upserts), read the counters.
POST_ANSWER = 5 + SAVEPOINT
POST_LAST_ANSWER = 7 + SAVEPOINT  # finishing also writes the attempt and counts its score (one upsert)
SHOW_RESULTS = 5  # attempt, its answers, questions (with claims), choices, score counters
SHOW_SHARED_RESULT = 2  # attempt, score counters
FIRST_RENDER = 3  # once per content version and step: the quiz, the question with its claim, its choices


def _quiz(questions: int, past_attempts: int):
    quiz = PublishedQuizFactory(questions=questions)
    for n in range(past_attempts):
        take_quiz(quiz, right=n % (questions + 1))
    return quiz


@pytest.fixture(scope="module")
def quiz_ids(django_db_setup, django_db_blocker) -> Iterator[tuple[int, int]]:
    """A short quiz nobody took, and a long one many readers finished: built once for the module (replaying
    25 attempts takes a while); each test's writes are rolled back (tests/helpers/shared_data.py)."""
    yield from built_once(django_db_blocker, lambda: (_quiz(3, 0).pk, _quiz(12, 25).pk))


@pytest.fixture
def quizzes(quiz_ids):
    return tuple(Quiz.objects.get(pk=pk) for pk in quiz_ids)


def _url(quiz, number: int) -> str:
    return reverse("quiz-question", kwargs={"slug": quiz.slug, "number": number})


def _answer_data(quiz, number: int) -> dict:
    question = list(quiz.questions.prefetch_related("choices"))[number - 1]
    return {"question": question.pk, "choice": next(c for c in question.choices.all() if c.is_correct).pk}


def _started(quiz) -> Client:
    client = Client()
    client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    return client


def _answered(quiz, up_to: int) -> Client:
    client = _started(quiz)
    for number in range(1, up_to + 1):
        assert client.post(_url(quiz, number), _answer_data(quiz, number)).status_code == 303
    return client


def _queries(call: Callable[..., HttpResponse], *args, status: int, **kwargs) -> int:
    """How many queries `call(*args, **kwargs)` (a test client request) runs."""
    with CaptureQueriesContext(connection) as queries:
        response = call(*args, **kwargs)
    assert response.status_code == status
    return len(queries)


def _assert_fixed(counts: list[int], budget: int) -> None:
    small, large = counts
    assert small == large, f"{small} queries on the small quiz, {large} on the large one"
    assert large == budget, f"{large} queries, the budget is {budget}"


def test_showing_a_question(quizzes):
    counts, first = [], []
    for quiz in quizzes:
        first.append(_queries(_started(quiz).get, _url(quiz, 1), status=200))
        counts.append(_queries(_started(quiz).get, _url(quiz, 1), status=200))  # another reader, same step
    _assert_fixed(counts, SHOW_QUESTION)
    _assert_fixed(first, SHOW_QUESTION + FIRST_RENDER)


def test_showing_the_next_question_with_htmx(quizzes):
    counts = []
    for quiz in quizzes:
        _answered(quiz, 1).get(_url(quiz, 2), headers=HX)
        client = _answered(quiz, 1)
        counts.append(_queries(client.get, _url(quiz, 2), headers=HX, status=200))
    _assert_fixed(counts, SHOW_QUESTION)


def test_showing_the_feedback(quizzes):
    counts = []
    for quiz in quizzes:
        _answered(quiz, 1).get(_url(quiz, 1))
        client = _answered(quiz, 1)
        counts.append(_queries(client.get, _url(quiz, 1), status=200))
    _assert_fixed(counts, SHOW_FEEDBACK)


def test_posting_an_answer_with_htmx(quizzes):
    counts = []
    for quiz in quizzes:
        data = _answer_data(quiz, 1)
        _started(quiz).post(_url(quiz, 1), data, headers=HX)
        counts.append(_queries(_started(quiz).post, _url(quiz, 1), data, headers=HX, status=200))
    _assert_fixed(counts, POST_ANSWER)


def test_posting_an_answer_without_javascript(quizzes, django_assert_max_num_queries):
    counts = []
    for quiz in quizzes:
        client, data = _answered(quiz, 1), _answer_data(quiz, 2)
        with django_assert_max_num_queries(POST_ANSWER):
            counts.append(_queries(client.post, _url(quiz, 2), data, status=303))
    _assert_fixed(counts, POST_ANSWER)


def test_posting_the_last_answer(quizzes):
    counts = []
    for quiz in quizzes:
        total = quiz.questions.count()
        client, data = _answered(quiz, total - 1), _answer_data(quiz, total)
        counts.append(_queries(client.post, _url(quiz, total), data, status=303))
    _assert_fixed(counts, POST_LAST_ANSWER)


def test_showing_the_results(quizzes):
    counts, shared_counts = [], []
    for quiz in quizzes:
        client = _answered(quiz, quiz.questions.count())
        url = Attempt.objects.get(reader=reader_id(client)).get_absolute_url()
        counts.append(_queries(client.get, url, status=200))
        shared_counts.append(_queries(Client().get, url, status=200))
    _assert_fixed(counts, SHOW_RESULTS)
    _assert_fixed(shared_counts, SHOW_SHARED_RESULT)
