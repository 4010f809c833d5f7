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

# the browser test drives Debian's chromium headless; installed here when apt can, as root, and skipped without it;
# docker-compose and nginx check the generated docker-compose.yml and deploy/nginx.conf the same way
test: $(STAMP)
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && timeout 600 apt-get install -y -qq chromium >/dev/null 2>&1; } || \
		echo "chromium is not installed (apt-get install chromium): the browser test will be skipped"
	@command -v docker-compose >/dev/null || { [ "$$(id -u)" = 0 ] && timeout 600 apt-get install -y -qq docker-compose >/dev/null 2>&1; } || \
		echo "docker-compose is not installed (apt-get install docker-compose): its check of docker-compose.yml will be skipped"
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && timeout 600 apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1; } || \
		echo "nginx is not installed (apt-get install nginx-light): its check of deploy/nginx.conf will be skipped"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# the API benchmark's load generator is wrk (Debian package); installed here when apt can, as root
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null 2>&1; } || \
		echo "wrk is not installed (apt-get install wrk): the api benchmark will say so and the others still run"
	$(BIN)/python -m bench

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# editable_mode=compat puts the checkout itself on the path, so packages added later are found without a reinstall
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python -e '.[dev]' -C editable_mode=compat
	touch $@
