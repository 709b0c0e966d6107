"""Query budgets: each quiz step runs a fixed number of SQL queries, whatever the quiz and its history.

Every step is measured on a small quiz nobody has taken and on a long quiz with
many past attempts: the counts must be equal, and within the budget. (Equal
rather than a hard-coded exact number because the session read is a query on
SQLite and a cache hit with Redis' cached_db sessions in CI.) The budgets
include the session read and the transaction's savepoints.
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
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}

SHOW_QUESTION = 6  # session, quiz, questions (with claims), choices, attempt, answers
SHOW_FEEDBACK = 7  # ... and the question's tally
POST_ANSWER_HTMX = 17  # ... and the transaction: lock, re-read, insert, two tally writes, savepoints
POST_ANSWER_PAGE = 16  # post/redirect/get: the tally is read by the GET that follows
POST_LAST_ANSWER = 19  # finishing also writes the attempt and the score tally
SHOW_RESULTS = 8  # session, quiz, attempt, questions, choices, answers with choices, score tallies
SHOW_SHARED_RESULT = 3  # quiz, attempt, score tallies (a visitor has no session)


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
    assert large <= budget


def test_showing_a_question(quizzes):
    counts = []
    for quiz in quizzes:
        client = _started(quiz)
        counts.append(_queries(client.get, _url(quiz, 1), status=200))
    _assert_fixed(counts, SHOW_QUESTION)


def test_showing_the_next_question_with_htmx(quizzes):
    counts = []
    for quiz in quizzes:
        client = _answered(quiz, 1)
        counts.append(_queries(client.get, _url(quiz, 2), headers=HX, status=200))
    _assert_fixed(counts, SHOW_QUESTION)


def test_showing_the_feedback(quizzes):
    counts = []
    for quiz in quizzes:
        client = _answered(quiz, 1)
        counts.append(_queries(client.get, _url(quiz, 1), status=200))
    _assert_fixed(counts, SHOW_FEEDBACK)


def test_posting_an_answer_with_htmx(quizzes):
    counts = []
    for quiz in quizzes:
        client, data = _started(quiz), _answer_data(quiz, 1)
        counts.append(_queries(client.post, _url(quiz, 1), data, headers=HX, status=200))
    _assert_fixed(counts, POST_ANSWER_HTMX)


def test_posting_an_answer_without_javascript(quizzes, django_assert_max_num_queries):
    counts = []
    for quiz in quizzes:
        client, data = _answered(quiz, 1), _answer_data(quiz, 2)
        with django_assert_max_num_queries(POST_ANSWER_PAGE):
            counts.append(_queries(client.post, _url(quiz, 2), data, status=303))
    _assert_fixed(counts, POST_ANSWER_PAGE)


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
        url = Attempt.objects.get(reader=client.session["quiz_reader"]).get_absolute_url()
        counts.append(_queries(client.get, url, status=200))
        shared_counts.append(_queries(Client().get, url, status=200))
    _assert_fixed(counts, SHOW_RESULTS)
    _assert_fixed(shared_counts, SHOW_SHARED_RESULT)
