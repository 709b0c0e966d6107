"""The cache counters behind rate limits and counted attempts (claims.ratelimit.count).

On Redis a count is one round trip (INCR and EXPIRE NX in one MULTI); on the
local-memory cache it is add() then incr(). Either way concurrent requests must
never see the same count, and a counter must expire with the window it opened.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache

from claims.ratelimit import count
from factcheck.cache import ResilientRedisCache


def test_concurrent_counts_are_never_lost():
    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = list(pool.map(lambda _: count("test-counter:concurrent", 60), range(200)))
    assert sorted(seen) == list(range(1, 201)), "every request saw its own count"
    assert cache.get("test-counter:concurrent") == 200


def test_a_counter_expires_with_the_window_its_first_count_opened():
    assert count("test-counter:window", 30) == 1
    assert count("test-counter:window", 3000) == 2, "a later count does not start a new window"
    redis = getattr(cache, "_cache", None)
    if redis is not None and hasattr(redis, "get_client"):  # Redis: read the expiry it set
        key = cache.make_and_validate_key("test-counter:window")
        assert 0 < redis.get_client(key).ttl(key) <= 30
    else:  # the local-memory cache keeps each key's expiry time
        key = cache.make_and_validate_key("test-counter:window")
        assert 0 < cache._expire_info[key] - time.time() <= 30  # type: ignore[attr-defined]


def test_the_redis_cache_makes_one_client_per_server_not_one_per_call():
    # A redis.Redis costs about as much to make as a round trip; building one per cache call doubled
    # the cost of every cache read. Nothing connects until a command is sent, so no server is needed.
    redis_cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {})
    first = redis_cache._cache.get_client("a", write=True)
    assert redis_cache._cache.get_client("b", write=False) is first
    assert redis_cache._cache.get_client("c", write=True) is first
