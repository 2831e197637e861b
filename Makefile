# The two commands a newcomer needs: `make run` and `make test`. Re-running either is fast and safe.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Letters' PDFs (WeasyPrint) need Pango and the Liberation fonts to run; the tests need Chromium too.
RUN_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2
SYSTEM_PACKAGES := chromium $(RUN_PACKAGES)
# Where `make run` serves: `make run PORT=8001` if 8000 is taken.
HOST ?= 127.0.0.1
PORT ?= 8000
# Wait up to 5 minutes for another apt-get or dpkg to let go of the package lock. `apt-get update`
# (apt 2.6) ignores that timeout for the package lists' lock, so the recipe retries it as well.
APT_GET := apt-get -o DPkg::Lock::Timeout=300

.PHONY: run test lint bench mutate install install-test frontend system-packages run-packages clean

# The demo runs letters' background work (PDF, email) straight after each step, with no worker,
# and keeps the emails it "sends" as files in var/sent-mail/ instead of sending them.
DEMO_MAIL := TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend

# The demo signs in with a password alone: no role must use a second factor (README, "Demo sign-ins").
run: install frontend run-packages
	DEBUG=true PUTRIGHT_TWO_FACTOR_REQUIRED_FOR= $(BIN)/putright migrate --noinput
	DEBUG=true PUTRIGHT_TWO_FACTOR_REQUIRED_FOR= $(DEMO_MAIL) $(BIN)/putright demo --if-empty
	DEBUG=true PUTRIGHT_TWO_FACTOR_REQUIRED_FOR= $(DEMO_MAIL) $(BIN)/putright runserver $(HOST):$(PORT)

test: install-test frontend system-packages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install-test frontend
	$(BIN)/python benchmarks/run.py

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "PutRight needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

frontend: static_build/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed $(shell find frontend -type f 2>/dev/null)
	npm run --silent build
	touch $@

# Debian packages the browser tests and PDF rendering need: installed when we are root,
# otherwise named so that someone with rights can install them. `make run` needs only PDF's.
run-packages:
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(RUN_PACKAGES)"

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    for try in $$(seq 60); do \
	      out=$$($(APT_GET) update -qq 2>&1) && break; \
	      if [ $$try = 60 ] || ! grep -q 'Could not get lock' <<<"$$out"; then echo "$$out" >&2; exit 1; fi; \
	      echo "Waiting for another package install to finish"; sleep 5; \
	    done; \
	    DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these Debian packages (as root): sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

MUTMUT_VERSION := 3.8.1

# Mutation testing of the rules core (settings: setup.cfg [mutmut]); slow, so never part of
# `make test` or CI. Results are cached in mutants/: delete it for a clean run.
mutate: install-test
	@$(BIN)/python -c 'import importlib.metadata as m; assert m.version("mutmut") == "$(MUTMUT_VERSION)"' 2>/dev/null \
	  || $(BIN)/pip install --quiet mutmut==$(MUTMUT_VERSION)
	@mkdir -p mutants
	@echo "mutmut: mutating putright/rules against tests/rules (log: mutants/mutmut-run.log)"
	@$(BIN)/mutmut run > mutants/mutmut-run.log 2>&1 || { tail -c 3000 mutants/mutmut-run.log; exit 1; }
	@$(BIN)/mutmut export-cicd-stats > /dev/null
	@$(BIN)/python -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); print("{total} mutants: {killed} killed, {timeout} timed out (also caught), {survived} survived, {no_tests} not run by any test".format(**s))'
	@$(BIN)/mutmut results

clean:
	rm -rf $(VENV) node_modules static_build mutants
