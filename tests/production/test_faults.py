"""Faults under load: a killed worker, Redis going away, PostgreSQL dropping connections.

gunicorn (2 workers, nginx in front) runs against this module's own PostgreSQL database and
redis-server while readers answer the quiz; each test breaks one thing, mends
it, and checks that no acknowledged answer is lost or doubled, that the
statistics equal the rows, and that readers never saw a 500 or a stack trace.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from scripts import stack
from scripts.quizclient import Reader
from tests.production.conftest import (
    OUTAGE_TEXT,
    AnswerStream,
    assert_answers_match_rows,
    assert_statistics_match_rows,
    shown_percent_matches_rows,
    stored_answers,
)

pytestmark = pytest.mark.production

PERMALINK = "/claims/us-officials-discussed-1000-apprehensions-a-day/"


@pytest.fixture(scope="module")
def server(site, quiz_map) -> stack.Fronted:
    return site.start_gunicorn(workers=2)


def assert_no_server_error(stream: AnswerStream, site, *, worker_killed: bool = False) -> None:
    # A worker killed mid-request drops its connection: nginx reports that to the reader as a 502 (what a
    # reset connection was without nginx), which the reader retries. Nothing else may answer 5xx but 503.
    tolerated = {503, 502} if worker_killed else {503}
    errors = [s for s in stream.seen if s.status >= 500 and s.status not in tolerated]
    assert not errors, f"{len(errors)} server errors, first: {errors[0].status} {errors[0].body[:500]}"
    for seen in stream.seen:
        assert "Traceback" not in seen.body, seen.body[:1000]
        if seen.status == 503 and seen.what != "health":
            assert OUTAGE_TEXT in seen.body, seen.body[:500]


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def test_a_killed_worker_loses_no_answer(site, server, quiz_map):
    started = time.monotonic()
    before = stored_answers(site)
    stream = AnswerStream([server.port], quiz_map, readers=4)
    stream.start()
    try:
        wait_until(lambda: stream.acknowledged_between(0) >= 10, 15, "no answers before the fault")
        killed = []
        for _ in range(2):
            workers = server.worker_pids()
            assert len(workers) == 2, workers
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])
            # gunicorn's master replaces the worker by itself.
            wait_until(
                lambda k=killed[-1]: len(server.worker_pids()) == 2 and k not in server.worker_pids(),
                10,
                "the killed worker was not replaced",
            )
            time.sleep(1.0)
        mended = time.monotonic()
        wait_until(lambda: stream.acknowledged_between(mended) >= 10, 15, "answers did not resume")
    finally:
        stream.stop()
    assert_no_server_error(stream, site, worker_killed=True)
    assert_answers_match_rows(site, stream, before)
    assert_statistics_match_rows(site)
    shown, counted = shown_percent_matches_rows(site, server.port)
    assert shown == counted
    assert time.monotonic() - started < 60


def test_site_keeps_serving_while_redis_is_away(site, server, quiz_map):
    started = time.monotonic()
    before = stored_answers(site)
    stream = AnswerStream([server.port], quiz_map, readers=4)
    browser = Reader(stack.HOST, server.port)
    assert browser.request("GET", PERMALINK).status == 200
    stream.start()
    try:
        wait_until(lambda: stream.acknowledged_between(0) >= 10, 15, "no answers before the fault")
        site.redis.stop()
        away = time.monotonic()
        pages = []
        while time.monotonic() - away < 4:
            pages.append(browser.request("GET", PERMALINK).status)
            time.sleep(0.1)
        back = time.monotonic()
        answered_while_away = stream.acknowledged_between(away, back)
        site.redis.start()  # same port, empty: a restarted Redis without persistence
        wait_until(lambda: stream.acknowledged_between(time.monotonic() - 1) >= 5, 15, "answers did not go on")
    finally:
        stream.stop()
    assert set(pages) == {200}, pages
    assert answered_while_away > 0, "readers could not answer while Redis was away"
    assert stream.statuses(away, back)[503] == 0
    assert_no_server_error(stream, site)
    assert_answers_match_rows(site, stream, before)
    assert_statistics_match_rows(site)
    shown, counted = shown_percent_matches_rows(site, server.port)
    assert shown == counted
    assert time.monotonic() - started < 60


def test_database_outage_is_a_503_and_service_returns_by_itself(site, server, quiz_map):
    started = time.monotonic()
    before = stored_answers(site)
    stream = AnswerStream([server.port], quiz_map, readers=4)
    browser = Reader(stack.HOST, server.port)
    reader = Reader(stack.HOST, server.port)
    assert browser.request("GET", PERMALINK).status == 200  # now in the page cache
    assert reader.start(quiz_map.slug).status == 303
    stream.start()
    outage_pages = []
    health = []
    try:
        wait_until(lambda: stream.acknowledged_between(0) >= 10, 15, "no answers before the fault")
        # Refuse new connections to this database only, then drop the ones the workers hold.
        stack.set_database_accepts_connections(site.db_name, False)
        try:
            assert stack.terminate_backends(site.db_name) > 0
            away = time.monotonic()
            while time.monotonic() - away < 4:
                outage_pages.append(reader.request("GET", f"/quizzes/{quiz_map.slug}/q/1/"))
                health.append(browser.request("GET", "/healthz").status)
                cached = browser.request("GET", PERMALINK)
                assert cached.status == 200, "a cached page needs no database"
                time.sleep(0.2)
            back = time.monotonic()
        finally:
            stack.set_database_accepts_connections(site.db_name, True)
        # No restart, no intervention: the next requests reconnect.
        wait_until(lambda: browser.request("GET", "/healthz").status == 200, 10, "/healthz did not recover")
        wait_until(lambda: stream.acknowledged_between(back) >= 10, 15, "answers did not resume")
    finally:
        stream.stop()
    statuses = {page.status for page in outage_pages}
    assert statuses == {503}, statuses
    for page in outage_pages:
        assert OUTAGE_TEXT in page.body and "Traceback" not in page.body
        assert page.headers["retry-after"] == "5"
    assert set(health) == {503}
    assert stream.statuses(away, back)[503] > 0, "the readers should have met the outage too"
    assert_no_server_error(stream, site)
    assert_answers_match_rows(site, stream, before)
    assert_statistics_match_rows(site)
    shown, counted = shown_percent_matches_rows(site, server.port)
    assert shown == counted
    assert time.monotonic() - started < 60
