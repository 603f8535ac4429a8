# The two commands README.md opens with:
#   make demo   - run the example gallery on http://localhost:8501
#   make test   - install everything (system packages, Python, npm) and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# The lowest Streamlit st-page-state supports (pyproject.toml: streamlit>=1.55); `make test-floor`
# runs the suite on it, pinned exactly, in a virtualenv of its own.
FLOOR_STREAMLIT := 1.55.0
FLOOR_VENV ?= .venv-floor
FLOOR_BIN := $(FLOOR_VENV)/bin
# `make test-nightly`: the suite on Streamlit's nightly build (the streamlit-nightly package), not part of `make test`.
NIGHTLY_VENV ?= .venv-nightly
NIGHTLY_BIN := $(NIGHTLY_VENV)/bin

.PHONY: demo test test-floor test-nightly test-load setup system-deps frontend typecheck lint bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(FLOOR_VENV)/.installed: pyproject.toml Makefile
	test -x $(FLOOR_BIN)/python || $(PYTHON) -m venv $(FLOOR_VENV)
	$(FLOOR_BIN)/pip install --quiet --upgrade pip
	$(FLOOR_BIN)/pip install --quiet "streamlit==$(FLOOR_STREAMLIT)" -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

st_page_state/bridge_assets/url_bridge.js: node_modules/.installed $(wildcard frontend/src/*.ts) vite.config.ts
	npm run build

frontend: st_page_state/bridge_assets/url_bridge.js

setup: $(VENV)/.installed frontend

system-deps:
	bash scripts/install-system-deps.sh

demo: setup
	$(BIN)/streamlit run examples/gallery.py --server.port $(PORT) --server.headless true

typecheck: setup
	$(BIN)/mypy
	npm run typecheck

lint: setup
	$(BIN)/ruff check st_page_state examples tests

test: system-deps setup
	npm test
	$(BIN)/mypy
	$(BIN)/ruff check st_page_state examples tests
	$(BIN)/pytest -m "not browser" -n 2 --dist loadfile
	# One browser test at a time: they measure real-user timings, which a second
	# browser and server competing for 2 cores would distort.
	$(BIN)/pytest -m browser -n 0
	$(MAKE) --no-print-directory test-floor

# The lowest supported Streamlit (`make test` runs it after the full suite on the newest): the suite
# without the browser tests, then the browser smoke set (bridge, reload, a form, Back/Forward) that
# covers what an old AppTest cannot show. About four minutes; pip's cache makes the install quick.
test-floor: system-deps frontend $(FLOOR_VENV)/.installed
	$(FLOOR_BIN)/python -c 'import streamlit as s; v = s.__version__; assert v == "$(FLOOR_STREAMLIT)", v; print("floor: streamlit", v)'
	$(FLOOR_BIN)/pytest -m "not browser" -n 2 --dist loadfile --ignore=tests/e2e
	$(FLOOR_BIN)/pytest -m browser -n 0 tests/e2e/test_floor_smoke.py

$(NIGHTLY_VENV)/.installed: pyproject.toml Makefile
	test -x $(NIGHTLY_BIN)/python || $(PYTHON) -m venv $(NIGHTLY_VENV)
	$(NIGHTLY_BIN)/pip install --quiet --upgrade pip
	$(NIGHTLY_BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The whole suite on Streamlit's newest nightly build, to see a coming change before it ships. The
# nightly package installs the same `streamlit` module: it replaces the release in its own venv, and
# is upgraded on every run. Failures in tests/test_streamlit_internals.py name the internal that moved.
test-nightly: system-deps frontend $(NIGHTLY_VENV)/.installed
	$(NIGHTLY_BIN)/pip uninstall --quiet --yes streamlit streamlit-nightly
	$(NIGHTLY_BIN)/pip install --quiet --upgrade --pre streamlit-nightly
	$(NIGHTLY_BIN)/python -c 'import streamlit as s; print("nightly: streamlit", s.__version__)'
	$(NIGHTLY_BIN)/pytest -m "not browser" -n 2 --dist loadfile --ignore=tests/e2e
	$(NIGHTLY_BIN)/pytest -m browser -n 0

# The load test of README's Deployment section: 8 tabs, each changing values and reloading 6 times, through
# nginx in front of two `streamlit run` processes sharing one redis-server; nothing may be lost (about 2
# minutes). `make test` runs a smaller version (4 tabs, 3 rounds). LOAD_TABS, LOAD_ROUNDS, LOAD_TAIL override.
test-load: system-deps setup
	LOAD_TABS=$${LOAD_TABS:-8} LOAD_ROUNDS=$${LOAD_ROUNDS:-6} $(BIN)/pytest -m browser -n 0 -s tests/e2e/test_load.py

# Every benchmark, one after the other (about 20 minutes); each prints markdown tables to stdout.
bench: system-deps setup
	$(BIN)/python benchmarks/rerun_overhead.py --profile
	$(BIN)/python benchmarks/widgets.py
	$(BIN)/python benchmarks/store_calls.py
	$(BIN)/python benchmarks/browser.py

# The same, --quick: a smoke run of about two minutes, figures too rough to quote.
bench-quick: system-deps setup
	$(BIN)/python benchmarks/rerun_overhead.py --quick
	$(BIN)/python benchmarks/widgets.py --quick
	$(BIN)/python benchmarks/store_calls.py --quick
	$(BIN)/python benchmarks/browser.py --quick

clean:
	rm -rf $(VENV) $(FLOOR_VENV) $(NIGHTLY_VENV) node_modules st_page_state/bridge_assets
