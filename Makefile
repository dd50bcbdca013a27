# The README's two commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest test-browser bench schemas catalog docs clean

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

pytest: $(STAMP_DEV)
	$(BIN)/pytest -q

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/run.py

schemas: $(STAMP_DEV)
	$(BIN)/python scripts/gen_contract_schemas.py

catalog: $(STAMP_DEV)
	$(BIN)/python scripts/gen_matter_catalog.py

# A real-browser login test: Debian's Chromium + chromedriver driven by Selenium (apt needs root).
test-browser: $(STAMP_DEV)
	command -v chromedriver >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)
	$(BIN)/python -m pip install --quiet 'selenium>=4.20'
	$(BIN)/pytest -q -m browser tests/browser

docs: $(STAMP_DEV)
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache
