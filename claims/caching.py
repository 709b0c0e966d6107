"""Shared caching of public pages.

Anonymous reads of published pages are rendered once per content version and
then served from the cache (Redis in production), with an ETag for conditional
GETs and a Cache-Control that a CDN may honour. Any save or delete of content
bumps the version, so an edit is visible on the next request everywhere,
without having to know which pages show the edited object.

Editors (logged-in staff) always get a fresh page marked private.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 60 * 10  # seconds a rendered page stays in our cache
BROWSER_MAX_AGE = 60  # seconds browsers and CDNs may reuse a page without asking


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, not 0, so a restarted cache never reuses an old version's pages.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or 0
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump_content_version(**_signal_kwargs) -> None:
    # Now, and again once the transaction commits: a page rendered in between
    # (from data not yet committed) must not outlive the commit.
    _bump()
    transaction.on_commit(_bump)


def _is_editor(request: HttpRequest) -> bool:
    return request.user.is_authenticated


def _cache_key(request: HttpRequest) -> str:
    variant = "htmx" if request.htmx and not request.htmx.history_restore_request else "page"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{content_version()}:{variant}:{request.get_host()}:{path}"


def _cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _is_editor(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _cache_key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if not _cacheable(response):
                return response
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            patch_vary_headers(response, ["HX-Request"])
            cache.set(key, response, PAGE_TIMEOUT)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapped
