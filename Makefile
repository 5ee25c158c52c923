# Two commands: `make run` sets everything up and serves the site; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-browser setup messages lint format benchmark clean

run: setup
	$(BIN)/python manage.py ensure_local_superuser
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not browser"
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m browser

test-fast: setup $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m "not browser"

test-browser: setup $(VENV)/.dev-installed
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m browser

setup: $(VENV)/.installed messages
	$(BIN)/python manage.py migrate --noinput

messages: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --verbosity=0

# Refresh the .po files after changing strings in code or templates.
makemessages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --locale=fr --locale=en --ignore=$(VENV) --no-obsolete --add-location=file

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Measures with wrk (Debian's package), installed only when missing. Flags go through
# BENCHMARK_FLAGS, e.g. make benchmark BENCHMARK_FLAGS="--rounds 5 --seconds 5"; search is also timed
# on PostgreSQL when BENCHMARK_POSTGRES_URL names a server (make benchmark BENCHMARK_POSTGRES_URL=postgres://…).
benchmark: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python scripts/benchmark.py $(BENCHMARK_FLAGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
