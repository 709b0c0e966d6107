"""Error pages (factcheck/errors.py): never a 500 from a bad request, never read the body, one log line per fault."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from factcheck import errors
from tests.factories import EditorFactory, PublishedQuizFactory

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32
DJANGOS_REASON = "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded."


@pytest.fixture(autouse=True)
def production(settings):
    """Django calls the error handlers only with DEBUG off."""
    settings.DEBUG = False


@pytest.fixture
def fresh_pages():
    """Error pages are rendered once per process: render them again in this test (and after it)."""
    errors._rendered.cache_clear()
    yield
    errors._rendered.cache_clear()


def browser() -> Client:
    """A client meeting the CSRF check as a browser does, with a CSRF cookie, that gets a 500 instead of an error."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def site_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("django", "factcheck", "axes", "claims"))]


def assert_one_line(caplog, logger: str) -> logging.LogRecord:
    records = site_records(caplog)
    assert len(records) == 1, [(r.name, r.levelname, r.getMessage()) for r in records]
    record = records[0]
    assert record.name == logger
    assert record.levelno in (logging.INFO, logging.WARNING)
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    return record


def assert_our_page(response, status: int, title: str) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert body.lstrip().startswith("<!doctype html>")
    assert f'<h1 id="error-heading" tabindex="-1">{title}</h1>' in body
    assert 'class="site-header"' in body  # extends the site's base template
    assert "Traceback" not in body and "{%" not in body
    assert response["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    return body


class TestFormPostedInAnotherCharset:
    """Django parses forms only in UTF-8; its own handlers re-ran the CSRF check on such a body and failed again."""

    @pytest.mark.parametrize("url", ["/", "/admin/login/", "/quizzes/any-quiz/start/", "/claims/"])
    @pytest.mark.parametrize("charset", ["utf-16", "latin-1", "UTF8"])
    def test_is_a_400_with_our_page_and_one_warning(self, caplog, url, charset):
        with caplog.at_level(logging.INFO):
            response = browser().generic(
                "POST",
                url,
                "question=1&choice=é".encode("utf-16" if charset == "utf-16" else "latin-1"),
                content_type=f"application/x-www-form-urlencoded; charset={charset}",
            )
        assert_our_page(response, 400, "Bad request")
        record = assert_one_line(caplog, "django.request")
        assert record.levelno == logging.WARNING
        assert record.getMessage() == f"Bad Request ({DJANGOS_REASON}): {url}"

    def test_an_unknown_charset_is_read_as_utf_8_and_meets_the_csrf_check(self, caplog):
        with caplog.at_level(logging.INFO):
            response = browser().generic(
                "POST", "/", b"a=1", content_type="application/x-www-form-urlencoded; charset=x-no-such-charset"
            )
        assert_our_page(response, 403, "This form has expired")
        assert_one_line(caplog, "django.security.csrf")

    def test_reaching_a_view_it_is_a_400_too(self, caplog):
        quiz = PublishedQuizFactory()
        client = Client(raise_request_exception=False)  # no CSRF check: the view reads the body
        client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
        with caplog.at_level(logging.INFO):
            response = client.generic(
                "POST",
                reverse("quiz-question", kwargs={"slug": quiz.slug, "number": 1}),
                "choice=1".encode("utf-16"),
                content_type="application/x-www-form-urlencoded; charset=utf-16",
            )
        assert_our_page(response, 400, "Bad request")
        assert_one_line(caplog, "django.request")

    def test_htmx_gets_a_fragment_swapped_inside_its_target(self):
        response = browser().generic(
            "POST",
            "/quizzes/any-quiz/start/",
            "a=1".encode("utf-16"),
            content_type="application/x-www-form-urlencoded; charset=utf-16",
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "<html" not in body and "<head" not in body
        assert 'role="alert"' in body and "Bad request" in body
        assert response["HX-Reswap"] == "innerHTML"
        assert "HX-Request" in response["Vary"]


class TestEachFault:
    def test_csrf_failure_is_our_403_and_the_csrf_line(self, caplog):
        client = Client(raise_request_exception=False, enforce_csrf_checks=True)  # no CSRF cookie at all
        with caplog.at_level(logging.INFO):
            response = client.post("/admin/login/", {"username": "x", "password": "y"})
        assert_our_page(response, 403, "This form has expired")
        record = assert_one_line(caplog, "django.security.csrf")
        assert record.getMessage() == "Forbidden (CSRF cookie not set.): /admin/login/"

    def test_permission_denied_is_our_403_without_a_traceback(self, caplog):
        client = Client(raise_request_exception=False)
        client.force_login(EditorFactory())  # editors may not manage accounts
        with caplog.at_level(logging.INFO):
            response = client.get("/admin/auth/user/")
        assert_our_page(response, 403, "Access denied")
        assert assert_one_line(caplog, "django.request").getMessage().startswith("Forbidden (")

    def test_a_host_we_do_not_serve_is_a_400_warning_not_an_error(self, caplog):
        with caplog.at_level(logging.INFO):
            response = Client(raise_request_exception=False).get("/", headers={"Host": "evil.example.com"})
        assert_our_page(response, 400, "Bad request")
        assert_one_line(caplog, "django.security.DisallowedHost")

    def test_too_many_query_parameters_is_a_400_warning_not_an_error(self, caplog):
        query = "&".join(f"p{i}=1" for i in range(2_000))
        with caplog.at_level(logging.INFO):
            response = Client(raise_request_exception=False).get(f"/claims/?{query}")
        assert_our_page(response, 400, "Bad request")
        assert_one_line(caplog, "django.security.TooManyFieldsSent")

    def test_multipart_without_boundary_is_a_400(self, caplog):
        with caplog.at_level(logging.INFO):
            response = Client(raise_request_exception=False).generic(
                "POST", "/admin/login/", b"--x\r\n\r\n", content_type="multipart/form-data"
            )
        assert_our_page(response, 400, "Bad request")
        assert_one_line(caplog, "django.request")

    def test_not_found_is_our_page_logged_once_and_runs_no_query(self, caplog, django_assert_max_num_queries):
        with caplog.at_level(logging.INFO), django_assert_max_num_queries(0):
            response = Client().get("/no-such-page/")
        body = assert_our_page(response, 404, "Page not found")
        assert reverse("claim-index") in body
        assert assert_one_line(caplog, "django.request").getMessage() == "Not Found: /no-such-page/"

    def test_a_missing_slash_is_still_a_redirect_and_logs_nothing(self, caplog):
        with caplog.at_level(logging.INFO):
            response = Client().get("/claims")
        assert response.status_code == 301 and response["Location"] == "/claims/"
        assert site_records(caplog) == []

    def test_a_server_error_still_logs_its_traceback_and_htmx_gets_a_fragment(self, caplog):
        client = Client(raise_request_exception=False)
        with (
            caplog.at_level(logging.INFO),
            mock.patch("claims.views.pages.Claim.objects.published", side_effect=RuntimeError("boom")),
        ):
            response = client.get(reverse("claim-index"), headers={"HX-Request": "true"})
        assert response.status_code == 500
        assert "<html" not in response.text and "Something went wrong on our side" in response.text
        assert "boom" not in response.text
        errors_logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert [r.name for r in errors_logged] == ["django.request"] and errors_logged[0].exc_info


def _undecodable_request(htmx: bool = False):
    """A form POST in UTF-16: reading request.POST raises BadRequest, which Django's own handlers tripped over."""
    return RequestFactory().generic(
        "POST",
        "/claims/",
        "question=1".encode("utf-16"),
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        headers={"HX-Request": "true"} if htmx else {},
    )


def test_such_a_body_cannot_be_read():
    with pytest.raises(BadRequest):
        _undecodable_request().POST  # noqa: B018


HANDLERS = [
    (lambda r: errors.bad_request(r, BadRequest("unreadable")), 400, "Bad request"),
    (lambda r: errors.permission_denied(r, PermissionDenied()), 403, "Access denied"),
    (lambda r: errors.csrf_failure(r, reason="CSRF token missing."), 403, "This form has expired"),
    (lambda r: errors.page_not_found(r, Http404()), 404, "Page not found"),
    (lambda r: errors.server_error(r), 500, "Something went wrong on our side"),
]
HANDLER_IDS = ["400", "403", "csrf", "404", "500"]


class TestTheHandlersThemselves:
    @pytest.mark.parametrize(("handler", "status", "title"), HANDLERS, ids=HANDLER_IDS)
    @pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
    def test_answer_a_request_whose_body_cannot_be_decoded_without_reading_it(self, handler, status, title, htmx):
        request = _undecodable_request(htmx)
        response = handler(request)
        assert response.status_code == status
        assert title in response.content.decode()
        assert ("<html" in response.content.decode()) is not htmx
        assert not request._read_started and "_post" not in request.__dict__

    @pytest.mark.parametrize(("handler", "status", "title"), HANDLERS, ids=HANDLER_IDS)
    @pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
    def test_fall_back_to_plain_html_when_templates_fail(self, fresh_pages, caplog, handler, status, title, htmx):
        request = _undecodable_request(htmx)
        with (
            caplog.at_level(logging.INFO),
            mock.patch("django.template.loader.get_template", side_effect=RuntimeError("template loader is down")),
        ):
            response = handler(request)
        assert response.status_code == status
        body = response.content.decode()
        assert title in body and "{%" not in body and "template loader" not in body
        if htmx:
            assert body.startswith('<div class="quiz-error" role="alert">')
        else:
            assert body.startswith("<!doctype html>") and '<link rel="stylesheet" href="/static/css/site.css">' in body
        # Our template failing is our bug: logged with its traceback (the 500 fragment needs no template).
        failed = [r for r in caplog.records if r.name == "factcheck.errors"]
        assert len(failed) == (0 if status == 500 and htmx else 1)
        assert all(r.levelno == logging.ERROR and r.exc_info for r in failed)

    def test_fallback_pages_have_no_inline_code(self):
        for page in errors.PAGES:
            for fragment in (False, True):
                html = errors._plain(page, fragment)
                assert "<script" not in html and "<style" not in html and " style=" not in html

    def test_a_page_renders_once_per_process(self, fresh_pages):
        request = RequestFactory().get("/")
        with mock.patch("factcheck.errors.render_to_string", wraps=errors.render_to_string) as render:
            errors.page_not_found(request, Http404())
            errors.page_not_found(request, Http404())
            errors.bad_request(request, BadRequest())
        assert render.call_count == 2
