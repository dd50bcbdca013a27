# The README's two commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

PYTEST_WORKERS ?= 2
# pytest-xdist: tests of one module share a worker (module-scoped servers start once); 0 or 1 runs serially.
PYTEST_PARALLEL := $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadscope)

.PHONY: demo test test-fast lint typecheck pytest browser-deps test-browser bench schemas catalog docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/c2c demo

test: $(STAMP_DEV) lint typecheck pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# C2C_REQUIRE_BROWSER=1: the real-browser test fails instead of skipping when Chromium is missing.
pytest: $(STAMP_DEV) browser-deps
	C2C_REQUIRE_BROWSER=1 $(BIN)/pytest -q $(PYTEST_PARALLEL)

# The local loop: lint, types and every test but the slow end-to-end ones and the browser test (CI runs
# `make test`, which runs them all).
test-fast: $(STAMP_DEV) lint typecheck
	$(BIN)/pytest -q $(PYTEST_PARALLEL) -m "not slow and not browser"

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/run.py

schemas: $(STAMP_DEV)
	$(BIN)/python scripts/gen_contract_schemas.py

catalog: $(STAMP_DEV)
	$(BIN)/python scripts/gen_matter_catalog.py

# The real-browser login test runs in CI, never skips: Debian's Chromium + chromedriver (selenium is in
# the dev extra), installed only when chromedriver is missing (apt needs root, as CI runs).
browser-deps:
	command -v chromedriver >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

# Only the real-browser login test.
test-browser: $(STAMP_DEV) browser-deps
	C2C_REQUIRE_BROWSER=1 $(BIN)/pytest -q -m browser tests/browser

docs: $(STAMP_DEV)
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache
