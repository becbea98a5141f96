# Buurtstem — `make run` serves the Leiden demo, `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST := $(PY) -m pytest
RUN_ADDR ?= 127.0.0.1:8000
# Production-like environment for `check --deploy`.
DEPLOY_ENV := DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=buurtstem.example.nl

.PHONY: help run test lint check test-sqlite test-postgres test-browser bench messages clean

help:
	@echo "make run    - install, migrate, load the Leiden demo (if empty), serve on http://127.0.0.1:8000"
	@echo "make test   - lint, checks, the suite on SQLite and PostgreSQL, browser tests"
	@echo "make bench  - benchmarks, printed as tables"

$(PY):
	@py=$$(sh .ci/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

.env:
	@echo "Writing a local .env with a generated secret key"
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=true\n' "$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" > .env

run: $(STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(RUN_ADDR)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(PYTEST) -m "not browser" -p no:cacheprovider

test-postgres: $(STAMP)
	@url=$$(sh .ci/postgres-url.sh $(PY)); \
	if [ -z "$$url" ]; then \
	  if [ "$${CI:-}" = "true" ]; then echo "CI: no PostgreSQL reachable — failing, not skipping." >&2; exit 1; fi; \
	  echo "No PostgreSQL (DATABASE_URL or 127.0.0.1:5432): the PostgreSQL run is left out."; exit 0; \
	fi; \
	echo "Running the suite on PostgreSQL ($$url)"; \
	DATABASE_URL=$$url $(PYTEST) -m "not browser" -p no:cacheprovider

test-browser: $(STAMP)
	@sh .ci/ensure-chromium.sh
	env -u DATABASE_URL $(PYTEST) -m browser -p no:cacheprovider

test: lint check test-sqlite test-postgres test-browser

bench: $(STAMP)
	$(PY) tests/bench/run.py

# One English catalog for the whole product (LOCALE_PATHS = frontend/locale), collected from every
# app. The Dutch catalog only holds hand-kept overrides and is not regenerated.
MSG_IGNORE := --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=docs --ignore=node_modules --ignore=*.egg-info
messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemessages -l en --no-obsolete $(MSG_IGNORE)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py compilemessages $(MSG_IGNORE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
