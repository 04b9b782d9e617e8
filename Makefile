# Two commands set up a fresh machine: `make run` (build the lake, then the app) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SNAPSHOT ?=
SNAPSHOT_FLAG := $(if $(SNAPSHOT),--snapshot $(abspath $(SNAPSHOT)),)
STAMP := $(VENV)/.installed
# checkov pins many libraries of its own: it lives in a separate tools venv, never in ours.
TOOLS_VENV ?= .venv-tools
CHECKOV_VERSION := 3.3.30
TOOLS_STAMP := $(TOOLS_VENV)/.checkov-$(CHECKOV_VERSION)

.PHONY: venv tools browser run build test test-fast lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all]'
	touch $(STAMP)

venv: $(STAMP)

$(TOOLS_STAMP):
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

# The page tests drive a real headless Chromium, from Debian's packages.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Land every raw asset (from the portal, or offline from SNAPSHOT), materialise the lake,
# print its status, then serve the app on :8501.
run: venv
	$(BIN)/bhnav materialize $(SNAPSHOT_FLAG)
	$(BIN)/bhnav status
	$(BIN)/bhnav app

# Build the lake without starting the app.
build: venv
	$(BIN)/bhnav materialize $(SNAPSHOT_FLAG)
	$(BIN)/bhnav status

# The whole test suite; the city's files are read from SNAPSHOT (default ../shared/data).
test: venv tools browser
	BHNAV_SNAPSHOT_DIR=$(abspath $(or $(SNAPSHOT),../shared/data)) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: venv
	BHNAV_SNAPSHOT_DIR=$(abspath $(or $(SNAPSHOT),../shared/data)) $(BIN)/python -m pytest -m "not slow and not spark and not browser" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .lake
