# make up    — install what is missing, start everything, print URLs and demo logins
# make test  — install what is missing, run the whole test suite
# make lint  — ruff check and format check
# make bench — benchmarks (tables on stdout, figures in bench/results/)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# reinstall only when the dependencies change
STAMP := $(VENV)/.installed-from-pyproject

.PHONY: up test lint bench install

up: $(STAMP)
	$(BIN)/hub up

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# editable_mode=compat puts the checkout itself on the path, so packages added later are found without a reinstall
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python -e '.[dev]' -C editable_mode=compat
	touch $@
