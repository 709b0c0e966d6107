"""HTTP methods for every URL in one place: HEAD like GET, OPTIONS and 405 with an Allow header.

- HEAD runs the view as a GET (so it answers with the GET's status, headers,
  ETag and 304s, whatever the view's decorators say) and is sent without a body.
- OPTIONS answers 200 with Allow and no body, without running the view.
- POST to a view that declares it does not take POST, and any method other
  than GET, HEAD, POST and OPTIONS (TRACE, PUT, PROPFIND...), answer 405 with
  Allow, before the CSRF check and the view read the body.

What a view accepts is read from Django's own declarations:
@require_http_methods and its shortcuts (require_POST, require_safe...) on a
function view, anywhere in its chain of functools.wraps decorators, or the
handlers of a class-based view. A view that declares nothing decides for
itself, and is listed as taking GET, HEAD, POST and OPTIONS (the admin's views).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils.log import log_response
from django.views.decorators.http import require_http_methods

# The methods the site answers at all; anything else is 405 everywhere.
KNOWN = ("GET", "HEAD", "POST", "OPTIONS")
UNDECLARED = frozenset(KNOWN)
# For an address that matches no URL pattern: you may GET it (and get a 404 or a redirect).
UNMATCHED = frozenset({"GET", "HEAD", "OPTIONS"})


def _sample_view(request):
    return None


async def _sample_async_view(request):
    return None


# The code objects of require_http_methods' wrappers (sync and async), to recognise them on any view.
REQUIRE_HTTP_METHODS_CODE = frozenset(
    require_http_methods(["GET"])(view).__code__ for view in (_sample_view, _sample_async_view)
)


def _declared_by_decorator(view: Callable) -> list[str] | None:
    """The list given to @require_http_methods, if `view` is its wrapper."""
    code = getattr(view, "__code__", None)
    if code not in REQUIRE_HTTP_METHODS_CODE:
        return None
    cells = dict(zip(code.co_freevars, view.__closure__ or (), strict=False))
    cell = cells.get("request_method_list")
    return list(cell.cell_contents) if cell is not None else None


def _complete(methods: Iterable[str]) -> frozenset[str]:
    """What we answer on top of what the view takes: HEAD wherever GET is, OPTIONS everywhere."""
    methods = {m.upper() for m in methods}
    if "GET" in methods:
        methods.add("HEAD")
    # Only what this middleware lets through at all.
    return frozenset(methods | {"OPTIONS"}) & UNDECLARED


def view_methods(view: Callable) -> frozenset[str]:
    """The methods `view` (a URL pattern's callback) accepts."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return _complete(m for m in view_class.http_method_names if hasattr(view_class, m))
    seen = 0
    current: Callable[..., Any] | None = view
    while current is not None and seen < 50:
        declared = _declared_by_decorator(current)
        if declared is not None:
            return _complete(declared)
        current = getattr(current, "__wrapped__", None)
        seen += 1
    return UNDECLARED


def allowed_methods(path_info: str) -> frozenset[str] | None:
    """The methods the URL at `path_info` accepts; None if no URL pattern matches it."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    except Exception:  # a converter or a malformed path must not make this middleware fail
        return None
    return view_methods(match.func)


def allow_header(methods: Iterable[str]) -> str:
    methods = set(methods)
    return ", ".join(m for m in KNOWN if m in methods)


def _not_allowed(request: HttpRequest, methods: Iterable[str]) -> HttpResponse:
    response = HttpResponseNotAllowed([])
    response["Allow"] = allow_header(methods)
    log_response(
        "Method Not Allowed (%s): %s",
        (request.method or "")[:20],
        request.path[:200],
        response=response,
        request=request,
    )
    return response


class HttpMethodsMiddleware:
    """Place it high, above the CSRF, session and common middleware: OPTIONS and 405s touch neither the
    body nor the database, and CommonMiddleware and ConditionalGetMiddleware see HEAD as the GET it runs as."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        method = request.method
        if method == "GET":
            return self._with_full_allow(self.get_response(request))
        if method == "HEAD":
            return self._head(request)
        allowed = allowed_methods(request.path_info)
        if method == "OPTIONS":
            if allowed is None:
                return self.get_response(request)  # a 404 (or the redirect to the address with a slash)
            response = HttpResponse(status=200)
            response["Allow"] = allow_header(allowed)
            response["Content-Length"] = "0"
            return response
        if method not in KNOWN or (allowed is not None and method not in allowed):
            return _not_allowed(request, allowed or UNMATCHED)
        return self._with_full_allow(self.get_response(request))

    def _head(self, request: HttpRequest) -> HttpResponse:
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        # Content-Length (set below us by CommonMiddleware) stays: it is the GET's, as HEAD allows.
        # Servers drop a HEAD body anyway, but gunicorn logs a warning for each one it has to drop.
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = iter(())  # the original is still closed with the response
        else:
            response.content = b""
        return self._with_full_allow(response)

    @staticmethod
    def _with_full_allow(response: HttpResponse) -> HttpResponse:
        # A view's own 405 (require_POST...) lists what it takes; we also answer HEAD and OPTIONS there.
        if response.status_code == 405 and response.has_header("Allow"):
            listed = [m.strip() for m in response["Allow"].split(",") if m.strip()]
            response["Allow"] = allow_header(_complete(listed))
        return response
