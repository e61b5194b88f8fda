# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests run in parallel on every core; `make test PYTEST_ARGS=` runs them in one process.
PYTEST_ARGS ?= -n auto
# `make run PORT=8105`: the e-mailed links follow the address (partnership/devserver.py).
PORT ?= 8000

.PHONY: run test lint format install migrate data demo bench clean oidc-provider

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The tests' OpenID Connect provider (node oidc-provider, pinned by tests/oidc/package-lock.json): tests only,
# so ``make run`` needs no Node. Without npm or its registry, ``make test`` stops here, loudly.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund

oidc-provider: $(OIDC_PROVIDER)

migrate: install
	$(BIN)/python manage.py migrate --noinput

data: migrate
	$(BIN)/python manage.py import_territories

demo: data
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install $(OIDC_PROVIDER)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/db.sqlite3 var/media var/static

# A national year, loaded once into BENCH_DATABASE_URL and reused: every page under gunicorn, then the statistics.
bench: install
	$(BIN)/python scripts/bench_load.py $(BENCH_ARGS)
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_load} $(BIN)/python scripts/bench_stats.py
