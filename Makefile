# make       : set up .venv, install l10n, build the localized site from the shipped pages and catalogs
# make test  : set up .venv with test dependencies, install what the tests need, run ruff and pytest
# make bench : run the side-by-side benchmark (installs the peer tools)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: all build test bench system-deps clean

all: build

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/l10n build

# Tools the tests drive: GNU gettext (msgfmt -c), Chromium for the browser tests, a CJK font.
system-deps:
	@sh tests/install_system_deps.sh

test: $(TEST_STAMP) system-deps
	$(BIN)/ruff check l10n tests benchmarks
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	@sh benchmarks/install_peers.sh
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .l10n-cache
