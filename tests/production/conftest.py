"""Fixtures for the production tests that run the real stack: nginx, gunicorn, PostgreSQL and a private Redis.

Each module gets a throwaway PostgreSQL database (factcheck_fault_<pid>_<n>,
dropped afterwards) and a redis-server of its own on a spare loopback port
(never the machine's 6379). Every app server is gunicorn with nginx in front
(deploy/nginx.conf.template), as on a host. Without PostgreSQL, redis-server or
nginx the tests are skipped locally and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.test import override_settings

from scripts import stack
from scripts.quizclient import (
    PERCENT_RIGHT,
    QuizMap,
    Reader,
    Reply,
    discover_quiz,
    is_answer_recorded,
    result_token,
)

QUIZ_SLUG = "us-proposals-to-mexico-quiz"
OUTAGE_TEXT = "trouble reaching our database"
_database_numbers = itertools.count(1)


def _require_services() -> None:
    missing = []
    if not stack.postgres_answers():
        missing.append("PostgreSQL at 127.0.0.1:5432")
    if stack.redis_server_binary() is None:
        missing.append("redis-server")
    if stack.nginx_binary() is None:
        missing.append("nginx (apt-get install nginx-light)")
    if missing:
        message = f"production tests need {' and '.join(missing)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def _real_password_hashers(real_password_hashers: list[str]) -> Iterator[None]:
    """These tests run the deployment's stack: the fast test hasher of tests/conftest.py does not apply."""
    with override_settings(PASSWORD_HASHERS=real_password_hashers):
        yield


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic once per run: the manifest that DEBUG=0 pages need, shared by every site."""
    _require_services()
    root = tmp_path_factory.mktemp("static")
    env = stack.production_env(
        database_url=f"sqlite:///{root.parent / 'collect.sqlite3'}", redis_url=None, static_root=root
    )
    stack.manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    return root


@dataclass
class Site:
    """One deployment: a database, a Redis and any number of gunicorn instances sharing them."""

    db_name: str
    env: dict[str, str]
    redis: stack.RedisServer
    logs: Path
    servers: list[stack.Fronted] = field(default_factory=list)
    quiz: QuizMap | None = None

    def start_gunicorn(self, workers: int = 2, **env: str) -> stack.Fronted:
        """gunicorn with nginx in front: `.port` is nginx's, where readers go; `.app` is gunicorn."""
        n = len(self.servers)
        server = stack.Fronted(
            {**self.env, **env},
            workers=workers,
            log=self.logs / f"gunicorn-{n}.log",
            directory=self.logs / f"nginx-{n}",
        )
        self.servers.append(server)
        server.start()
        return server

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(sql, params).fetchall()

    def server_log(self) -> str:
        logs = [*sorted(self.logs.glob("gunicorn-*.log")), *sorted(self.logs.glob("nginx-*/error.log"))]
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in logs)


@pytest.fixture(scope="module")
def site(collected_static, tmp_path_factory) -> Iterator[Site]:
    _require_services()
    db_name = f"factcheck_fault_{os.getpid()}_{next(_database_numbers)}"
    redis = stack.RedisServer()
    env = stack.production_env(
        database_url=stack.create_database(db_name),
        redis_url=redis.url,
        static_root=collected_static,
        # One key for every instance, as in a real deployment: sessions and CSRF tokens must verify anywhere.
        secret_key=secrets.token_urlsafe(50),
        CONN_MAX_AGE="60",
        GUNICORN_TIMEOUT="20",
        # Behind one nginx: the client is the last address of X-Forwarded-For.
        TRUSTED_PROXY_COUNT="1",
        # Uploaded pictures: nginx serves them from here (never the checkout's media/).
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
    )
    site = Site(db_name=db_name, env=env, redis=redis, logs=tmp_path_factory.mktemp("logs"))
    try:
        redis.start()
        stack.prepare_site(env, collectstatic=False)
        yield site
    finally:
        for server in site.servers:
            server.stop()
        redis.stop()
        stack.drop_database(db_name)


