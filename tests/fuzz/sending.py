"""Requests through Django's whole handler, every middleware and the error handlers, as a server would make them.

RequestFactory builds the request and BaseHandler answers it: unlike the test
client, nothing strips the body of a HEAD response or records every template
rendered (which would double the cost of the fuzz test), and an exception in a
view comes back as the 500 response a server would send (logged, as in
production), while one that escapes every handler is raised here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import Client, RequestFactory


class Sender:
    def __init__(self) -> None:
        self.handler = BaseHandler()
        self.handler.load_middleware()
        self.factory = RequestFactory()

    def send(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str = "",
        headers: dict[str, str] | None = None,
        cookie: str = "",
        secure: bool = False,
        enforce_csrf: bool = True,
    ) -> HttpResponse:
        """`cookie` is the Cookie header unless `headers` has one."""
        request = self.factory.generic(
            method,
            path,
            data=body,
            content_type=content_type,
            secure=secure,
            headers={"Cookie": cookie, **(headers or {})} if cookie else headers,
        )
        if not enforce_csrf:
            request._dont_enforce_csrf_checks = True  # as the test client does by default
        return self.handler.get_response(request)


def session_cookie(user) -> str:
    """A Cookie header that signs `user` in."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"
