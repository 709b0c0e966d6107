"""Simulated quiz readers over plain HTTP, for the benchmark and the production fault tests.

Standard library only (http.client), so the load runs in its own threads
without extra packages. A Reader is one browser: its own cookies (session and
CSRF token), one request at a time. It can move between app servers
(`switch`), which is how the scale-out test checks that sessions are shared.

Answers are posted the way htmx posts them (HX-Request), so each answer is a
single request whose 200 response is the feedback fragment.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

QUESTION_ID = re.compile(r'name="question" value="(\d+)"')
CHOICE_ID = re.compile(r'name="choice" value="(\d+)" id="choice-\d+"')
# A number guess: the typed box's range (the slider has no name and is not sent).
GUESS_RANGE = re.compile(r'<input type="number" id="guess" name="guess"[^>]*? min="(-?[\d.]+)" max="(-?[\d.]+)"')
RESULT_URL = re.compile(r'href="(/quizzes/[\w-]+/results/([\w-]+)/)"')
PERCENT_RIGHT = re.compile(r'id="readers-right">(\d+)% of readers got this right')

# What a connection to a server that is restarting or has just lost a worker raises.
TRANSPORT_ERRORS = (OSError, http.client.HTTPException, socket.timeout)


@dataclass
class Reply:
    status: int  # 0 when the request failed in transport (reset, refused, timeout)
    headers: dict[str, str]
    body: str
    seconds: float
    error: str = ""

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Question:
    pk: int
    choices: list[int]  # a choice question's choice ids; a number guess's guesses to send (lowest, middle, highest)
    field: str = "choice"  # the form field the answer is sent in: "choice", or "guess" for a number guess


def read_question(body: str) -> Question | None:
    """The question on a question page, as a reader's form would answer it; None if the page has no form."""
    question_id = QUESTION_ID.search(body)
    if question_id is None:
        return None
    guess = GUESS_RANGE.search(body)
    if guess is not None:
        low, high = int(float(guess.group(1))), int(float(guess.group(2)))
        return Question(int(question_id.group(1)), [low, (low + high) // 2, high], field="guess")
    return Question(int(question_id.group(1)), [int(c) for c in CHOICE_ID.findall(body)])


@dataclass
class QuizMap:
    """What a reader needs to answer without reading the pages first: question and choice ids, in order."""

    slug: str
    questions: list[Question]

    @property
    def total(self) -> int:
        return len(self.questions)


@dataclass
class Reader:
    host: str
    port: int
    timeout: float = 10.0
    cookies: dict[str, str] = field(default_factory=dict)
    # Sent as X-Forwarded-For: the reader's address as a trusted proxy would report it.
    forwarded_for: str | None = None

    def switch(self, port: int) -> None:
        """Continue with the same cookies on another app server."""
        self.port = port

    def forget(self) -> None:
        """A new browser: no session, no CSRF token."""
        self.cookies.clear()

    def request(self, method: str, path: str, form: dict[str, str] | None = None, htmx: bool = False) -> Reply:
        headers = {"Host": self.host}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django accepts the unmasked cookie value as the token.
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(raw)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            reply_headers = {k.lower(): v for k, v in response.getheaders()}
            return Reply(response.status, reply_headers, text, time.perf_counter() - started)
        except TRANSPORT_ERRORS as error:
            return Reply(0, {}, "", time.perf_counter() - started, error=f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    # The quiz -----------------------------------------------------------------

    def open_quiz(self, slug: str) -> Reply:
        """The intro page: gives the browser its CSRF cookie."""
        return self.request("GET", f"/quizzes/{slug}/")

    def start(self, slug: str) -> Reply:
        """Start (or resume) an attempt: 303 to the first unanswered question."""
        if "csrftoken" not in self.cookies:
            self.open_quiz(slug)
        return self.request("POST", f"/quizzes/{slug}/start/", form={})

    def answer(self, slug: str, number: int, question: Question, choice: int) -> Reply:
        return self.request(
            "POST",
            f"/quizzes/{slug}/q/{number}/",
            form={"question": str(question.pk), question.field: str(choice)},
            htmx=True,
        )


def is_answer_recorded(reply: Reply) -> bool:
    """The feedback fragment: the answer is stored (now, or by an earlier try of the same request)."""
    return reply.status == 200 and 'id="feedback"' in reply.body


def result_token(reply: Reply) -> str | None:
    match = RESULT_URL.search(reply.body)
    return match.group(2) if match else None


def discover_quiz(host: str, port: int, slug: str) -> QuizMap:
    """Walk through the quiz once as a reader, reading each question's ids from its form."""
    reader = Reader(host, port)
    started = reader.start(slug)
    if started.status != 303:
        raise RuntimeError(f"starting the quiz answered {started.status} {started.error}")
    questions: list[Question] = []
    number = 1
    while True:
        page = reader.request("GET", f"/quizzes/{slug}/q/{number}/")
        if page.status != 200:
            break
        question = read_question(page.body)
        if question is None or not question.choices:
            raise RuntimeError(f"question {number} has no answer form")
        questions.append(question)
        reply = reader.answer(slug, number, question, question.choices[0])
        if not is_answer_recorded(reply):
            raise RuntimeError(f"answering question {number} answered {reply.status}")
        if result_token(reply):
            break
        number += 1
    if not questions:
        raise RuntimeError("the quiz has no questions")
    return QuizMap(slug, questions)
