"""Shared caching of public pages.

Anonymous reads of published pages are rendered once per content version and
then served from the cache (Redis in production; one round trip fetches the
version and the page together), with an ETag for conditional GETs and a
Cache-Control that a CDN may honour. Any save or delete of content bumps the
version, so an edit is visible on the next request everywhere,
without having to know which pages show the edited object.

Editors (logged-in staff) always get a fresh page marked private.

Scheduled publication (claims/editorial/review.py: published, with a `published_at` still to come) changes
what readers see with no save at all. So the cache also holds, beside the version, the time of the earliest
scheduled publication (NEXT_DUE_KEY), read in the same round trip as the version: the first read at or after
that time bumps the version once (the one process that wins a cache.add does) and looks up the next one.
The scheduling actions store it (at once and again after commit); nothing is queried on a read unless a
scheduled time has just passed. Chosen over capping every entry's lifetime at the next scheduled time: one
place to get right, and pages cached long before a publication still go stale at its second. If the cache
loses the key (a flushed Redis) pages are stale at most PAGE_TIMEOUT, and `manage.py publish_due` (every
minute, docs/deploy.md) stores it again. Browsers and CDNs may keep a page BROWSER_MAX_AGE (60 s) more:
a scheduled item shows in lists and feeds within that long after its time.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag, urlencode

from claims.htmx import vary_on_htmx, wants_partial


def release_fingerprint() -> str:
    """What cached pages depend on besides the content: the templates, the static files' hashed names,
    and the code that defines what is stored (this module and claims/quiz_pages.py).

    Part of the version's key, so that during a rolling deploy servers of the old and the new
    release never serve each other's pages (a page of the old release may name static files the
    new one no longer has, or lack a marker the new code fills); each starts its own versions.
    """
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
    sources += [here / "caching.py", here / "quiz_pages.py", Path(settings.STATIC_ROOT or ".") / "staticfiles.json"]
    for path in sources:
        with contextlib.suppress(OSError):  # no manifest before collectstatic (development)
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


VERSION_KEY = f"content-version:{release_fingerprint()}"
NEXT_DUE_KEY = f"content-next-due:{release_fingerprint()}"
NOTHING_SCHEDULED = 0.0  # stored as the next due time when nothing is scheduled
PAGE_TIMEOUT = 60 * 10  # seconds a rendered page stays in our cache
BROWSER_MAX_AGE = 60  # seconds browsers and CDNs may reuse a page without asking


def content_version() -> int:
    found = cache.get_many([VERSION_KEY, NEXT_DUE_KEY])
    version = _rolled_over(found.get(VERSION_KEY), found.get(NEXT_DUE_KEY))
    if version is None:
        # Start from the clock, not 0, so a restarted cache never reuses an old version's pages.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or 0
    return version


def _bump() -> None:
    try:
        bumped = cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        bumped = 0
    if not bumped:
        # Missing, or the cache failed to answer (the resilient backend returns 0): a fresh,
        # larger version still invalidates every page cached before.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def next_scheduled_time() -> float:
    """When the earliest scheduled publication is due (a POSIX timestamp), or NOTHING_SCHEDULED."""
    from claims.models import Article, Claim, Quiz, Status  # models import this module's signals

    now = timezone.now()
    times = [
        model.objects.filter(status=Status.PUBLISHED, published_at__gt=now).aggregate(due=Min("published_at"))["due"]
        for model in (Article, Claim, Quiz)
    ]
    due = min((time_ for time_ in times if time_ is not None), default=None)
    return due.timestamp() if due is not None else NOTHING_SCHEDULED


def remember_next_scheduled_time() -> None:
    """Store when the version must next change by itself: after a step that schedules or unschedules, now and
    once it commits (what an uncommitted step stored must not outlive its rollback)."""
    cache.set(NEXT_DUE_KEY, next_scheduled_time(), timeout=None)
    transaction.on_commit(lambda: cache.set(NEXT_DUE_KEY, next_scheduled_time(), timeout=None))


def _rolled_over(version: int | None, due: float | None) -> int | None:
    """`version`, or a new one if a scheduled publication came due since the version was set."""
    if version is None or not due or timezone.now().timestamp() < due:
        return version
    # One process bumps for this due time; the others read the version it made.
    if cache.add(f"{NEXT_DUE_KEY}:rolled:{due}", 1, timeout=PAGE_TIMEOUT):
        _bump()
        cache.set(NEXT_DUE_KEY, next_scheduled_time(), timeout=None)
    return cache.get(VERSION_KEY)


def bump_content_version(**_signal_kwargs) -> None:
    # Now, and again once the transaction commits: a page rendered in between
    # (from data not yet committed) must not outlive the commit.
    _bump()
    transaction.on_commit(_bump)


def _is_editor(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: skip loading a session on the hot path.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


# The only query parameters public pages read. Anything else (tracking tags, junk) would make
# a new cache entry per variant: such requests are rendered without touching the cache.
KNOWN_PARAMETERS = frozenset({"q", "verdict", "article", "page", "more"})


def _page_key(request: HttpRequest) -> str | None:
    if set(request.GET) - KNOWN_PARAMETERS:
        return None
    variant = "partial" if wants_partial(request) else "page"
    # Encoded, so that a value containing "&" cannot spell another request's key.
    query = urlencode(sorted((name, request.GET[name]) for name in request.GET))  # as .items(): the last values
    path = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]
    # The address already tells the languages apart (/es/…); the key says so too, so that nothing that ever
    # serves a page in another language than its address (a middleware, a test) could share an entry.
    language = translation.get_language() or ""
    return f"page:{variant}:{language}:{request.get_host()}:{path}"


def cached_for_version(key: str) -> tuple[int, Any]:
    """(the current content version, what is cached at `key` if it was stored for that version, else None).

    One cache round trip when both are there. Read the version before building what is to be
    stored: an edit committed meanwhile then makes the new entry stale, not current.
    """
    version, found = cached_many_for_version([key])
    return version, found.get(key)


def cached_many_for_version(keys: list[str]) -> tuple[int, dict[str, Any]]:
    """As cached_for_version, for several keys in the same round trip: those stored for the current version."""
    found = cache.get_many([VERSION_KEY, NEXT_DUE_KEY, *keys])
    version = found.get(VERSION_KEY)
    current_version = _rolled_over(version, found.get(NEXT_DUE_KEY))
    if version is None or current_version != version:
        return content_version(), {}
    current = {}
    for key in keys:
        entry = found.get(key)
        if entry and entry[0] == version:
            current[key] = entry[1]
    return version, current


def cached_at(key: str, version: int) -> Any:
    """What is cached at `key` if it was stored for `version` (read by the caller just before), else None."""
    entry = cache.get(key)
    return entry[1] if entry and entry[0] == version else None


def store_for_version(key: str, version: int, value: Any, timeout: int = PAGE_TIMEOUT) -> None:
    cache.set(key, (version, value), timeout)


def _cached_page(request: HttpRequest) -> tuple[str | None, int | None, HttpResponse | None]:
    """(page key, content version, the cached response if it is of that version): one cache round trip."""
    key = _page_key(request)
    if key is None:
        return None, None, None
    version, entry = cached_for_version(key)
    if entry is None:
        return key, version, None
    content, headers = entry
    return key, version, HttpResponse(content, headers=headers)


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
        response: HttpResponse | None
        if request.method not in ("GET", "HEAD") or _is_editor(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key, version, response = _cached_page(request)
        if response is None:
            response = view(request, *args, **kwargs)
            if key is None or version is None or not _cacheable(response):
                return response
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            vary_on_htmx(response)
            # Bytes and headers, not the response object: smaller, and cheap to unpickle on every hit.
            store_for_version(key, version, (response.content, dict(response.headers)))
        # Never None when given a response; the stubs' signature does not say so.
        return get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[return-value]

    return wrapped
