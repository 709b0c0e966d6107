"""Failed sign-ins per address, across usernames: password spraying gets a 429.

django-axes locks an (address, username) pair after AXES_FAILURE_LIMIT
failures; someone trying one password on many usernames never trips it. This
counts every failed sign-in per client address in the shared cache (so every
app server sees it) and, past LOGIN_FAILURE_RATE ("<count>/<seconds>", default
20 in 15 minutes, generous enough for a newsroom behind one address), answers
sign-in attempts from that address with the lockout page until the window ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from claims.ratelimit import Rate, hit, over_limit
from factcheck.client_ip import client_ip

log = logging.getLogger("factcheck.login_limits")
SCOPE = "login-failures"


def _rate() -> Rate:
    return Rate.parse(getattr(settings, "LOGIN_FAILURE_RATE", "20/900"))


@receiver(user_login_failed, dispatch_uid="factcheck-count-login-failures")
def count_failure(sender, credentials=None, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None:
        hit(SCOPE, client_ip(request), _rate())


class LoginFailuresPerAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("admin:login"):
            blocked, retry_after = over_limit(SCOPE, client_ip(request), _rate())
            if blocked:
                log.warning("sign-ins paused for %s: too many failures across usernames", client_ip(request))
                minutes = max(1, round(retry_after / 60))
                # Translators: how long until sign-ins open again, shown in the lockout page's sentence.
                wait = ngettext("about %(n)s minute", "about %(n)s minutes", minutes) % {"n": minutes}
                response = render(request, "lockout.html", {"cooloff_time": wait}, status=429)
                response["Retry-After"] = str(retry_after)
                return response
        return self.get_response(request)
