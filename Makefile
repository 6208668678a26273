# The two commands of the README's quick start, and a few more.
# Each target creates (or reuses) .venv from the pinned requirements.lock.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test test-fast benchmark clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## serve: build the portal and serve it with live preview on http://127.0.0.1:8000/
serve: $(STAMP)
	$(BIN)/mkdocs serve

## build: build the portal into site/ (fails on any error or program-design warning)
build: $(STAMP)
	$(BIN)/mkdocs build --strict

## check: validate program.yml and the pages without building
check: $(STAMP)
	$(BIN)/program-portal check --strict

## test: run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## test-fast: the suite without browser tests
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

## benchmark: measure build time, download generation and memory
benchmark: $(STAMP)
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf site .pytest_cache .hypothesis
