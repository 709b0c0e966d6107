#!/usr/bin/env bash
# `make serve`: the production stack on this machine, against its PostgreSQL and Redis.
#
# DEBUG off, hashed and compressed static files, gunicorn with gunicorn.conf.py
# behind nginx with deploy/nginx.conf.template: what a deployment runs
# (docs/deploy.md), on plain HTTP at http://localhost:${PORT:-8000}/ (nginx),
# gunicorn on another loopback port ($APP_PORT). Every variable can be overridden
# from the environment. Safe to run again: migrate, collectstatic and load_demo are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
PORT="${PORT:-8000}"

export DEBUG=0
# A throwaway key for this run only, never written anywhere: sessions end when the server stops.
SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export SECRET_KEY
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP on loopback, so no redirect to https. In production TLS is terminated at the
# proxy, which sets X-Forwarded-Proto, and SECURE_SSL_REDIRECT stays on (its default).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/factcheck}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
# Keep PostgreSQL connections between requests (checked before reuse): saves a connection per request.
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
# gunicorn listens on loopback only, behind nginx on $PORT.
APP_PORT="${APP_PORT:-$((PORT + 1))}"
export BIND="${BIND:-127.0.0.1:$APP_PORT}"
# One proxy (nginx) appends to X-Forwarded-For: the client is its last address.
export TRUSTED_PROXY_COUNT="${TRUSTED_PROXY_COUNT:-1}"
# Canonical and share links are built from SITE_URL, never from the request's Host.
export SITE_URL="${SITE_URL:-http://localhost:$PORT}"

"$PY" scripts/check_services.py
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input --verbosity 0
"$PY" manage.py load_demo

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "nginx is not installed: apt-get install nginx-light (docs/deploy.md)"
  exit 1
fi

echo "Serving the production stack on http://localhost:$PORT/ (DEBUG=0, nginx -> gunicorn on $BIND; Ctrl-C stops it)"
# scripts/stack.py starts both in their own process groups and stops both on Ctrl-C or SIGTERM.
exec "$PY" scripts/stack.py serve --port "$PORT" --upstream "$BIND"
