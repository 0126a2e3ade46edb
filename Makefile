# Alongside: `make run` starts the assistant, `make test` runs every test.
# Both set everything up on first use: Python 3.10 virtualenv, dependencies, the local spaCy
# pipeline, the trained model (only when config, domain, data or content changed), the web chat's
# JavaScript (npm ci, by python -m bot) and the database. `make test` also installs Debian's
# Chromium for the browser tests when it is missing (as root; ALONGSIDE_SKIP_BROWSER=1 skips them).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

# The first Python 3.10 found: python3.10 on PATH, else pyenv's. Rasa 3.6 refuses 3.11+.
FIND_PYTHON310 = for candidate in python3.10 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python; do \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then echo "$$candidate"; break; fi; \
	done

.PHONY: help run test check shell train validate migrate clean browser-deps lock audit bench chaos

help:
	@echo "make run       start Alongside (rasa server, action server, worker, dashboard) on localhost"
	@echo "make test      run the whole test suite"
	@echo "make check     lint, format check, types, data validation and the fast tests (CI runs it first)"
	@echo "make shell     chat with Alongside in this terminal"
	@echo "make train     train the model if anything that shapes it changed"
	@echo "make validate  check the training data and domain (rasa data validate)"
	@echo "make bench     measure speed, memory and NLU against Rasa's stock recipe (about 15 min; var/bench.json)"
	@echo "make chaos     kill the action server, the worker and the database mid-conversation (also in make test)"
	@echo "make migrate   bring the database up to date"
	@echo "make clean     remove the virtualenv, node_modules, models and local data (var/)"
	@echo "make browser-deps  install Debian's Chromium for the browser tests (make test does it)"
	@echo "make lock      write the exact installed versions to requirements.lock"
	@echo "make audit     check requirements.lock for known vulnerabilities (pip-audit)"

$(INSTALLED): pyproject.toml
	@python310=$$($(FIND_PYTHON310)); \
	if [ -z "$$python310" ]; then \
	  echo "Alongside needs Python 3.10 (Rasa 3.6 does not run on 3.11 or newer)."; \
	  echo "Install it, for example with 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv',"; \
	  echo "then run make again."; \
	  exit 1; \
	fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python310"; "$$python310" -m venv $(VENV); fi
	@echo "Installing dependencies (the first time takes a few minutes and about 3 GB)..."
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

run: $(INSTALLED)
	@$(PY) -m bot run

shell: $(INSTALLED)
	@$(PY) -m bot shell

train: $(INSTALLED)
	@$(PY) -m bot train

migrate: $(INSTALLED)
	@$(PY) -m bot migrate

# Our recipe against Rasa's stock one on the same domain and data: one table, var/bench.json.
# See bench/run.py and docs/performance.md.
bench: $(INSTALLED)
	@$(PY) bench/run.py

# Fault injection: the real launcher on PostgreSQL; the action server, worker and database are
# taken away in turn mid-conversation (tests/test_chaos.py; make test runs it too).
chaos: $(INSTALLED)
	@$(PY) -m bot prepare
	@$(PY) -m pytest tests/test_chaos.py -q

validate: $(INSTALLED)
	@$(PY) -m bot prepare
	@$(PY) -m rasa data validate --config config.yml --domain var/build/domain --data bot/data var/build/data --fail-on-warnings

# Headless Chromium for the browser tests, from Debian (Playwright's own download does not
# work everywhere). Idempotent: does nothing when chromium is already there, or when
# ALONGSIDE_SKIP_BROWSER=1.
browser-deps:
	@if [ "$$ALONGSIDE_SKIP_BROWSER" = 1 ]; then echo "Browser tests skipped (ALONGSIDE_SKIP_BROWSER=1)."; \
	elif ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium (Debian package) for the browser tests..."; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium: install it (for example 'apt-get install chromium'),"; \
	    echo "or set ALONGSIDE_SKIP_BROWSER=1 to skip them."; \
	  fi; \
	fi

# The quick gate, also run by .ci/run before `make test` and by .pre-commit-config.yaml:
# ruff (lint and format), mypy on bot/, rasa data validate, and the tests that need no model.
check: $(INSTALLED)
	@echo "ruff check"; $(PY) -m ruff check bot tests bench
	@echo "ruff format --check"; $(PY) -m ruff format --check --quiet bot tests bench
	@echo "mypy"; $(PY) -m mypy
	@echo "rasa data validate"; $(MAKE) --no-print-directory validate
	@echo "fast tests"; $(PY) -m pytest -q -m "not slow" tests/unit tests/test_import_layers.py tests/test_content_check.py

test: $(INSTALLED) browser-deps
	@$(PY) -m bot prepare
	@$(PY) -m pytest

# The exact versions installed, for audit and for reproducible deployments.
lock: $(INSTALLED)
	@$(PY) -m pip freeze --exclude-editable | sort > requirements.lock
	@echo "Wrote requirements.lock ($$(wc -l < requirements.lock) packages)."

# pip-audit over the locked versions, from a separate virtualenv so it never changes .venv.
# It needs to reach a vulnerability database (PyPI's JSON API or OSV); see docs/privacy.md.
audit: lock
	@if [ ! -x .venv-audit/bin/pip-audit ]; then \
	  python310=$$($(FIND_PYTHON310)); "$$python310" -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.10.1; \
	fi
	@.venv-audit/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --progress-spinner off

clean:
	rm -rf $(VENV) .venv-audit models var node_modules .pytest_cache .hypothesis
