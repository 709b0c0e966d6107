"""Per-client rate limits for readers' writes and for the JSON API, counted in the shared cache.

With Redis as the cache the counters are shared by every app server, so a
client cannot multiply its allowance by landing on different servers. Fixed
windows: simple, one round trip per check, and good enough for abuse control.
If the cache is unreachable the limit is not applied (fail open): readers keep
playing, and the statistics' own rules (one counted answer per question per
attempt, counted attempts per reader) still hold.

Limits are "<count>/<seconds>" settings, changed through the environment:
QUIZ_ANSWER_RATE (default 120/60), QUIZ_START_RATE (default 30/600) and
API_RATE (default 120/60: every request under /api/, claims/api/http.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from factcheck.client_ip import client_ip

log = logging.getLogger("factcheck.ratelimit")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, seconds = text.partition("/")
        return cls(int(count), int(seconds))


def count(key: str, timeout: int) -> int:
    """Add one to a counter that lives `timeout` seconds from its first count; the new count (0: cache down).

    Atomic on Redis (one round trip: factcheck.cache.ResilientRedisCache.count) and on the
    local-memory cache (add then incr), so concurrent requests never both see the same count.
    """
    counter = getattr(cache, "count", None)
    if callable(counter):
        return counter(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a fresh window
        cache.set(key, 1, timeout=timeout)
        return 1


def hit(scope: str, client: str, rate: Rate) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window resets)."""
    now = int(time.time())
    window = now // rate.seconds
    counted = count(f"rl:{scope}:{client}:{window}", rate.seconds + 1)
    retry_after = (window + 1) * rate.seconds - now
    return counted <= rate.count or counted == 0, retry_after


def over_limit(scope: str, client: str, rate: Rate) -> tuple[bool, int]:
    """Whether `client` has used up this window already, without counting a request; and when it resets."""
    now = int(time.time())
    window = now // rate.seconds
    count = cache.get(f"rl:{scope}:{client}:{window}") or 0
    return count >= rate.count, (window + 1) * rate.seconds - now


def over_rate(scope: str, setting: str, request: HttpRequest) -> int | None:
    """Count one request of this client against the rate in `setting`: None while it is within it, else the
    seconds until its window resets (the 429's Retry-After)."""
    allowed, retry_after = hit(scope, client_ip(request), Rate.parse(getattr(settings, setting)))
    if allowed:
        return None
    log.warning("rate limit %s exceeded by %s", scope, client_ip(request))
    return retry_after


def rate_limited(scope: str, setting: str, on_limit: Callable[[HttpRequest, int], HttpResponse]):
    """Limit POSTs to the decorated view per client address; `on_limit` renders the 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                retry_after = over_rate(scope, setting, request)
                if retry_after is not None:
                    response = on_limit(request, retry_after)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
