# Liaison — the two commands are `make demo` and `make test`; the rest are their parts.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STATE ?= MN
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install lint typecheck test-sqlite test-postgres test-browser chromium bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

install: $(BIN)/.installed node_modules/.installed

# Browser tests drive Debian's Chromium; install it when missing.
chromium:
	@if ! command -v chromium >/dev/null; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi

demo: install
	mkdir -p var
	export LIAISON_STATE=$(STATE) LIAISON_VAR=$${LIAISON_VAR:-var/$(STATE)}
	mkdir -p $$LIAISON_VAR
	$(BIN)/liaison demo --state $(STATE)
	echo "Starting Liaison ($(STATE)) at http://127.0.0.1:$(PORT)/ with a background worker. Ctrl-C stops both."
	trap 'kill 0' EXIT INT TERM
	$(BIN)/liaison worker &
	$(BIN)/liaison serve --bind 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src/liaison

test-sqlite: install node_modules/.installed chromium
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

# A fresh PostgreSQL database per run; pytest-django creates and drops test_<name>.
test-postgres: install
	DATABASE_URL=$(PG_URL)/liaison_ci_$$$$ $(BIN)/pytest -p no:cacheprovider -m "not browser" $(PYTEST_ARGS)

test: lint typecheck test-sqlite test-postgres

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache
