# Two commands for a newcomer: `make run` (build the warehouse from data/reports) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# Debian packages: LibreOffice converts .doc/.wps/.xls (antiword/catdoc its plain-text fallback),
# a CJK font renders scanned-PDF test fixtures and the report's screenshots, libgl1/libglib2.0-0 are
# what OpenCV (under the OCR engine) loads, and Chromium checks the report in a real headless browser.
# Installed only when missing (CI runs as root).
SYSDEPS := libreoffice-writer-nogui libreoffice-calc-nogui antiword catdoc fonts-wqy-zenhei fonts-noto-cjk \
	libgl1 libglib2.0-0 chromium

.PHONY: run test test-fast lint bench lock docs clean sysdeps contract

# uv does not read pip's settings: hand it the package index a user configured for pip
# (UV_INDEX_URL wins, then PIP_INDEX_URL, then pip.conf's global.index-url; the same for the
# extra index), so `make` installs behind an intranet mirror.  With extra indexes uv picks the best
# version across all of them, as pip does (uv alone stops at the first index that has a package).
UV_INDEXES = index="$${UV_INDEX_URL:-$${PIP_INDEX_URL:-$$($(BIN)/pip config get global.index-url 2>/dev/null)}}"; \
	extra="$${UV_EXTRA_INDEX_URL:-$${PIP_EXTRA_INDEX_URL:-$$($(BIN)/pip config get global.extra-index-url 2>/dev/null)}}"; \
	set -- $${index:+--index-url "$$index"} $${extra:+--extra-index-url "$$extra" --index-strategy unsafe-best-match}

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "uv>=0.4"

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(UV_INDEXES); $(BIN)/uv pip install "$$@" --python $(BIN)/python --compile-bytecode --quiet -r requirements.lock
	$(UV_INDEXES); $(BIN)/uv pip install "$$@" --python $(BIN)/python --compile-bytecode --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@missing=$$(for p in $(SYSDEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "sysdeps: install $$missing with your package manager"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

run: $(STAMP) sysdeps
	$(BIN)/jixiao refresh --reports data/reports --db warehouse/jixiao.duckdb
	$(BIN)/jixiao report --db warehouse/jixiao.duckdb --out warehouse/report

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest

# The edit loop: everything but the tests marked slow (no Prefect server, no dbt build, no whole-report OCR).
test-fast: $(STAMP) sysdeps
	$(BIN)/python -m pytest -m "not slow"

# Lint, format and types as configured in pyproject.toml (also the pre-commit hooks).
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

# every figure of BENCHMARKS.md with its ratio to the last run; e.g. make bench BENCH_ARGS="--reports 100000"
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/jixiao bench $(BENCH_ARGS)

# Regenerate the dbt YAML, reference seeds and gate vocabularies from jixiao/contract/spec.yml.
contract: $(STAMP)
	$(BIN)/python -m jixiao.contract.generate

docs: $(STAMP)
	$(BIN)/python -m jixiao.warehouse.dbt_runner docs generate

lock: | $(BIN)/python
	$(UV_INDEXES); $(BIN)/uv pip compile "$$@" --quiet requirements.in -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) warehouse target logs dbt_packages
