# Two commands for a newcomer: `make dataset` and `make test` (see README.md).
# Everything they need is installed here, so a clean clone on a fresh machine works.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: dataset test setup browser lint typecheck docs clean-venv

dataset: setup
	$(BIN)/rasd build
	$(BIN)/rasd validate
	$(BIN)/rasd stats

test: setup browser lint typecheck
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

# docs/errors.md is generated from the error catalogue; tests/test_architecture.py checks it is current.
docs: setup
	$(BIN)/python -m rasd.core.problems.index > docs/errors.md

clean-venv:
	rm -rf $(VENV)
