"""A Redis cache that degrades to a miss instead of failing the request.

The cache holds nothing that is not also in PostgreSQL (sessions are
cached_db, rate-limit counters are allowed to reset), so while Redis is
unreachable the right behaviour is to serve every request uncached rather
than answer 500. Failures are logged once per call site and burst.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger("factcheck.cache")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool instead of making one per call.

    Making a redis.Redis costs about 150 µs (it copies its table of response callbacks), nearly
    as much as the round trip it is made for, and every cache call made one. A redis.Redis is a
    thin, thread-safe handle on its pool, so one per pool serves every thread of the process.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]  # Django's own, not in the stubs
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _guard(self, operation: str, default: Any, call, *args, **kwargs) -> Any:
        try:
            return call(*args, **kwargs)
        except (RedisError, OSError) as error:
            log.warning("cache %s failed, treating as a miss: %s", operation, error)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def set(self, key, value, timeout=None, version=None):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard("add", False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key raises ValueError as usual; only an unreachable server is swallowed (as 0).
        return self._guard("incr", 0, super().incr, key, delta, version)

    def clear(self):
        return self._guard("clear", None, super().clear)

    def count(self, key, timeout, version=None) -> int:
        """Add one to the counter at `key`, which starts its `timeout` when it is created; the new count.

        One round trip (SET NX with the expiry, then INCR, in one MULTI; any Redis version), where
        add() and incr() through Django's API take three. 0 when Redis is unreachable (callers fail
        open, as with incr).
        """
        return self._guard("count", 0, self._count, key, timeout, version)

    def _count(self, key, timeout, version) -> int:
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        with client.pipeline() as pipe:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            _, count = pipe.execute()
        return int(count)
