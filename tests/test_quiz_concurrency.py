"""Many readers answering at once, through a real server: the counters must equal the rows.

Each reader is a browser of its own (cookie jar, session, CSRF token) talking
HTTP to pytest-django's live server, which serves every request on its own
thread and database connection. Every answer is also sent twice at the same
moment, as a double click or a replayed request would be.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db.models import Count, Q

from claims.models import Answer, Attempt, QuestionTally, ScoreTally
from tests.factories import PublishedQuizFactory

READERS = 12
QUESTIONS = 4

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.statuses: list[int] = []
        self.lock = threading.Lock()

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        with self.lock:
            self.statuses.append(status)
        return status, text

    def post(self, path: str, data: dict, *, htmx: bool) -> tuple[int, str]:
        headers = {"X-CSRFToken": self.csrf_token()}
        if htmx:
            headers["HX-Request"] = "true"
        return self.request(path, {**data, "csrfmiddlewaretoken": self.csrf_token()}, headers)


def _take_the_quiz(base_url: str, slug: str, plan: list[tuple[int, int]], htmx: bool) -> list[int]:
    """Start, then answer each question with two simultaneous identical posts; return every status."""
    browser = Browser(base_url)
    status, _ = browser.request(f"/quizzes/{slug}/")
    assert status == 200
    status, page = browser.post(f"/quizzes/{slug}/start/", {}, htmx=False)  # follows the 303 to question 1
    assert status == 200 and re.search(r'id="question"', page)
    with ThreadPoolExecutor(max_workers=2) as pair:
        for number, (question_id, choice_id) in enumerate(plan, start=1):
            data = {"question": question_id, "choice": choice_id}
            url = f"/quizzes/{slug}/q/{number}/"
            copies = [pair.submit(browser.post, url, data, htmx=htmx) for _ in range(2)]
            for copy in copies:
                copy.result()
    return browser.statuses


def test_concurrent_readers_are_counted_exactly_once_each(live_server):
    quiz = PublishedQuizFactory(questions=QUESTIONS)
    questions = list(quiz.questions.prefetch_related("choices"))
    plans = []
    for reader in range(READERS):
        # Reader r gets the first (r mod QUESTIONS+1) questions right: a spread of scores.
        right = reader % (QUESTIONS + 1)
        plans.append(
            [
                (q.pk, next(c.pk for c in q.choices.all() if c.is_correct == (n < right)))
                for n, q in enumerate(questions)
            ]
        )

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        futures = [
            pool.submit(_take_the_quiz, live_server.url, quiz.slug, plan, reader % 2 == 0)
            for reader, plan in enumerate(plans)
        ]
        statuses = [status for future in futures for status in future.result()]

    assert all(status < 500 for status in statuses), statuses
    # Each answer was posted twice: both copies are answered with the feedback, never an error.
    assert set(statuses) == {200}, statuses

    assert Attempt.objects.count() == READERS
    assert Answer.objects.count() == READERS * QUESTIONS
    assert all(a.is_finished and a.total == QUESTIONS for a in Attempt.objects.all())

    # The counters readers see equal what the rows say.
    rows = {
        row["question_id"]: (row["answered"], row["correct"])
        for row in Answer.objects.filter(attempt__counted=True)
        .values("question_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    tallies = {t.question_id: (t.answered, t.correct) for t in QuestionTally.objects.all()}
    assert tallies == rows
    assert all(answered == READERS for answered, _ in tallies.values())
    scores = dict(Attempt.objects.values("score").annotate(n=Count("pk")).values_list("score", "n"))
    assert dict(ScoreTally.objects.filter(quiz=quiz).values_list("score", "attempts")) == scores
    expected = {right: sum(1 for r in range(READERS) if r % (QUESTIONS + 1) == right) for right in range(QUESTIONS + 1)}
    assert scores == expected


def test_a_double_click_on_start_in_a_new_browser_opens_one_attempt(live_server):
    """Both posts leave before the first answer sets the reader cookie: they carry the CSRF cookie only, sent
    at the same moment, as a double click on Start in a browser that never took a quiz sends them."""
    quiz = PublishedQuizFactory(questions=2)
    browser = Browser(live_server.url)
    assert browser.request(f"/quizzes/{quiz.slug}/")[0] == 200
    assert not any(cookie.name == "quiz_reader" for cookie in browser.cookies)
    token = browser.csrf_token()

    def start() -> tuple[int, str]:
        # A connection of its own for each post, with the same CSRF cookie and nothing else; not following
        # the redirect (its cookie would go nowhere).
        address = urllib.parse.urlsplit(live_server.url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token})
        headers = {"Cookie": f"csrftoken={token}", "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", f"/quizzes/{quiz.slug}/start/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Location", "")

    with ThreadPoolExecutor(max_workers=2) as pair:
        answers = [future.result() for future in [pair.submit(start), pair.submit(start)]]

    assert answers == [(303, f"/quizzes/{quiz.slug}/q/1/")] * 2
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_two_browsers_starting_at_the_same_moment_are_two_readers(live_server):
    quiz = PublishedQuizFactory(questions=2)
    browsers = [Browser(live_server.url) for _ in range(2)]
    for browser in browsers:
        assert browser.request(f"/quizzes/{quiz.slug}/")[0] == 200
    with ThreadPoolExecutor(max_workers=2) as pair:
        for future in [pair.submit(b.post, f"/quizzes/{quiz.slug}/start/", {}, htmx=False) for b in browsers]:
            assert future.result()[0] == 200
    assert Attempt.objects.filter(quiz=quiz).values("reader").distinct().count() == 2
