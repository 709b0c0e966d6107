"""Error pages that cannot fail: handler400/403/404/500 (factcheck/urls.py) and CSRF_FAILURE_VIEW.

Django's default handlers are decorated with requires_csrf_token, which runs the
CSRF check again and so reads the request body. A body Django refuses to parse
(a form posted in UTF-16 or Latin-1) then raises inside the 400 handler, again
inside the 500 handler, and the request ends as a bare 500 with a traceback.

These handlers:

- never read the request body, the query string or the host (any of them may
  be what made the request bad), and never raise: anything that goes wrong
  while building the page falls back to a constant plain HTML page;
- render templates/error.html (or 500.html) without the request, so no context
  processor runs: no session, no user, no database query. Nothing in them
  depends on the request, so each is rendered once per process (DEBUG aside);
- answer htmx swaps with a short fragment swapped inside their target (as the
  outage page does, factcheck/middleware.py), everyone else with a whole page;
- are never cached (Cache-Control: no-store) and, like every page, load only
  our static files (the CSP forbids inline code);
- log a client's fault (4xx) as ONE warning line without a traceback, on the
  logger Django would have used (django.request, django.security.*), and mark
  the response as logged so Django does not add its own line. A 404 is logged
  by Django's handler, once, after the middleware had its say (CommonMiddleware
  may still turn it into a redirect to the address with a slash). A 500 is a
  bug: Django logs it as an ERROR with its traceback, as before.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from html import escape

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.cache import patch_vary_headers
from django.utils.log import log_response
from django.utils.translation import get_language, gettext, gettext_noop

from claims.htmx import HTMX_VARY
from factcheck.middleware import _wants_fragment as wants_fragment

log = logging.getLogger("factcheck.errors")

# How much of a client-chosen path or reason goes into a log line.
LOGGED_CHARS = 200

# Each page's title and message, in English: marked for translation here (gettext_noop) and translated
# when a page is built (_words), so that a failing translation still leaves the English page.
PAGES = {
    400: (
        gettext_noop("Bad request"),
        gettext_noop("Your browser sent a request we could not read. Go back, reload the page and try again."),
    ),
    403: (gettext_noop("Access denied"), gettext_noop("You do not have permission to see this page.")),
    "csrf": (
        gettext_noop("This form has expired"),
        gettext_noop(
            "We could not accept the form: its page may be out of date, or your browser may be blocking cookies "
            "for this site. Go back, reload the page and submit it again."
        ),
    ),
    404: (
        gettext_noop("Page not found"),
        gettext_noop(
            "There is nothing at this address. It may have moved, or the link may have been copied incompletely."
        ),
    ),
    500: (
        gettext_noop("Something went wrong on our side"),
        gettext_noop("The error has been logged and we will look into it. Please try again later."),
    ),
}
HOME_LINK = gettext_noop("Go to the home page")

# The last resort when a template cannot be rendered: no template engine, no settings, no URL lookup.
PLAIN_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{title}</title>
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <main id="main" class="wrap">
    <h1>{title}</h1>
    <p>{message}</p>
    <p><a class="button" href="/">{home}</a></p>
  </main>
</body>
</html>
"""
PLAIN_FRAGMENT = """<div class="quiz-error" role="alert">
  <h1 id="error-heading" tabindex="-1">{title}</h1>
  <p>{message}</p>
</div>
"""


def _short(text: object) -> str:
    """The first line of `text`, cut to LOGGED_CHARS; log_response escapes the rest."""
    first = (str(text).strip().splitlines() or [""])[0]
    return first if len(first) <= LOGGED_CHARS else f"{first[:LOGGED_CHARS]}…"


def _words(*texts: str) -> tuple[str, ...]:
    """`texts` in the active language; in English if translating fails (an error page must not fail)."""
    try:
        return tuple(gettext(text) for text in texts)
    except Exception:
        return texts


def _language() -> str:
    try:
        return get_language() or "en"
    except Exception:
        return "en"


def _plain(page: str | int, fragment: bool) -> str:
    title, message, home = _words(*PAGES[page], HOME_LINK)
    if fragment:
        return PLAIN_FRAGMENT.format(title=escape(title), message=escape(message))
    # The language's primary subtag ("en" for "en-us"), as the page's lang attribute.
    lang = escape(_language().split("-")[0])
    return PLAIN_PAGE.format(lang=lang, title=escape(title), message=escape(message), home=escape(home))


@functools.lru_cache(maxsize=32)
def _rendered(page: str | int, fragment: bool, site_name: str, script_prefix: str, language: str) -> str:
    """An error page depends on nothing else (its language aside): rendered once per process and language, a
    flood of 404s costs no rendering."""
    title, message = _words(*PAGES[page])
    if page == 500:
        if fragment:
            return _plain(500, fragment=True)
        # A standalone page with no tags: whatever broke the view cannot break it.
        return render_to_string("500.html")
    context = {"SITE_NAME": site_name, "title": title, "message": message, "fragment": fragment}
    return render_to_string("error.html#error" if fragment else "error.html", context)


def _render(page: str | int, fragment: bool) -> str:
    if settings.DEBUG:  # templates being edited: render afresh
        return _rendered.__wrapped__(page, fragment, settings.SITE_NAME, get_script_prefix(), _language())
    return _rendered(page, fragment, settings.SITE_NAME, get_script_prefix(), _language())


def error_response(request: HttpRequest, status: int, page: str | int | None = None) -> HttpResponse:
    """Our page (or htmx fragment) for `status`; falls back to plain HTML, and never raises."""
    page = status if page is None else page
    try:
        fragment = wants_fragment(request)
    except Exception:
        fragment = False
    try:
        body = _render(page, fragment)
    except Exception:
        log.exception("Could not render the %s error page; sent the plain one", page)
        body = _plain(page, fragment)
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, HTMX_VARY)
    if fragment:
        # Inside the target rather than in its place, so the element (and later swaps into it) survives.
        response["HX-Reswap"] = "innerHTML"
    return response


def _log_once(request: HttpRequest, response: HttpResponse, message: str, reason: object, logger: str) -> None:
    """One warning line for a client's fault; Django will not log this response again."""
    # Logging must not turn a 4xx into a 500.
    with contextlib.suppress(Exception):
        log_response(
            message,
            _short(reason),
            _short(request.path),
            response=response,
            request=request,
            logger=logging.getLogger(logger),
            level="warning",
        )
    response._has_been_logged = True  # type: ignore[attr-defined]


def _guarded(request: HttpRequest, status: int, page: str | int | None = None) -> HttpResponse:
    try:
        return error_response(request, status, page)
    except Exception:  # error_response guards itself already: this is the last line
        return HttpResponse(_plain(page or status, fragment=False), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = _guarded(request, 400)
    if isinstance(exception, SuspiciousOperation):
        # DisallowedHost, TooManyFieldsSent...: Django logs these as ERRORs with a traceback on django.security.*.
        logger = f"django.security.{type(exception).__name__}"
    else:
        logger = "django.request"
    _log_once(request, response, "Bad Request (%s): %s", exception or "no details", logger)
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = _guarded(request, 403)
    _log_once(request, response, "Forbidden (%s): %s", exception or "Permission denied", "django.request")
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = _guarded(request, 403, "csrf")
    # The line CsrfViewMiddleware would have written, on its logger.
    _log_once(request, response, "Forbidden (%s): %s", reason or "CSRF verification failed", "django.security.csrf")
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Not logged here: Django's handler writes "Not Found: <path>" once the middleware is done with it.
    return _guarded(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Not logged here: Django logs the exception, with its traceback, right after this returns.
    return _guarded(request, 500)
