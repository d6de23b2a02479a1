# Threefold: the two commands a newcomer needs are `make run` and `make test`.
# PYTHON=python3.12 picks another interpreter (3.11 or newer) for a new .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
ADDRPORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test bench lint check format chromium pdf-libraries lock clean

help:
	@echo "make run     install, migrate, load the demo agency, serve http://$(ADDRPORT)"
	@echo "make test    install the test tools and Debian's chromium, ruff check, run every test"
	@echo "make bench   server timings of the busiest pages on a synthetic agency (BENCH_ARGS=...)"
	@echo "make lint    ruff check and ruff format --check (also: make check)"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make lock    rebuild constraints.txt from pyproject.toml in a throwaway venv"
	@echo "make clean   remove .venv and build leftovers (keeps db.sqlite3)"

$(BIN)/python:
	@scripts/make-venv "$(PYTHON)" "$(VENV)"

# Stamp files make repeated runs fast: reinstall only when the dependencies change.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed-run

## run: install, migrate, load the synthetic demo agency (prints its logins) and serve, with
## the background worker that runs long imports and counts beside the server (stopped with it)
run: $(VENV)/.installed-run pdf-libraries
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(ADDRPORT)

## test: install the test tools and Debian's chromium, lint, and run the whole suite
test: $(VENV)/.installed-test chromium pdf-libraries
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: server-side timings on a throwaway database (DATABASE_URL picks PostgreSQL)
bench: $(VENV)/.installed-run pdf-libraries
	$(BIN)/python bench/run.py $(BENCH_ARGS)

chromium:
	@scripts/ensure-chromium

pdf-libraries:
	@scripts/ensure-pdf-libraries

lint check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock:
	scripts/lock "$(PYTHON)"

clean:
	rm -rf $(VENV) *.egg-info build staticfiles test-artifacts .ruff_cache .hypothesis
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
