"""Turn a database outage into a calm 503 page instead of a 500 with a stack trace.

While PostgreSQL restarts, fails over or refuses connections, every request
that needs it raises OperationalError or InterfaceError. Those are not bugs in
the page: the right answer is "try again in a moment" (503 with Retry-After,
which load balancers and crawlers understand), logged as one line, never a
traceback. Pages the cache can answer on its own keep working meanwhile.

Other database errors (IntegrityError, ProgrammingError...) are bugs and still
reach Django's 500 handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("factcheck.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
MESSAGE = _("We're having trouble reaching our database; please try again in a moment.")


def _wants_fragment(request: HttpRequest) -> bool:
    # Read the headers, not request.htmx: HtmxMiddleware sits inside this one and may not have run yet.
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def outage_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 page (or htmx fragment), rendered without the request so no context processor can query."""
    log.warning(
        "Database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        # psycopg messages run over several lines; the first says what happened.
        (str(error).strip().splitlines() or [""])[0],
    )
    fragment = _wants_fragment(request)
    body = render_to_string(
        "503.html#outage" if fragment else "503.html",
        {"SITE_NAME": settings.SITE_NAME, "message": MESSAGE, "retry_url": request.get_full_path()},
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    if fragment:
        # Inside the target rather than in its place, so the element (and later htmx swaps into it) survives.
        response["HX-Reswap"] = "innerHTML"
    patch_vary_headers(response, ["HX-Request"])
    # Our warning above is this request's log line: keep Django from adding an
    # ERROR "Service Unavailable" for the same request (django.utils.log.log_response).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    """Answers 503 when a view or any middleware below this one cannot reach the database.

    Place it above SessionMiddleware and AuthenticationMiddleware: they query the
    database too (loading the user, saving the session after the view).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django wraps every middleware in convert_exception_to_response, which
        # turns an exception from the middleware below into a 500 response before
        # we could see it. functools.wraps leaves the unwrapped callable in
        # __wrapped__: calling it lets the exception reach us; anything we do not
        # handle still propagates to the wrapper around this middleware, which
        # converts it exactly as before. tests/test_outages.py covers this path.
        self._inner = getattr(get_response, "__wrapped__", get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self._inner(request)
        except OUTAGE_ERRORS as error:
            return outage_response(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Exceptions raised by the view (or while rendering its template response) come here first.
        if isinstance(exception, OUTAGE_ERRORS):
            return outage_response(request, exception)
        return None
