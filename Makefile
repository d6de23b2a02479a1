# Threefold: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format check-python chromium lock clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Threefold needs Python 3.11 or newer; set PYTHON=python3.x")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

# Stamp files make repeated runs fast: reinstall only when the dependencies change.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed-run

## run: install, migrate, load the synthetic demo agency and serve on http://$(HOST)
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST)

## test: install the test tools and Debian's chromium, lint, and run the whole suite
test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check .
	$(BIN)/pytest

chromium:
	@scripts/ensure-chromium

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## lock: rebuild constraints.txt from pyproject.toml in a throwaway environment
lock: check-python
	rm -rf /tmp/threefold-lock && $(PYTHON) -m venv /tmp/threefold-lock
	/tmp/threefold-lock/bin/python -m pip -q install --upgrade pip
	/tmp/threefold-lock/bin/python -m pip -q install -e ".[test]"
	{ echo "# Exact versions for reproducible installs. Regenerate with: make lock"; \
	  /tmp/threefold-lock/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf /tmp/threefold-lock

clean:
	rm -rf $(VENV) staticfiles *.egg-info
