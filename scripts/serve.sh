#!/usr/bin/env bash
# `make serve`: the production stack on this machine, against its PostgreSQL and Redis.
#
# DEBUG off, hashed and compressed static files served by whitenoise, gunicorn
# with gunicorn.conf.py: what a deployment runs (docs/deploy.md), on plain HTTP
# at http://localhost:${PORT:-8000}/. Every variable can be overridden from the
# environment. Safe to run again: migrate, collectstatic and load_demo are idempotent.
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
export BIND="${BIND:-127.0.0.1:$PORT}"
# Canonical and share links are built from SITE_URL, never from the request's Host.
export SITE_URL="${SITE_URL:-http://localhost:$PORT}"

"$PY" scripts/check_services.py
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input --verbosity 0
"$PY" manage.py load_demo

echo "Serving the production stack on http://localhost:$PORT/ (DEBUG=0, gunicorn; Ctrl-C stops it)"
exec "$PY" -m gunicorn -c gunicorn.conf.py
