"""HEAD, OPTIONS and unknown methods on every URL (factcheck/http_methods.py)."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.views.generic import RedirectView

from factcheck.http_methods import HttpMethodsMiddleware, view_methods
from tests.fuzz.sending import Sender, session_cookie
from tests.fuzz.site import make_site, stub_share_cards
from tests.fuzz.urls import junk_paths, patterns, real_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, monkeypatch):
    settings.DEBUG = False
    # Every request reaches the API's views, not its 429 (tests/test_api.py tests the limit).
    settings.API_RATE = "1000000/60"
    stub_share_cards(monkeypatch)
    return make_site()


def _allow(response) -> list[str]:
    return [method.strip() for method in response["Allow"].split(",")]


def test_head_answers_every_url_with_the_status_of_get_and_no_body(site):
    """Through the whole handler (the test client would strip the body itself), anonymously and signed in."""
    sender = Sender()
    failures = []
    for cookie in ("", session_cookie(site.editor)):
        for pattern in patterns():
            for path in [real_path(pattern, site), *junk_paths(pattern)]:
                get = sender.send("GET", path, cookie=cookie)
                head = sender.send("HEAD", path, cookie=cookie)
                if head.status_code != get.status_code or head.content:
                    failures.append(f"{path[:80]}: GET {get.status_code}, HEAD {head.status_code} {head.content[:40]}")
                elif get.status_code == 405:
                    assert _allow(head) == _allow(get), path
    assert not failures, "\n".join(failures)


def test_head_on_a_quiz_question_is_200_like_get(site):
    client = Client()
    client.post(reverse("quiz-start", kwargs={"slug": site.quiz.slug}))
    url = reverse("quiz-question", kwargs={"slug": site.quiz.slug, "number": 1})
    assert client.get(url).status_code == 200
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


def test_head_keeps_the_get_headers_and_answers_a_conditional_request(site):
    sender = Sender()
    get = sender.send("GET", "/")
    head = sender.send("HEAD", "/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and head["Content-Type"] == get["Content-Type"]
    assert int(head["Content-Length"]) == len(get.content)
    assert sender.send("HEAD", "/", headers={"If-None-Match": get["ETag"]}).status_code == 304


def test_options_answers_every_url_with_allow_and_no_body(site, django_assert_max_num_queries):
    sender = Sender()
    for pattern in patterns():
        path = real_path(pattern, site)
        with django_assert_max_num_queries(0):
            response = sender.send("OPTIONS", path)
        assert response.status_code == 200, path
        assert response.content == b"" and response["Content-Length"] == "0", path
        allowed = _allow(response)
        assert "OPTIONS" in allowed, path
        if sender.send("GET", path).status_code != 405:
            assert {"GET", "HEAD"} <= set(allowed), (path, allowed)


@pytest.mark.parametrize(
    ("name", "allow"),
    [
        ("quiz-question", "GET, HEAD, POST, OPTIONS"),  # @require_http_methods(["GET", "POST"])
        ("quiz-start", "POST, OPTIONS"),  # @require_POST
        ("claim-card", "GET, HEAD, OPTIONS"),  # @require_safe
        ("healthz", "GET, HEAD, OPTIONS"),  # @require_safe above @never_cache
        ("home", "GET, HEAD, POST, OPTIONS"),  # declares nothing: the view decides
    ],
)
def test_allow_lists_what_the_view_declares(site, name, allow):
    path = {
        "quiz-question": f"/quizzes/{site.quiz.slug}/q/1/",
        "quiz-start": f"/quizzes/{site.quiz.slug}/start/",
        "claim-card": f"/claims/{site.claim.slug}/card.png",
        "healthz": "/healthz",
        "home": "/",
    }[name]
    assert resolve(path).url_name == name
    response = Sender().send("OPTIONS", path)
    assert response["Allow"] == allow


def test_a_class_based_view_lists_its_handlers():
    assert view_methods(RedirectView.as_view(url="/")) == {"GET", "HEAD", "POST", "OPTIONS"}


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND", "CONNECT"])
def test_other_methods_are_405_with_allow_everywhere(site, method):
    sender = Sender()
    for pattern in patterns():
        path = real_path(pattern, site)
        response = sender.send(method, path, body=b"a=1", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 405, path
        assert response.content == b"" and "OPTIONS" in _allow(response), path
    response = sender.send(method, "/no-such-page/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"


def test_post_to_a_read_only_view_is_405_before_the_body_is_read(site):
    response = Sender().send(
        "POST",
        f"/claims/{site.claim.slug}/card.png",
        body="a=1".encode("utf-16"),
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_get_on_a_post_only_view_lists_what_it_takes(site):
    response = Client().get(reverse("quiz-start", kwargs={"slug": site.quiz.slug}))
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


def test_options_on_an_address_that_matches_nothing_is_a_404(site):
    assert Sender().send("OPTIONS", "/no-such-page/").status_code == 404


def test_head_empties_a_streaming_body_too():
    closed = []

    class Body:
        def __iter__(self):
            yield b"streamed"

        def close(self):
            closed.append(True)

    middleware = HttpMethodsMiddleware(lambda request: StreamingHttpResponse(Body()))
    response = middleware(RequestFactory().head("/"))
    assert b"".join(response.streaming_content) == b""
    response.close()
    assert closed == [True]
