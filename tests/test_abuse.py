"""Abuse limits: admin login lockout, per-client quiz rate limits, no open redirects."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from claims.models import Answer, Attempt
from tests.factories import PublishedQuizFactory, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _fail(client, username="chief", times=1):
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong password"})
    return response


class TestAdminLockout:
    def test_locked_out_after_repeated_failures_even_with_the_right_password(self, client, settings):
        StaffFactory(username="chief")
        assert _fail(client, times=settings.AXES_FAILURE_LIMIT - 1).status_code == 200
        locked = _fail(client)
        assert locked.status_code == 429
        assert "Too many failed sign-ins" in locked.text
        right = client.post(LOGIN, {"username": "chief", "password": "correct horse battery staple"})
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_lockout_ends_after_the_cool_off(self, client, settings):
        StaffFactory(username="chief")
        _fail(client, times=settings.AXES_FAILURE_LIMIT)
        AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
        response = client.post(LOGIN, {"username": "chief", "password": "correct horse battery staple"})
        assert response.status_code == 302

    def test_failures_are_recorded_for_operators(self, client):
        _fail(client, username="someone", times=2)
        attempt = AccessAttempt.objects.get(username="someone")
        assert attempt.failures_since_start == 2


class TestPasswordSpraying:
    """Failed sign-ins are also limited per address across usernames (factcheck/login_limits.py)."""

    def test_one_address_trying_many_usernames_is_paused(self, client, settings):
        settings.LOGIN_FAILURE_RATE = "20/900"
        StaffFactory(username="chief")
        for n in range(20):
            assert _fail(client, username=f"user{n}").status_code == 200, n
        sprayed = _fail(client, username="someone-else")
        assert sprayed.status_code == 429 and "Too many failed sign-ins" in sprayed.text
        assert int(sprayed["Retry-After"]) > 0
        right = client.post(LOGIN, {"username": "chief", "password": "correct horse battery staple"})
        assert right.status_code == 429 and "_auth_user_id" not in client.session

    def test_other_addresses_still_sign_in(self, client, settings):
        settings.LOGIN_FAILURE_RATE = "3/900"
        StaffFactory(username="chief")
        for n in range(3):
            _fail(client, username=f"user{n}")
        assert _fail(client, username="user9").status_code == 429
        elsewhere = client.post(
            LOGIN, {"username": "chief", "password": "correct horse battery staple"}, REMOTE_ADDR="192.0.2.7"
        )
        assert elsewhere.status_code == 302

    def test_failures_below_the_limit_do_not_pause_anyone(self, client, settings):
        settings.LOGIN_FAILURE_RATE = "3/900"
        StaffFactory(username="chief")
        for n in range(2):
            _fail(client, username=f"user{n}")
        right = client.post(LOGIN, {"username": "chief", "password": "correct horse battery staple"})
        assert right.status_code == 302


class TestOpenRedirects:
    @pytest.mark.parametrize(
        "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
    )
    def test_login_next_cannot_leave_the_site(self, client, target):
        StaffFactory(username="chief")
        response = client.post(
            f"{LOGIN}?next={target}", {"username": "chief", "password": "correct horse battery staple"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/"

    def test_login_next_within_the_site_is_kept(self, client):
        StaffFactory(username="chief")
        response = client.post(
            f"{LOGIN}?next=/admin/claims/claim/", {"username": "chief", "password": "correct horse battery staple"}
        )
        assert response["Location"] == "/admin/claims/claim/"


class TestQuizRateLimits:
    def test_starting_too_often_gets_a_clear_429_and_no_attempt(self, client, settings):
        settings.QUIZ_START_RATE = "2/600"
        quiz = PublishedQuizFactory(questions=1)
        start = reverse("quiz-start", args=[quiz.slug])
        assert client.post(start).status_code == 303
        assert client.post(start).status_code == 303
        before = Attempt.objects.count()
        response = client.post(start)
        assert response.status_code == 429
        assert "Too many requests" in response.text and int(response["Retry-After"]) > 0
        assert Attempt.objects.count() == before

    def test_answering_too_often_gets_a_429_fragment_for_htmx_and_records_nothing(self, client, settings):
        settings.QUIZ_ANSWER_RATE = "1/60"
        quiz = PublishedQuizFactory(questions=2)
        client.post(reverse("quiz-start", args=[quiz.slug]))
        first, second = quiz.questions.order_by("position")
        url = reverse("quiz-question", args=[quiz.slug, 1])
        client.post(url, {"choice": first.choices.first().pk})
        response = client.post(
            reverse("quiz-question", args=[quiz.slug, 2]),
            {"choice": second.choices.first().pk},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 429
        assert "<html" not in response.text and "Too many requests" in response.text
        assert "<title>Too many requests · " in response.text, "the swapped fragment retitles the page"
        assert Answer.objects.filter(question=second).count() == 0

    def test_the_limit_is_per_client_address(self, client, settings):
        settings.QUIZ_START_RATE = "1/600"
        quiz = PublishedQuizFactory(questions=1)
        start = reverse("quiz-start", args=[quiz.slug])
        assert client.post(start, REMOTE_ADDR="10.0.0.1").status_code == 303
        assert client.post(start, REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.post(start, REMOTE_ADDR="10.0.0.2").status_code == 303

    def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(self, client, settings):
        settings.QUIZ_START_RATE = "1/600"
        quiz = PublishedQuizFactory(questions=1)
        start = reverse("quiz-start", args=[quiz.slug])
        client.post(start, HTTP_X_FORWARDED_FOR="1.1.1.1")
        # Without a trusted proxy, a forged header does not buy a fresh allowance.
        assert client.post(start, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
        settings.TRUSTED_PROXY_COUNT = 1
        assert client.post(start, HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 303

    def test_reading_is_not_limited(self, client, settings):
        settings.QUIZ_ANSWER_RATE = "1/60"
        quiz = PublishedQuizFactory(questions=1)
        client.post(reverse("quiz-start", args=[quiz.slug]))
        for _ in range(3):
            assert client.get(reverse("quiz-question", args=[quiz.slug, 1])).status_code == 200
