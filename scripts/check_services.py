#!/usr/bin/env python
"""Before `make serve` starts: create the PostgreSQL database if missing, and say whether Redis answers.

Reads DATABASE_URL and REDIS_URL as the app does. A missing database is
created (the server must accept the URL's user with CREATEDB rights); an
unreachable Redis is only a warning, since the app runs without it, uncached.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import dj_database_url
import psycopg
import redis
from psycopg import sql


def ensure_postgres_database(url: str) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    name = config["NAME"]
    params: dict[str, Any] = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",  # the maintenance database: ours may not exist yet
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created the PostgreSQL database {name!r}.")
    except psycopg.Error as error:
        sys.exit(f"PostgreSQL at {params['host']}:{params['port']} is not usable: {error}")


def check_redis(url: str) -> None:
    if not url:
        return
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        print(f"Warning: Redis at {url} does not answer ({error}); serving without the shared cache.")


if __name__ == "__main__":
    ensure_postgres_database(os.environ.get("DATABASE_URL", ""))
    check_redis(os.environ.get("REDIS_URL", ""))
