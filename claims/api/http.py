"""What every answer under /api/ gets, in one place.

- CORS for any origin: the API is public and takes no credentials, so `Access-Control-Allow-Origin: *` on every
  answer, and a preflight (OPTIONS, answered by factcheck/http_methods.py without running a view) gets the
  methods and headers a reader's script may use. This middleware sits above that one to add them.
- The per-client rate limit (API_RATE, claims/ratelimit.py) on GET and HEAD: a 429 in JSON with Retry-After.
- Errors in JSON, in the language asked for with `lang` (English otherwise): the site's own error pages (an
  address that matches no route, a malformed request, a database outage) become the API's error shape.
- For the routes' answers (`cached_answer`, claims/api/urls.py): an ETag and conditional GETs (304),
  `Cache-Control` as the pages have it, and the shared cache of claims/caching.py, keyed by the content version,
  so that an editor's change shows on the next request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.api.schemas import ClaimFilters
from claims.caching import BROWSER_MAX_AGE, cached_for_version, store_for_version
from claims.ratelimit import over_rate
from factcheck.languages import CODES, DEFAULT

PREFIX = "/api/"
JSON = "application/json"
CORS = {
    "Access-Control-Allow-Origin": "*",
    # Readable by a script on another origin (CORS exposes only a few headers by default).
    "Access-Control-Expose-Headers": "ETag, Retry-After, Content-Language",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Cache-Control, If-Modified-Since, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
# Every query parameter an endpoint reads (the claims list reads them all). An answer to a request with any
# other is not stored: junk parameters must not make a cache entry each.
PARAMETERS = frozenset(ClaimFilters.model_fields)


def _fingerprint() -> str:
    """The API's code, part of the cache keys: during a rolling deploy, servers of two releases (whose answers
    may differ in shape) never serve each other's cached answers."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


FINGERPRINT = _fingerprint()


def error_response(status: int, problems: list[tuple[str | None, str]]) -> JsonResponse:
    """The API's one error shape: {"detail": [{"parameter": …, "message": …}, …]}."""
    detail = [{"parameter": parameter, "message": message} for parameter, message in problems]
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _language(request: HttpRequest) -> str:
    try:
        asked = request.GET.get("lang")
    except SuspiciousOperation:  # too many parameters: the view's own reading of them answers 400
        return DEFAULT
    return asked if asked in CODES else DEFAULT


def _message_for(status: int) -> str:
    if status == 400:
        return _("The request is malformed.")
    if status == 404:
        return _("There is nothing at this address.")
    if status >= 500:
        return _("The service is unavailable for a moment. Try again shortly.")
    return _("This request cannot be answered.")


def _as_json_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The site's own error page for this status (an HTML page), as the API's JSON error."""
    answer = error_response(response.status_code, [(None, _message_for(response.status_code))])
    for name in ("Retry-After", "Cache-Control"):
        if response.has_header(name):
            answer[name] = response[name]
    if request.method == "HEAD":
        answer.content = b""
    return answer


class ApiMiddleware:
    """Between the language middleware and factcheck/http_methods.py (whose OPTIONS answers it completes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        language = _language(request)
        with translation.override(language):
            response = self._answer(request)
        for name, value in CORS.items():
            response[name] = value
        if request.method == "OPTIONS":
            for name, value in PREFLIGHT.items():
                response[name] = value
        if response.get("Content-Type", "").startswith(JSON):
            response["Content-Language"] = language
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            retry_after = over_rate("api", "API_RATE", request)
            if retry_after is not None:
                message = ngettext(
                    "Too many requests from your address. Try again in %(seconds)s second.",
                    "Too many requests from your address. Try again in %(seconds)s seconds.",
                    retry_after,
                ) % {"seconds": retry_after}
                limited = error_response(429, [(None, message)])
                limited["Retry-After"] = str(retry_after)
                if request.method == "HEAD":
                    limited.content = b""
                return limited
        response = self.get_response(request)
        # 405s answer with no body and an Allow header (factcheck/http_methods.py): that says it all.
        is_json = response.get("Content-Type", "").startswith(JSON)
        if response.status_code >= 400 and response.status_code != 405 and not is_json:
            return _as_json_error(request, response)
        return response


def _cache_key(request: HttpRequest) -> str | None:
    if set(request.GET) - PARAMETERS:
        return None
    # Encoded, so that a value containing "&" cannot spell another request's key; the last value of each, as read.
    query = urlencode(sorted((name, request.GET[name]) for name in request.GET))
    address = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]
    return f"api:{FINGERPRINT}:{address}"


def cached_answer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A route's answer from the shared cache when it is there for the current content version; else the view's,
    stored if it is a 200. Every 200 gets its ETag and Cache-Control, and a conditional GET its 304.

    Answers do not depend on who asks (the API shows published content only, the same to everyone) nor on the
    request's host (addresses in them are built on SITE_URL): the key is the path and the known parameters."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _cache_key(request)
        version, entry = cached_for_version(key) if key else (None, None)
        if entry is not None:
            content, headers = entry
            response = HttpResponse(content, headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            if key is not None and version is not None:
                store_for_version(key, version, (response.content, dict(response.headers)))
        # Never None when given a response; the stubs' signature does not say so.
        return get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[return-value]

    return wrapped
