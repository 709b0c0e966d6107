"""Who is taking a quiz: an anonymous reader id in a signed cookie of its own.

The id used to live in Django's session, which cost every quiz request a
session read (a query on SQLite) and tied readers to a table that grows with
every visitor. A signed cookie costs one HMAC: the server can tell an id it
issued from one a client made up, and nothing is stored until the reader
answers. Readers who started a quiz before the change still have the id in
their session; it is read from there once and moved to the cookie.

The id is not the session key on purpose: Django rotates that when someone
signs in to the admin in the same browser, and the reader would lose their quiz.

Embeds (claims/views/embeds.py) are framed by other sites, where browsers refuse third-party
cookies (Safari, Firefox, Chrome's setting) or keep them per embedding site. There the id lives
in a cookie of its own, `Partitioned` (CHIPS) with `SameSite=None; Secure`, which lets a reader
come back to the quiz on that site where the browser keeps it; and, because the browser may keep
nothing at all, in a signed token that the embed's forms and links carry (`reader_token`). The
token is salted for this one purpose, bound to the quiz, and lapses QUIZ_EMBED_TOKEN_AGE seconds
after it was first issued: each page signs it afresh but keeps that moment, so that using a token
does not prolong it (a browser that keeps the cookie gets a new one when it comes back). Every
write from an embed must carry it: the cookie alone only shows a returning reader where they were
(claims/views/embeds.py explains why that makes the token the embed's CSRF protection too).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from http.cookies import Morsel
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

COOKIE_NAME = "quiz_reader"
SALT = "claims.quiz_reader"
LEGACY_SESSION_KEY = "quiz_reader"
# Embeds: their own cookie (a partitioned cookie and an unpartitioned one of the same name would both be sent
# to our own pages), and the signed token their forms and links carry, in the field or parameter READER_FIELD.
EMBED_COOKIE_NAME = "quiz_reader_embed"
EMBED_SALT = "claims.quiz_reader.embed_token"
READER_FIELD = "reader"
TOKEN_MAX_LENGTH = 200  # ours are about 80 characters: anything longer is not worth a signature check
READER_MAX_LENGTH = 64  # Attempt.reader's max_length
_ATTRIBUTE = "_quiz_reader"  # the id read or issued for this request
_NEW_ATTRIBUTE = "_quiz_reader_to_set"  # set when the response must carry the cookie
_EMBED_ATTRIBUTE = "_quiz_reader_embed"  # on an embed's request: the token it brought ("" for none)
_QUIZ_ATTRIBUTE = "_quiz_reader_quiz"  # on an embed's request: the quiz (the original's pk) its token is for
_ISSUED_ATTRIBUTE = "_quiz_reader_issued"  # on an embed's request: when the token it brought was first issued


class ReaderRefused(Exception):
    """An embed's request whose reader token is missing, altered, expired or made for another quiz."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "missing", "invalid", "expired" or "other-quiz"


def cookie_age() -> int:
    return settings.QUIZ_READER_COOKIE_AGE


def _from_legacy_session(request: HttpRequest) -> str | None:
    # Only when the browser has a session cookie: a reader without one never costs a session read.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    reader = request.session.get(LEGACY_SESSION_KEY)
    return reader if isinstance(reader, str) and 0 < len(reader) <= 64 else None


def reader_of(request: HttpRequest) -> str | None:
    """The reader id this browser was given, or None before its first quiz. In an embed: the one its token names
    (once `admit` checked it), else the one in the embed's cookie."""
    if hasattr(request, _ATTRIBUTE):
        return getattr(request, _ATTRIBUTE)
    if is_embedded(request):
        reader = request.get_signed_cookie(EMBED_COOKIE_NAME, default=None, salt=SALT, max_age=cookie_age())
    else:
        reader = request.get_signed_cookie(COOKIE_NAME, default=None, salt=SALT, max_age=cookie_age())
        if reader is None:
            reader = _from_legacy_session(request)
            if reader is not None:
                setattr(request, _NEW_ATTRIBUTE, True)
    setattr(request, _ATTRIBUTE, reader)
    return reader


# How long two starts of a browser without a reader cookie count as one (a double click's two posts).
FIRST_START_WINDOW = 60


def _first_reader_id(request: HttpRequest) -> str:
    """The id for a browser's first start. A double click on Start sends two posts before the first answer
    has set the reader cookie: both carry the same CSRF cookie, so an id made from its secret and the minute
    gives them one reader, and the second post finds the attempt the first opened (quiz_services.start_attempt)
    instead of opening another that could never be finished. Past the minute, or without that cookie (an
    embed's own path; a client that sends none), the id is random, as before."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if is_embedded(request) or not 32 <= len(secret) <= 64:
        return secrets.token_urlsafe(16)
    window = int(time.time() // FIRST_START_WINDOW)
    return salted_hmac("claims.quiz_reader.first_start", f"{secret}:{window}", algorithm="sha256").hexdigest()[:32]


def ensure_reader(request: HttpRequest) -> str:
    """This browser's reader id, issuing one if it has none; the cookie is sent again either way, so
    that it lasts `cookie_age()` from the reader's latest start rather than their first."""
    reader = reader_of(request)
    if reader is None:
        reader = _first_reader_id(request)
        setattr(request, _ATTRIBUTE, reader)
    setattr(request, _NEW_ATTRIBUTE, True)
    return reader


