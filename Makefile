# Factcheck: `make run` serves the site with the demo content, `make test` runs the whole suite.
# Both set everything up on a fresh clone and are safe to run again.

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ on PATH; pyenv's shims honour .python-version.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)

.PHONY: run test lint format setup db clean serve bench messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (see .python-version)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed

db: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo

# Canonical and share links come from SITE_URL, never from the request: it follows PORT here.
run: db
	$(PY) manage.py ensure_local_editor
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest

# The production stack locally (DEBUG=0, nginx in front of gunicorn) on this machine's PostgreSQL and Redis: docs/deploy.md.
serve: setup
	PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

# Throughput and latency of the production stack, written to docs/benchmarks.md (about 4 minutes), then the
# search on a 20,000-claim PostgreSQL fixture, written to docs/benchmarks-search.md (about 2 minutes).
bench: setup
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) scripts/bench.py
	$(PY) scripts/bench_search.py

# The interface's Spanish: gathers every marked string into locale/es/LC_MESSAGES/*.po (translate the new
# ones there), then compiles the .mo files, which are committed as Django commits its own, so that serving
# and testing the site need no gettext tools. This target needs GNU gettext, and installs it if missing.
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore=tests --ignore=test-artifacts
messages: setup
	@command -v msgfmt >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	$(PY) manage.py makemessages -l es --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -d djangojs -l es --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l es $(MESSAGES_IGNORE)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles test-artifacts node_modules
