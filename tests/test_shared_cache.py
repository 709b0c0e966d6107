"""The shared cache's own mechanics: counters, the Redis client, and versions per release.

Counters (claims.ratelimit.count, behind rate limits and counted attempts) are one
round trip on Redis (SET NX with the expiry, then INCR, in one MULTI) and add()
then incr() on the local-memory cache; either way concurrent requests must never
see the same count, and a counter must expire with the window it opened.
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


def test_a_new_release_starts_its_own_content_versions(tmp_path, settings):
    # Old and new servers side by side during a deploy must not serve each other's cached pages.
    from claims.caching import release_fingerprint

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    settings.BASE_DIR, settings.STATIC_ROOT = tmp_path, tmp_path / "static"
    page.write_text("<p>{{ claim.statement }}</p>")
    before = release_fingerprint()
    assert release_fingerprint() == before, "the same release, the same versions"
    page.write_text("<p class='new'>{{ claim.statement }}</p>")
    after_template = release_fingerprint()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.abc123.css"}}')
    assert len({before, after_template, release_fingerprint()}) == 3
