# Temporada: `make run` sets everything up and serves the product; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run setup serve test test-e2e lint messages clean-db bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(BIN)/temporada setup

run: setup
	$(BIN)/temporada serve $(ADDR)

serve:
	$(BIN)/temporada serve $(ADDR)

test: $(VENV)/.installed-dev
	$(BIN)/temporada compile_translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -ll -ii -r src

messages: $(VENV)/.installed-dev
	set -e; for app in src/temporada/*/; do if [ -d "$$app/locale" ]; then (cd $$app && DJANGO_SETTINGS_MODULE=temporada.settings ../../../$(BIN)/django-admin makemessages -l en -l fr --ignore 'tests/*' --no-obsolete); fi; done

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

clean-db:
	rm -f var/temporada.sqlite3 var/temporada.sqlite3-wal var/temporada.sqlite3-shm
