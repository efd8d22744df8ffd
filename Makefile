# Laget: `make demo` runs the whole application with demo data; `make test` runs every test.
# Both work on a fresh machine with PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB_NAME ?= laget
PGHOST ?= 127.0.0.1
PGUSER ?= postgres
export PGHOST PGUSER
# Migrations run as the owner (PGUSER); the demo's web, worker and beat run as the application's
# role, which owns nothing and cannot change the audit trail or disable its triggers (core.dbroles).
APP_DATABASE_URL ?= postgres://laget_app@$(PGHOST):5432/$(DB_NAME)

.PHONY: demo test check bench install install-dev services database messages static browser pdf-libs clean help

help:
	@echo "make demo   – install, create the database, load demo data, run web + Celery worker + beat"
	@echo "make test   – install what the tests need and run the whole suite"
	@echo "make check  – formatting, lint, types, migrations and deployment checks"

# --- installation -----------------------------------------------------------------------

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed node_modules/.installed messages pdf-libs

install-dev: install

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translation catalogues (.mo) are built, never committed.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# WeasyPrint's font subsetting (Debian): PDFs embed only the letters they use.
pdf-libs:
	@ldconfig -p | grep -q libharfbuzz-subset || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null)

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# --- services and database --------------------------------------------------------------

services:
	@pg_isready -q -h $(PGHOST) || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h $(PGHOST) && break; sleep 1; done

database: services
	@psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(DB_NAME)'" | grep -q 1 || createdb $(DB_NAME)

# --- the two commands -------------------------------------------------------------------

# The demo runs with DEBUG off, as users would see it: Laget's own error pages, not Django's
# technical ones; WhiteNoise serves the static files straight from the finders (config/settings/local.py).
# `DEBUG=true make demo` gives the technical pages back.
# seed_demo and bench belong to the `demo` app, which config/settings/local.py installs (never production).
demo: export DEBUG ?= false
demo: install database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py db_app_role
	DATABASE_URL=$(APP_DATABASE_URL) $(PY) manage.py seed_demo
	@echo
	@echo "Starting Laget at http://127.0.0.1:8000/ with a Celery worker and beat. Ctrl-C stops all three."
	@export DATABASE_URL=$(APP_DATABASE_URL); \
	trap 'trap - INT TERM EXIT; kill -TERM $$pids 2>/dev/null; wait; echo "Laget stopped."' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=warning --concurrency=2 & pids="$$!"; \
	$(VENV)/bin/celery -A config beat --loglevel=warning --schedule=/tmp/laget-celerybeat-schedule & pids="$$pids $$!"; \
	$(PY) manage.py runserver --noreload 127.0.0.1:8000 & pids="$$pids $$!"; \
	wait -n; echo "One of the three processes stopped; stopping the others."

# The suite runs on every core (TEST_WORKERS=1 for one process); the demo's tests on one worker.
TEST_WORKERS ?= auto
test: install browser services
	$(VENV)/bin/pytest --cov --cov-report=term:skip-covered -p no:randomly -n $(TEST_WORKERS) --dist loadgroup

# The benchmark runs on a database of its own, made anew each time from the demo data.
bench: install services
	dropdb --if-exists laget_bench && createdb laget_bench
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/laget_bench DEBUG=false $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/laget_bench DEBUG=false $(PY) manage.py seed_demo > /dev/null
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/laget_bench DEBUG=false $(PY) manage.py bench

check: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=ci-only-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(DB_NAME) ALLOWED_HOSTS=laget.oslo.kommune.no \
	AUDIT_HMAC_KEY=ci-only-dummy-audit-key-0123456789abcdef \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles htmlcov .coverage .mypy_cache .ruff_cache
