"""A bench-only WSGI app: the floor under the quiz's pages and answers (scripts/bench.py).

A minimal Django configured in this file: the parts of the real app's middleware
that every quiz request passes through (security headers, whitenoise, sessions,
CSRF, authentication), the same database settings (SQLite in WAL mode with
IMMEDIATE transactions, or PostgreSQL with CONN_MAX_AGE and health checks, from
the same environment variables), and two views:

- GET /floor/: sets the CSRF cookie and renders a small template after one query
  (an uncached page with nothing of the app's own work in it);
- POST /floor/write/: in one transaction, inserts one row and increments one
  counter row (UPDATE ... SET n = n + 1), and answers 200 with a small body
  (what recording an answer costs at the least).

    DATABASE_URL=... python scripts/bench_floor_app.py setup   # its two tables, in a throwaway database
    DATABASE_URL=... gunicorn -c gunicorn.conf.py scripts.bench_floor_app:application
"""

from __future__ import annotations

import os
import secrets
import sys

import dj_database_url
import django
from django.conf import settings

PAGE_PATH = "/floor/"
WRITE_PATH = "/floor/write/"

PAGE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><main><h1>The floor</h1><p>{{ count }} rows written.</p>
<form method="post" action="{{ write_path }}">{% csrf_token %}
<input type="hidden" name="question" value="1"><button name="choice" value="1">Answer</button></form>
</main></body></html>
"""

WRITE_BODY = '<div id="feedback"><p>Recorded.</p></div>\n' * 8


def configure() -> None:
    """Settings from the environment, as factcheck/settings.py reads them (DATABASE_URL, CONN_MAX_AGE, ...)."""
    if settings.configured:
        return
    database = dj_database_url.parse(
        os.environ["DATABASE_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    debug = os.environ.get("DEBUG", "0").strip().lower() in {"1", "true", "yes", "on"}
    settings.configure(
        DEBUG=debug,
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=[h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")],
        ROOT_URLCONF="scripts.bench_floor_app",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.staticfiles",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": database},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [
                        (
                            "django.template.loaders.cached.Loader",
                            [("django.template.loaders.locmem.Loader", {"floor.html": PAGE_TEMPLATE})],
                        )
                    ]
                },
            }
        ],
        STATIC_URL="/static/",
        STATIC_ROOT=os.environ.get("STATIC_ROOT") or None,
        USE_TZ=True,
        TIME_ZONE="UTC",
        # As in production (factcheck/settings.py with DEBUG off).
        SECURE_CONTENT_TYPE_NOSNIFF=True,
        SECURE_REFERRER_POLICY="strict-origin-when-cross-origin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        CSRF_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not debug,
        CSRF_COOKIE_SECURE=not debug,
        LOGGING={
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["console"], "level": "WARNING"},
        },
    )
    django.setup()


configure()

# Django is set up: the rest may import what needs settings.
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402


def page(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM bench_floor_counter WHERE id = 1")
        row = cursor.fetchone()
    return render(request, "floor.html", {"count": row[0] if row else 0, "write_path": WRITE_PATH})


def write(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        choice = int(request.POST.get("choice", "0"))
    except ValueError:
        return HttpResponse("Bad choice.\n", status=400)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor_row (choice, created) VALUES (%s, CURRENT_TIMESTAMP)", [choice])
        cursor.execute("UPDATE bench_floor_counter SET n = n + 1 WHERE id = 1")
    return HttpResponse(WRITE_BODY)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path(PAGE_PATH.strip("/") + "/", page),
    path(WRITE_PATH.strip("/") + "/", write),
    path("healthz", healthz),
]


def create_tables() -> None:
    """The floor's two tables, dropped first if a previous run left them."""
    if connection.vendor == "postgresql":
        row_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        created = "TIMESTAMPTZ NOT NULL"
    else:
        row_id = "INTEGER PRIMARY KEY AUTOINCREMENT"
        created = "TEXT NOT NULL"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor_row")
        cursor.execute("DROP TABLE IF EXISTS bench_floor_counter")
        cursor.execute(f"CREATE TABLE bench_floor_row (id {row_id}, choice INTEGER NOT NULL, created {created})")
        cursor.execute("CREATE TABLE bench_floor_counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        cursor.execute("INSERT INTO bench_floor_counter (id, n) VALUES (1, 0)")


application = get_wsgi_application()


if __name__ == "__main__":
    if sys.argv[1:] != ["setup"]:
        sys.exit(f"usage: DATABASE_URL=... {sys.argv[0]} setup")
    create_tables()
