# The two commands a new user needs are `make run` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The soak drops and creates this database; its name must start with archive_soak.
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archive_soak
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres install install-dev browser screenshots lint admin clean bench bench-full bench-tagging bench-export soak soak-short crash-loop

## run: set up a virtualenv, migrate a local SQLite database, ingest seeds/, serve on $(HOST_PORT)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py ingest seeds/
	DEBUG=1 $(BIN)/python manage.py rebuild_index --if-outdated --verbosity 0
	@echo "Serving on http://$(HOST_PORT)/ ; for an admin login run: make admin"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST_PORT)

## test: the whole suite on SQLite, then on PostgreSQL ($(TEST_POSTGRES_URL))
test: test-sqlite test-postgres

test-sqlite: install-dev browser
	@echo "=== Test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install-dev browser
	@echo "=== Test suite on PostgreSQL ($(TEST_POSTGRES_URL))"
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

## admin: create an admin account for http://$(HOST_PORT)/admin/
admin: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createsuperuser

## bench-tagging: tagging throughput on a few thousand articles (bench/results/tagging.json)
bench-tagging: install
	$(BIN)/python bench/tagging.py --articles 5000

## bench: the benchmark harness on a 10k-article generated corpus (report in bench/results/)
bench: install-dev
	$(BIN)/python bench/run.py --size 10000

## bench-full: the same on 100k articles (about half an hour on 2 cores)
bench-full: install-dev
	$(BIN)/python bench/run.py --size 100000

## bench-export: memory and time of streamed exports of a 20k-article archive (bench/results/)
bench-export: install
	$(BIN)/python bench/export_memory.py --articles 20000

## soak: 3 minutes of searches, admin edits and an ingest at once, then a drift check (bench/results/)
soak: install-dev
	$(BIN)/python bench/soak.py --database $(SOAK_DATABASE_URL)

## crash-loop: kill -9 ingest, update_index and rebuild_index at random points 20 times; the
## index must come level each time (bench/results/crash_loop.json). CRASH_DATABASE_URL for PostgreSQL
crash-loop: install-dev
	$(BIN)/python bench/crash_loop.py $(if $(CRASH_DATABASE_URL),--database $(CRASH_DATABASE_URL))

## soak-short: the same soak for 45 seconds on 800 articles, as CI runs it (under 3 minutes)
soak-short: install-dev
	$(BIN)/python bench/soak.py --short --database $(SOAK_DATABASE_URL)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed node_modules/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	@bash scripts/install-system-libraries
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	@bash scripts/install-system-libraries
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# axe-core for the accessibility tests, at the version package-lock.json pins. Without npm the
# tests that need it skip locally (and fail with CI=true), so a machine without Node still tests.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: install Node.js 18+ for the accessibility tests (axe-core)"; \
	fi

## browser: Debian's chromium for the browser tests (installed when this user can)
browser:
	@bash scripts/install-browser

## screenshots: a Khmer report, a Khmer search and a results page in six languages, from the
## language fixtures in a throwaway archive, into docs/screenshots/
screenshots: install-dev browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
