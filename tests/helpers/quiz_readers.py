"""The quiz's reader cookie in tests: read which reader a test client is, or make it a given reader.

Both go through Django's own signed-cookie methods, as the site does, rather than a copy of how they sign.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import Client

from claims.quiz_readers import COOKIE_NAME, SALT, cookie_age


def reader_id(client: Client) -> str:
    """The reader id the site gave this client (the signed cookie it set)."""
    request = HttpRequest()
    request.COOKIES[COOKIE_NAME] = client.cookies[COOKIE_NAME].value
    return request.get_signed_cookie(COOKIE_NAME, salt=SALT, max_age=cookie_age())


def become_reader(client: Client, reader: str) -> None:
    """Make `client` the browser of `reader`, as if the site had set its cookie."""
    response = HttpResponse()
    response.set_signed_cookie(COOKIE_NAME, reader, salt=SALT)
    client.cookies[COOKIE_NAME] = response.cookies[COOKIE_NAME].value
