# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   - create .venv, install, migrate the SQLite database, load the seeds, serve
#   make test  - install what the tests need and run them all (SQLite and PostgreSQL)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app forum

.PHONY: run serve worker install install-dev migrate seed test lint format clean browser screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed

run: seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production profile: FORUM_ENV=production, SECRET_KEY and a PostgreSQL DATABASE_URL from the
# environment (REDIS_URL recommended). See docs/deployment.md. Beside the app servers run one worker
# (or more), with the same environment: `make worker` delivers email and runs the digests and alerts
# (docs/notifications.md); without one, nothing is emailed (jobs wait in PostgreSQL).
serve: install
	FORUM_ENV=production $(FLASK) db upgrade
	FORUM_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The worker: email delivery and scheduled jobs from the PostgreSQL job queue (docs/notifications.md).
worker: install
	$(FLASK) worker

lint: install-dev
	$(BIN)/ruff check forum tests
	$(BIN)/mypy
	# The house's layers (pyproject.toml [tool.importlinter]; docs/architecture.md).
	$(BIN)/lint-imports
	# Security linter: no medium or high findings (reviewed exceptions carry "# nosec <id>" and a reason).
	$(BIN)/bandit -q -r forum --severity-level medium

format: install-dev
	$(BIN)/ruff format forum tests

# Browser tests drive Debian's Chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install-dev lint browser
	$(BIN)/pytest $(PYTEST_ARGS)

# PNGs of every page at 390 px and 1280 px (and dark for a few) in screenshots/ (git-ignored),
# from a throwaway seeded database served on 127.0.0.1. See docs/design.md.
screenshots: install-dev browser
	$(BIN)/python -m tests.browser.screenshots --out screenshots

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache *.egg-info