@dataclass
class ClientAttempt:
    """What one simulated reader knows about one attempt: the answers acknowledged to it."""

    acknowledged: int = 0
    token: str | None = None


@dataclass
class Seen:
    at: float
    port: int
    what: str
    status: int
    body: str


class AnswerStream:
    """Readers answering the quiz continuously, each in a fresh session per attempt.

    A request that fails (connection reset by a killed worker, 503 while the
    database is away) is sent again until the server acknowledges it: answering
    is idempotent, so the acknowledged answers are exactly what must be stored.
    On stop, every reader finishes the attempt it is in, so each attempt ends
    with a result token that the test can match against the rows.
    """

    def __init__(self, ports: list[int], quiz: QuizMap, readers: int = 4, pause: float = 0.02) -> None:
        self.ports = ports
        self.quiz = quiz
        self.readers = readers
        self.pause = pause
        self.attempts: list[ClientAttempt] = []
        self.seen: list[Seen] = []
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._hard_deadline = 0.0

    # Recording --------------------------------------------------------------

    def _record(self, reader: Reader, what: str, reply: Reply) -> None:
        body = reply.body if reply.status >= 400 else ""
        with self._lock:
            self.seen.append(Seen(time.monotonic(), reader.port, what, reply.status, body or reply.error))

    def statuses(self, since: float = 0.0, until: float = float("inf")) -> Counter:
        with self._lock:
            return Counter(s.status for s in self.seen if since <= s.at < until)

    def acknowledged_between(self, since: float, until: float = float("inf")) -> int:
        with self._lock:
            return sum(1 for s in self.seen if s.what == "answer" and s.status == 200 and since <= s.at < until)

    # The readers ------------------------------------------------------------

    def _send(self, reader: Reader, what: str, call) -> Reply:
        """Send until the server gives a definite answer; transport errors and 503s are retried."""
        while True:
            reply = call()
            self._record(reader, what, reply)
            if reply.status not in (0, 502, 503, 504):
                return reply
            if time.monotonic() > self._hard_deadline:
                raise TimeoutError(f"{what}: no definite answer before the deadline ({reply.status} {reply.error})")
            time.sleep(0.1)

    def _reader_loop(self, index: int) -> None:
        try:
            turn = 0
            while not self._stopping.is_set():
                port = self.ports[turn % len(self.ports)]
                reader = Reader(stack.HOST, port, timeout=10)
                self._send(reader, "intro", lambda r=reader: r.open_quiz(self.quiz.slug))
                started = self._send(
                    reader, "start", lambda r=reader: r.request("POST", f"/quizzes/{self.quiz.slug}/start/", form={})
                )
                if started.status != 303:
                    raise AssertionError(f"start answered {started.status}")
                attempt = ClientAttempt()
                with self._lock:
                    self.attempts.append(attempt)
                for number, question in enumerate(self.quiz.questions, start=1):
                    # Readers hop between instances when there are several: the session must follow them.
                    reader.switch(self.ports[(turn + number) % len(self.ports)])
                    choice = question.choices[(index + number + turn) % len(question.choices)]
                    reply = self._send(
                        reader,
                        "answer",
                        lambda r=reader, n=number, q=question, c=choice: r.answer(self.quiz.slug, n, q, c),
                    )
                    if not is_answer_recorded(reply):
                        raise AssertionError(f"answer {number} answered {reply.status}: {reply.body[:300]}")
                    attempt.acknowledged += 1
                    if number == self.quiz.total:
                        attempt.token = result_token(reply)
                    time.sleep(self.pause)
                turn += 1
        except Exception as error:  # reported by stop(), in the test's thread
            with self._lock:
                self.failures.append(f"reader {index}: {type(error).__name__}: {error}")

    def start(self, max_seconds: float = 45.0) -> None:
        self._hard_deadline = time.monotonic() + max_seconds
        self._threads = [
            threading.Thread(target=self._reader_loop, args=(i,), daemon=True, name=f"reader-{i}")
            for i in range(self.readers)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Let every reader finish its attempt, then stop; fails the test if a reader failed."""
        self._stopping.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        assert not alive, f"readers still running after {timeout} s: {alive}"
        assert not self.failures, self.failures

    @property
    def acknowledged(self) -> dict[str, int]:
        return {a.token: a.acknowledged for a in self.attempts if a.token}


def stored_answers(site: Site) -> dict[str, int]:
    """Answer rows per attempt, by the attempt's result token."""
    return dict(
        site.query(
            "SELECT a.token, count(ans.id) FROM claims_attempt a JOIN claims_answer ans ON ans.attempt_id = a.id"
            " GROUP BY a.token"
        )
    )


def assert_answers_match_rows(site: Site, stream: AnswerStream, before: dict[str, int]) -> None:
    """Every acknowledged answer is stored exactly once, and nothing unacknowledged is.

    `before` is stored_answers() from before the stream started: those rows are not the stream's.
    """
    unfinished = [a for a in stream.attempts if a.token is None]
    assert not unfinished, f"{len(unfinished)} attempts were not finished by their readers"
    rows = {token: n for token, n in stored_answers(site).items() if before.get(token) != n}
    assert sum(stream.acknowledged.values()) > 0
    assert rows == stream.acknowledged, (
        f"lost: { {t: n for t, n in stream.acknowledged.items() if rows.get(t) != n} }, "
        f"unacknowledged: { {t: n for t, n in rows.items() if t not in stream.acknowledged} }"
    )


def assert_statistics_match_rows(site: Site) -> None:
    """The counters readers are shown equal a count over the Answer and Attempt rows."""
    by_rows = {
        question: (answered, correct)
        for question, answered, correct in site.query(
            "SELECT ans.question_id, count(*), count(*) FILTER (WHERE ans.is_correct)"
            " FROM claims_answer ans JOIN claims_attempt a ON a.id = ans.attempt_id WHERE a.counted"
            " GROUP BY ans.question_id"
        )
    }
    by_counters = {
        question: (answered, correct)
        for question, answered, correct in site.query(
            "SELECT question_id, answered, correct FROM claims_questiontally WHERE answered > 0"
        )
    }
    assert by_counters == by_rows
    scores_by_rows = dict(
        site.query(
            "SELECT score, count(*) FROM claims_attempt WHERE counted AND finished_at IS NOT NULL GROUP BY score"
        )
    )
    scores_by_counters = dict(site.query("SELECT score, attempts FROM claims_scoretally WHERE attempts > 0"))
    assert scores_by_counters == scores_by_rows


def shown_percent_matches_rows(site: Site, port: int) -> tuple[int, int]:
    """A new reader answers question 1 and reads "N% of readers got this right"; the rows give the same N."""
    quiz = site.quiz
    assert quiz is not None
    reader = Reader(stack.HOST, port)
    assert reader.start(quiz.slug).status == 303
    question = quiz.questions[0]
    reply = reader.answer(quiz.slug, 1, question, question.choices[0])
    assert is_answer_recorded(reply), reply.status
    match = PERCENT_RIGHT.search(reply.body)
    assert match, reply.body[:500]
    ((answered, correct),) = site.query(
        "SELECT count(*), count(*) FILTER (WHERE ans.is_correct) FROM claims_answer ans"
        " JOIN claims_attempt a ON a.id = ans.attempt_id WHERE a.counted AND ans.question_id = %s",
        (question.pk,),
    )
    return int(match.group(1)), round(100 * correct / answered)


@pytest.fixture(scope="module")
def quiz_map(site) -> QuizMap:
    """The quiz's ids, read by walking it once on a throwaway instance; that attempt is the baseline."""
    server = site.start_gunicorn(workers=1)
    try:
        quiz = discover_quiz(stack.HOST, server.port, QUIZ_SLUG)
    finally:
        server.stop()
        site.servers.remove(server)
    site.quiz = quiz
    return quiz
