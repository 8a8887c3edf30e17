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

# Browser tests drive Debian's Chromium at /usr/bin/chromium; install it when missing.
# (Playwright never downloads a browser here.)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then
	  echo "==> installing Debian's chromium for the browser tests"
	  $(SUDO) apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation >/dev/null
	fi

# Each state's demo keeps its database and keys in its own directory, var/MN or var/WI
# (or $$LIAISON_VAR), the one every later `liaison` command finds without variables;
# running it again adds nothing new.
demo: install
	@export LIAISON_STATE=$(STATE)
	echo "==> loading the $(STATE) demo into $${LIAISON_VAR:-var/$(STATE)}"
	$(BIN)/liaison demo --state $(STATE)
	echo "==> Liaison ($(STATE)) at http://127.0.0.1:$(PORT)/ with a background worker. Ctrl-C stops both."
	trap 'kill 0' EXIT INT TERM
	$(BIN)/liaison worker &
	$(BIN)/liaison serve --bind 127.0.0.1:$(PORT)

LINT_PATHS := src tests $(wildcard benchmarks)

lint: install
	@echo "==> ruff"
	$(BIN)/ruff check --quiet $(LINT_PATHS)
	$(BIN)/ruff format --check --quiet $(LINT_PATHS)

typecheck: install
	@echo "==> mypy (strict)"
	$(BIN)/mypy src/liaison

# Tests run in parallel (pytest-xdist, one process per core, at most four). The `worker`
# tests, which start real worker processes, all go to one of those processes, one after
# the other (`--dist loadgroup`). pytest exits 5 when it collects nothing, so an empty
# suite never passes.
PYTEST := $(BIN)/pytest -p no:cacheprovider -q
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
XDIST = -n $(JOBS) --dist loadgroup

test-sqlite: install chromium
	@echo "==> tests on SQLite, browser and worker tests included ($(JOBS) processes)"
	$(PYTEST) $(XDIST) --durations=10 $(PYTEST_ARGS)

test-browser: install chromium
	@echo "==> browser tests"
	$(PYTEST) $(XDIST) -m browser $(PYTEST_ARGS)

# A fresh PostgreSQL database per run; pytest-django creates and drops test_<name>.
# Only the tests that use the database run again here (`--database-tests-only`, see the
# root conftest.py): the others cannot reach it, so their answer is the SQLite pass's.
test-postgres: install
	@db=liaison_ci_$$$$_$$(date +%s)
	echo "==> database tests on PostgreSQL ($(PG_URL)/test_$$db…, browser tests excluded)"
	DATABASE_URL=$(PG_URL)/$$db $(PYTEST) $(XDIST) -m "not browser" --database-tests-only $(PYTEST_ARGS)

test: lint typecheck test-sqlite test-postgres
	@echo "==> all checks passed"

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache
