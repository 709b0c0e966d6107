"""Who is taking a quiz: an anonymous reader id in a signed cookie of its own.

The id used to live in Django's session, which cost every quiz request a
session read (a query on SQLite) and tied readers to a table that grows with
every visitor. A signed cookie costs one HMAC: the server can tell an id it
issued from one a client made up, and nothing is stored until the reader
answers. Readers who started a quiz before the change still have the id in
their session; it is read from there once and moved to the cookie.

The id is not the session key on purpose: Django rotates that when someone
signs in to the admin in the same browser, and the reader would lose their quiz.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

COOKIE_NAME = "quiz_reader"
SALT = "claims.quiz_reader"
LEGACY_SESSION_KEY = "quiz_reader"
_ATTRIBUTE = "_quiz_reader"  # the id read or issued for this request
_NEW_ATTRIBUTE = "_quiz_reader_to_set"  # set when the response must carry the cookie


def cookie_age() -> int:
    return settings.QUIZ_READER_COOKIE_AGE


def _from_legacy_session(request: HttpRequest) -> str | None:
    # Only when the browser has a session cookie: a reader without one never costs a session read.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    reader = request.session.get(LEGACY_SESSION_KEY)
    return reader if isinstance(reader, str) and 0 < len(reader) <= 64 else None


def reader_of(request: HttpRequest) -> str | None:
    """The reader id this browser was given, or None before its first quiz."""
    if hasattr(request, _ATTRIBUTE):
        return getattr(request, _ATTRIBUTE)
    reader = request.get_signed_cookie(COOKIE_NAME, default=None, salt=SALT, max_age=cookie_age())
    if reader is None:
        reader = _from_legacy_session(request)
        if reader is not None:
            setattr(request, _NEW_ATTRIBUTE, True)
    setattr(request, _ATTRIBUTE, reader)
    return reader


def ensure_reader(request: HttpRequest) -> str:
    """This browser's reader id, issuing one if it has none; the cookie is sent again either way, so
    that it lasts `cookie_age()` from the reader's latest start rather than their first."""
    reader = reader_of(request)
    if reader is None:
        reader = secrets.token_urlsafe(16)
        setattr(request, _ATTRIBUTE, reader)
    setattr(request, _NEW_ATTRIBUTE, True)
    return reader


def keeps_reader_cookie(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the reader cookie when the view issued an id (or moved one from the session); vary on Cookie when
    the response depended on it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(request, _ATTRIBUTE):
            patch_vary_headers(response, ["Cookie"])
        if getattr(request, _NEW_ATTRIBUTE, False):
            response.set_signed_cookie(
                COOKIE_NAME,
                getattr(request, _ATTRIBUTE),
                salt=SALT,
                max_age=cookie_age(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return wrapped
