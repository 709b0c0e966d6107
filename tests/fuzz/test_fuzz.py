"""Every malformed request of the corpus, sent to every URL pattern: never a 5xx, never a logged traceback.

Run with DEBUG off (the error handlers only answer then), through Django's
whole handler, which turns an exception into a logged 500 as in production
(tests/fuzz/sending.py). tests/fuzz/corpus.py says how to add a case.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.fuzz.corpus import CORPUS, EDITOR_CASES, JUNK_PATH_CASES, SECTIONS, Case
from tests.fuzz.sending import Sender, session_cookie
from tests.fuzz.site import make_site, stub_share_cards
from tests.fuzz.urls import junk_paths, patterns, real_path

pytestmark = [
    pytest.mark.django_db,
    # Junk in X-Forwarded-For becomes a rate-limit key that memcached would refuse (Redis and locmem take it).
    # Behind a real proxy the address we read is the one it appended, never the client's junk.
    pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning"),
]


class ProblemLog(logging.Handler):
    """Collects what must never be logged while answering a malformed request: ERRORs and tracebacks."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


@pytest.fixture
def problem_log():
    handler = ProblemLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


@pytest.fixture
def site(db, settings, monkeypatch) -> SimpleNamespace:
    settings.DEBUG = False
    # Read X-Forwarded-For (rate limits, axes) as behind one proxy, so the junk in it is used.
    settings.TRUSTED_PROXY_COUNT = 1
    # Every request reaches the API's views, not its 429 (tests/test_api.py tests the limit).
    settings.API_RATE = "1000000/60"
    stub_share_cards(monkeypatch)
    return make_site()


def run(
    case: Case, paths: list[str], site: SimpleNamespace, problem_log: ProblemLog, users: tuple[str, ...]
) -> list[str]:
    """Send `case` to each path as each of `users` ("anonymous", "editor"); say what went wrong, request by request."""
    sender = Sender()
    failures = []
    for who in users:
        cookie = session_cookie(site.editor) if who == "editor" else ""
        for path in paths:
            logged = len(problem_log.records)
            label = f"{case.name}: {who} {case.method[:20]} {path[:100]}"
            try:
                response = sender.send(
                    case.method,
                    path + case.path_suffix + (f"?{case.query}" if case.query else ""),
                    body=case.body,
                    content_type=case.content_type,
                    headers=case.headers,
                    cookie=cookie,
                    secure=case.secure,
                    enforce_csrf=case.enforce_csrf,
                )
            except Exception as error:  # escaped every handler: a bare 500 from the server
                failures.append(f"{label}: raised {type(error).__name__}: {str(error)[:200]}")
                continue
            if response.status_code >= 500:
                failures.append(f"{label}: {response.status_code}")
            for record in problem_log.records[logged:]:
                failures.append(f"{label}: logged {record.levelname} on {record.name}: {record.getMessage()[:200]}")
            if cookie and settings.SESSION_COOKIE_NAME in response.cookies:
                cookie = session_cookie(site.editor)  # signed out (a POST to the admin's logout) or a new session
    return failures


def run_all(cases: list[Case], paths: list[str], site, problem_log, users: tuple[str, ...]) -> None:
    failures = [failure for case in cases for failure in run(case, paths, site, problem_log, users)]
    assert not failures, f"{len(failures)} requests went wrong:\n" + "\n".join(failures[:30])


@pytest.mark.parametrize("section", SECTIONS)
def test_every_url_survives(section, site, problem_log):
    paths = [real_path(pattern, site) for pattern in patterns()]
    run_all(SECTIONS[section], paths, site, problem_log, users=("anonymous",))


def test_every_url_survives_as_an_editor(site, problem_log):
    """Signed in, the admin's forms and lists (and previews) read the request: the cases that reach them."""
    paths = [real_path(pattern, site) for pattern in patterns()]
    run_all(EDITOR_CASES, paths, site, problem_log, users=("editor",))


def test_every_url_survives_junk_path_values(site, problem_log):
    paths = [path for pattern in patterns() for path in junk_paths(pattern)]
    run_all(JUNK_PATH_CASES, paths, site, problem_log, users=("anonymous", "editor"))


def test_the_corpus_has_unique_names_and_covers_the_brief():
    names = [case.name for case in CORPUS]
    assert len(names) == len(set(names))
    methods = {case.method for case in CORPUS}
    assert {"GET", "POST", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "get"} <= methods
    assert any("charset=utf-16" in case.content_type for case in CORPUS)
    assert any(len(case.body) >= 1_000_000 for case in CORPUS)
    assert any(len(case.path_suffix) >= 10_000 for case in CORPUS)
    assert any(case.query.count("&") >= 1_999 for case in CORPUS)
