"""Helpers for the tip line's tests: a form filled in as a person would, and a mail server that is down."""

from __future__ import annotations

import time
from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend

from claims.tips.forms import new_token


def token_from(seconds_ago: float) -> str:
    """The form's "started" token as if the form had been served `seconds_ago`."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return new_token()


def tip_data(**fields) -> dict[str, str]:
    """What a person posts: the form served 10 s ago, the honeypot empty."""
    data = {
        "statement": "Crime doubled in the city last year.",
        "claimant": "The mayor",
        "seen_where": "TV",
        "email": "",
        "website": "",
        "started": token_from(10),
    }
    return data | fields


class MailServerDown(BaseEmailBackend):
    """An email backend whose server never answers (as smtplib raises when it cannot connect)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


DOWN = {"default": {"BACKEND": "tests.helpers.tips.MailServerDown"}}
UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def publish(obj):
    """Submit (if a draft), approve and publish `obj` through the write path, as the demo's actors."""
    from claims import editorial
    from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
    from claims.models import Status

    if obj.status == Status.DRAFT:
        obj = editorial.submit_for_review(obj=obj, by=DEMO_AUTHOR)
    obj = editorial.approve(obj=obj, by=DEMO_REVIEWER)
    return editorial.publish(obj=obj, by=DEMO_REVIEWER)