def embed_request(request: HttpRequest, token: str) -> None:
    """Mark `request` as an embed's, bringing `token` ("" for none): see the module's docstring."""
    setattr(request, _EMBED_ATTRIBUTE, token)


def is_embedded(request: HttpRequest) -> bool:
    return hasattr(request, _EMBED_ATTRIBUTE)


def admit(request: HttpRequest, *, quiz_pk: int) -> None:
    """On an embed's request for the quiz `quiz_pk` (the original's), make the reader its token names this
    request's reader; raise ReaderRefused if the token is not good for this quiz. Without a token the
    embed's cookie, if any, says who the reader is. On the site's own pages, nothing to do."""
    if not is_embedded(request):
        return
    setattr(request, _QUIZ_ATTRIBUTE, quiz_pk)
    token = getattr(request, _EMBED_ATTRIBUTE)
    if token:
        reader, issued = read_token(token, quiz_pk=quiz_pk)
        setattr(request, _ATTRIBUTE, reader)
        setattr(request, _ISSUED_ATTRIBUTE, issued)


def token_for(reader: str, *, quiz_pk: int, issued: int | None = None) -> str:
    """A signed token naming `reader` on the quiz `quiz_pk`, first issued at `issued` (a Unix time; default now):
    URL-safe (base64 and colons)."""
    issued = int(time.time()) if issued is None else issued
    return signing.dumps([reader, quiz_pk, issued], salt=EMBED_SALT, compress=False)


def read_token(token: str, *, quiz_pk: int) -> tuple[str, int]:
    """(the reader a token names, when it was first issued), if we signed it for this quiz and it was first issued
    within QUIZ_EMBED_TOKEN_AGE seconds."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise ReaderRefused("invalid")
    age = settings.QUIZ_EMBED_TOKEN_AGE
    try:
        payload: Any = signing.loads(token, salt=EMBED_SALT, max_age=age)
    except signing.SignatureExpired:
        raise ReaderRefused("expired") from None
    except signing.BadSignature:
        raise ReaderRefused("invalid") from None
    if not (isinstance(payload, list) and len(payload) == 3 and isinstance(payload[0], str)):
        raise ReaderRefused("invalid")
    reader, quiz, issued = payload
    if quiz != quiz_pk:
        raise ReaderRefused("other-quiz")
    if not (isinstance(issued, int) and 0 < len(reader) <= READER_MAX_LENGTH):
        raise ReaderRefused("invalid")
    if time.time() - issued > age:
        raise ReaderRefused("expired")
    return reader, issued


def reader_token(request: HttpRequest, *, mint: bool = False) -> str:
    """The token an embed's forms and links carry for this request's reader ("" outside embeds, or before the
    quiz was found). With `mint`, a reader who has none gets a new id here: it is stored nowhere until they
    start the quiz with the form that carries it."""
    quiz_pk = getattr(request, _QUIZ_ATTRIBUTE, None)
    if quiz_pk is None:
        return ""
    reader = reader_of(request)
    if reader is None:
        if not mint:
            return ""
        reader = secrets.token_urlsafe(16)
        setattr(request, _ATTRIBUTE, reader)
    # The token the request brought keeps its first moment; a reader known by the cookie (or new) starts anew.
    return token_for(reader, quiz_pk=quiz_pk, issued=getattr(request, _ISSUED_ATTRIBUTE, None))


class _PartitionedMorsel(Morsel):
    """A cookie with the Partitioned attribute (CHIPS), which Python's http.cookies learns only in 3.14."""

    def OutputString(self, attrs: Any = None) -> str:
        return f"{super().OutputString(attrs)}; Partitioned"


def _set_embed_cookie(response: HttpResponse, reader: str) -> None:
    # SameSite=None, or a framed page would never get it back; Secure, which SameSite=None and Partitioned need
    # (browsers also take it from http://localhost). Where the browser refuses it, the token carries the reader.
    response.set_signed_cookie(
        EMBED_COOKIE_NAME, reader, salt=SALT, max_age=cookie_age(), secure=True, httponly=True, samesite="None"
    )
    plain = response.cookies[EMBED_COOKIE_NAME]
    partitioned = _PartitionedMorsel()
    partitioned.update(plain)
    partitioned.set(plain.key, plain.value, plain.coded_value)
    response.cookies[EMBED_COOKIE_NAME] = partitioned


def keeps_reader_cookie(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the reader cookie when the view issued an id (or moved one from the session); vary on Cookie when
    the response depended on it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(request, _ATTRIBUTE):
            patch_vary_headers(response, ["Cookie"])
        if getattr(request, _NEW_ATTRIBUTE, False) and is_embedded(request):
            _set_embed_cookie(response, getattr(request, _ATTRIBUTE))
        elif getattr(request, _NEW_ATTRIBUTE, False):
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
