# The two commands of the README's quick start, and a few more.
# Each target creates (or reuses) .venv from the pinned requirements.lock.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test test-fast benchmark offline clean translations

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# npm dev tools for the tests and the offline pack (package.json): axe-core, iframe-worker.
# Installed when package.json or the lock is newer than node_modules; skipped quietly without npm.
NPM        := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
ifneq ($(NPM),)
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)
else
	@true
endif

## serve: build the portal and serve it with live preview on http://127.0.0.1:8000/ (make serve PORT=8001)
# program-portal serve and build review mkdocs.yml before MkDocs reads it (serve: on every reload too)
PORT ?=
serve: $(STAMP)
	$(BIN)/program-portal serve $(if $(PORT),--port $(PORT))

## build: build the portal into site/ (fails on any error or program-design warning)
build: $(STAMP)
	$(BIN)/program-portal build --strict

## check: validate program.yml and the pages without building
check: $(STAMP)
	$(BIN)/program-portal check --strict

## test: run the whole test suite
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

## test-fast: the suite without browser tests
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

## translations: extract the labels (i18n/labels.py) into portal.pot, update every catalog, compile them
# A changed English label comes back fuzzy in each catalog, a new one empty: tests/test_i18n.py fails
# until a translator has reviewed them (docs/translations.md).
I18N := plugins/program_portal/i18n
translations: $(STAMP)
	$(BIN)/pybabel extract --no-default-keywords -k 'label:1c,2' -k 'plural:1c,2,3' --no-location \
	  --project program-portal --copyright-holder "The program portal authors" -o $(I18N)/portal.pot $(I18N)/labels.py
	$(BIN)/pybabel update -D portal -i $(I18N)/portal.pot -d $(I18N)/locale
	$(BIN)/pybabel compile --statistics -D portal -d $(I18N)/locale

## benchmark: measure build time, download generation and memory
benchmark: $(STAMP)
	$(BIN)/python benchmarks/build.py

## offline: offline/portal-offline.zip, the portal for a file share (file://), search included
# (mkdocs.offline.yml; nothing fetched from the internet to build it; the zip's timestamps are
# SOURCE_DATE_EPOCH when set, else 1980-01-01, so the same sources give the same zip)
OFFLINE_DIR   ?= offline
OFFLINE_EPOCH := $(or $(SOURCE_DATE_EPOCH),315532800)
OFFLINE_SITE  := $(OFFLINE_DIR)/portal-offline
IFRAME_WORKER := node_modules/iframe-worker
offline: $(STAMP) $(NODE_STAMP)
	@test -f $(IFRAME_WORKER)/shim/index.js || { echo "make offline: needs npm and package.json's iframe-worker (search from file://)" >&2; exit 1; }
	rm -rf $(OFFLINE_SITE) $(OFFLINE_DIR)/portal-offline.zip
	mkdir -p $(OFFLINE_DIR)
	$(BIN)/program-portal build --strict -f $(CURDIR)/mkdocs.offline.yml -d $(abspath $(OFFLINE_SITE))
	rm -f $(OFFLINE_SITE)/404.html  # links from the server's root (/assets/...): no server, no 404 page
	mkdir -p $(OFFLINE_SITE)/assets/vendor/iframe-worker
	cp $(IFRAME_WORKER)/shim/index.js $(OFFLINE_SITE)/assets/vendor/iframe-worker/shim.js
	cp $(IFRAME_WORKER)/LICENSE $(OFFLINE_SITE)/assets/vendor/iframe-worker/LICENSE
	chmod -R u=rwX,go=rX $(OFFLINE_SITE)
	find $(OFFLINE_SITE) -exec touch -d @$(OFFLINE_EPOCH) {} +
	cd $(OFFLINE_DIR) && TZ=UTC $(abspath $(BIN))/python -m zipfile -c portal-offline.zip portal-offline/
	@echo "$(OFFLINE_DIR)/portal-offline.zip: unzip it on a file share and open portal-offline/index.html"

clean:
	rm -rf site .pytest_cache .hypothesis
