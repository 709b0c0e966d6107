"""A database outage is a 503 "try again" page, never a 500 with a stack trace; the 404 and 500 pages."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client
from django.urls import reverse

from factcheck.middleware import MESSAGE
from tests.factories import PublishedClaimFactory

pytestmark = pytest.mark.django_db

OUTAGE = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused\nIs it running?')


def _published_raises(error: Exception):
    # The home page and the index both start from Claim.objects.published().
    return mock.patch("claims.views.pages.Claim.objects.published", side_effect=error)


def assert_outage_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert MESSAGE.replace("'", "&#x27;") in body
    assert "Traceback" not in body and "OperationalError" not in body and "5432" not in body


@pytest.mark.parametrize("error", [OUTAGE, InterfaceError("connection already closed")], ids=lambda e: type(e).__name__)
def test_view_that_cannot_reach_the_database_answers_503(client, error):
    with _published_raises(error):
        response = client.get(reverse("home"))
    assert_outage_page(response)
    body = response.content.decode()
    assert body.lstrip().startswith("<!doctype html>") and "</html>" in body
    assert 'role="alert"' in body


def test_the_outage_page_is_not_cached_and_service_returns(client):
    PublishedClaimFactory(statement="Back in service.")
    with _published_raises(OUTAGE):
        assert client.get(reverse("claim-index")).status_code == 503
    response = client.get(reverse("claim-index"))
    assert response.status_code == 200
    assert "Back in service." in response.text


def test_rendering_the_outage_page_runs_no_query(client, django_assert_max_num_queries):
    # The index's first query is the one that fails, so any query counted here is the error page's.
    with _published_raises(OUTAGE), django_assert_max_num_queries(0):
        assert client.get(reverse("claim-index")).status_code == 503


def test_htmx_request_gets_a_fragment_swapped_inside_its_target(client):
    with _published_raises(OUTAGE):
        response = client.get(reverse("claim-index"), {"verdict": "true"}, headers={"HX-Request": "true"})
    assert_outage_page(response)
    body = response.content.decode()
    assert "<html" not in body and "<head" not in body
    assert 'role="alert"' in body
    assert response["HX-Reswap"] == "innerHTML"
    assert "HX-Request" in response["Vary"]
    # The retry link repeats the request the reader made.
    assert 'href="/claims/?verdict=true"' in body


def test_boosted_htmx_request_gets_the_whole_page(client):
    with _published_raises(OUTAGE):
        response = client.get(reverse("home"), headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 503
    assert "<html" in response.text


def test_outage_raised_by_a_middleware_below_is_caught_too(client):
    """The session is saved after the view, by SessionMiddleware: its outage must be a 503 as well."""

    def failing_process_response(self, request, response):
        raise OUTAGE

    with mock.patch.object(SessionMiddleware, "process_response", failing_process_response):
        response = client.get(reverse("home"))
    assert_outage_page(response)


def test_outage_is_logged_as_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.WARNING), _published_raises(OUTAGE):
        client.get(reverse("claim-index"))
    records = [r for r in caplog.records if r.name == "factcheck.outage"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "GET /claims/" in record.getMessage() and "Connection refused" in record.getMessage()
    assert "\n" not in record.getMessage()
    # Not also reported as a server error.
    assert not [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]


def test_other_database_errors_are_still_server_errors():
    """A ProgrammingError is a bug, not an outage: Django's 500 page, which is our plain template."""
    client = Client(raise_request_exception=False)
    with _published_raises(ProgrammingError("relation does not exist")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "Traceback" not in response.text and "relation does not exist" not in response.text


def test_middleware_wraps_sessions_and_auth():
    middleware = settings.MIDDLEWARE
    ours = middleware.index("factcheck.middleware.DatabaseOutageMiddleware")
    assert ours < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert ours < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert reverse("claim-index") in response.text


def test_500_page_is_standalone_and_runs_no_query(django_assert_max_num_queries):
    client = Client(raise_request_exception=False)
    with (
        mock.patch("claims.views.pages.Claim.objects.published", side_effect=RuntimeError("boom")),
        django_assert_max_num_queries(0),
    ):
        response = client.get(reverse("claim-index"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "{%" not in response.text and "boom" not in response.text
