# Two commands for a newcomer: `make run` (build the warehouse from data/reports) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

.PHONY: run test bench lock docs clean sysdeps

# Debian packages the readers use: LibreOffice converts .doc/.wps/.xls, antiword/catdoc are its
# plain-text fallback, a CJK font renders scanned-PDF test fixtures, libgl1/libglib2.0-0 are what
# OpenCV (under the OCR engine) loads.  Skipped when all are there.
SYSDEPS := libreoffice-writer-nogui libreoffice-calc-nogui antiword catdoc fonts-wqy-zenhei libgl1 libglib2.0-0

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "uv>=0.4"

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@missing=$$(for p in $(SYSDEPS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "sysdeps: no apt-get; install by hand: $$missing" >&2; exit 0; fi; \
	sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	echo "sysdeps: installing $$missing"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing

run: sysdeps $(STAMP)
	$(BIN)/jixiao refresh --reports data/reports --db warehouse/jixiao.duckdb

test: sysdeps $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/jixiao bench

docs: $(STAMP)
	$(BIN)/python -m jixiao.dbt_runner docs generate

lock: | $(BIN)/python
	$(BIN)/uv pip compile --quiet requirements.in -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) warehouse target logs dbt_packages .jixiao_cache
