"""Two app servers behind an imaginary load balancer share one PostgreSQL and one Redis.

Each instance is gunicorn with nginx in front. Readers hop between the instances on every request; what must be shared
(sessions, statistics, the quiz's counted-attempt limit, the page cache and
its invalidation, the admin lockout) must behave as if there were one server.
"""

from __future__ import annotations

import time

import pytest

from scripts import stack
from scripts.quizclient import Reader, is_answer_recorded, result_token
from tests.production.conftest import (
    AnswerStream,
    assert_answers_match_rows,
    assert_statistics_match_rows,
    shown_percent_matches_rows,
    stored_answers,
)

pytestmark = pytest.mark.production

CLAIM_SLUG = "us-officials-discussed-1000-apprehensions-a-day"


@pytest.fixture(scope="module")
def instances(site, quiz_map) -> tuple[stack.Fronted, stack.Fronted]:
    return site.start_gunicorn(workers=2), site.start_gunicorn(workers=2)


def test_a_session_started_on_one_instance_continues_on_the_other(instances, quiz_map):
    a, b = instances
    reader = Reader(stack.HOST, a.port)
    assert reader.start(quiz_map.slug).status == 303
    reader.switch(b.port)
    page = reader.request("GET", f"/quizzes/{quiz_map.slug}/q/1/")
    assert page.status == 200 and 'name="question"' in page.body, "B does not know the attempt started on A"
    question = quiz_map.questions[0]
    assert is_answer_recorded(reader.answer(quiz_map.slug, 1, question, question.choices[0]))
    reader.switch(a.port)
    # A shows the feedback for the answer given on B, and moves on to question 2.
    assert 'id="feedback"' in reader.request("GET", f"/quizzes/{quiz_map.slug}/q/1/").body
    assert reader.request("GET", f"/quizzes/{quiz_map.slug}/q/3/").location.endswith("/q/2/")


def test_answers_across_instances_are_exact_and_statistics_agree(site, instances, quiz_map):
    started = time.monotonic()
    a, b = instances
    before = stored_answers(site)
    stream = AnswerStream([a.port, b.port], quiz_map, readers=4)
    stream.start()
    try:
        deadline = time.monotonic() + 20
        while stream.acknowledged_between(0) < 60 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stream.stop()
    assert {s.port for s in stream.seen} == {a.port, b.port}
    assert not [s for s in stream.seen if s.status >= 500], "no fault was injected: nothing may fail"
    assert_answers_match_rows(site, stream, before)
    assert_statistics_match_rows(site)
    # Either instance shows the same, exact statistic.
    shown_a, counted_a = shown_percent_matches_rows(site, a.port)
    shown_b, counted_b = shown_percent_matches_rows(site, b.port)
    assert (shown_a, shown_b) == (counted_a, counted_b)
    assert time.monotonic() - started < 60


def test_the_counted_attempts_limit_is_shared(site, instances, quiz_map):
    """A reader's first 3 attempts count in the statistics, wherever they are started (a counter in Redis)."""
    a, b = instances
    reader = Reader(stack.HOST, a.port)
    tokens = []
    for attempt in range(5):
        # Start on A, then B, then A...: a per-process counter would let every one of them count.
        reader.switch((a, b)[attempt % 2].port)
        assert reader.start(quiz_map.slug).status == 303
        for number, question in enumerate(quiz_map.questions, start=1):
            reader.switch((a, b)[(attempt + number) % 2].port)
            reply = reader.answer(quiz_map.slug, number, question, question.choices[-1])
            assert is_answer_recorded(reply), (number, reply.status)
        tokens.append(result_token(reply))
    counted = dict(site.query("SELECT token, counted FROM claims_attempt WHERE token = ANY(%s)", (tokens,)))
    assert [counted[t] for t in tokens] == [True, True, True, False, False]
    assert_statistics_match_rows(site)


def test_an_edit_is_visible_on_every_instance(site, instances):
    """The page cache is in Redis: an edit made anywhere bumps the version every instance reads."""
    a, b = instances
    path = f"/claims/{CLAIM_SLUG}/"
    for server in instances:
        assert stack.http_get(server.port, path)[0] == 200  # cached on both
    explanation = f"An explanation edited at {time.time_ns()}."
    # A chief editor's save through the editorial action, as the admin makes it, from a third process (a
    # management shell on any host), acting as the demo's reviewing system actor.
    stack.manage(
        site.env,
        "shell",
        "-c",
        "from claims import editorial; from claims.models import Claim; "
        f"c = Claim.objects.get(slug={CLAIM_SLUG!r}); c.explanation = {explanation!r}; "
        "editorial.claim_save(claim=c, sources=list(c.sources.all()), by=editorial.DEMO_REVIEWER)",
    )
    for server in (a, b):
        status, body = stack.http_get(server.port, path)
        assert status == 200 and explanation in body, f"instance on {server.port} still serves the old page"


def test_the_admin_lockout_is_shared(instances):
    """django-axes counts failed sign-ins in the database: 5 failures spread over both instances lock both."""
    a, b = instances
    reader = Reader(stack.HOST, a.port)
    assert reader.request("GET", "/admin/login/").status == 200  # the CSRF cookie
    statuses = []
    for attempt in range(5):
        reader.switch((a, b)[attempt % 2].port)
        reply = reader.request("POST", "/admin/login/", form={"username": "nobody", "password": f"wrong-{attempt}"})
        statuses.append(reply.status)
    assert 429 not in statuses[:4], statuses
    for server in (a, b):
        reader.switch(server.port)
        reply = reader.request("POST", "/admin/login/", form={"username": "nobody", "password": "another"})
        assert reply.status == 429 and "Too many failed sign-ins" in reply.body, (server.port, reply.status)


def test_per_client_rate_limits_are_shared(site, quiz_map):
    """The limit on starting attempts counts in Redis: starts spread over two instances add up."""
    # A load balancer in front of each instance's nginx wrote the client's address (forwarded_for below);
    # nginx appends the balancer's (127.0.0.1): two trusted proxies.
    pair = [site.start_gunicorn(workers=1, QUIZ_START_RATE="3/600", TRUSTED_PROXY_COUNT="2") for _ in range(2)]
    statuses = []
    for attempt in range(5):
        # A new browser each time, all behind the same client address, alternating instances.
        reader = Reader(stack.HOST, pair[attempt % 2].port, forwarded_for="203.0.113.77")
        statuses.append(reader.start(quiz_map.slug).status)
    assert statuses == [303, 303, 303, 429, 429], statuses
    other = Reader(stack.HOST, pair[0].port, forwarded_for="203.0.113.78")
    assert other.start(quiz_map.slug).status == 303, "another client has its own allowance"
