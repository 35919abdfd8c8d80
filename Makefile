# The two commands of the README: `make run` (set up, build the data when stale, serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HGKM_HOST ?= 127.0.0.1
HGKM_PORT ?= 8050
export HGKM_HOST HGKM_PORT

.PHONY: run serve data demo test browser bench lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed; serving needs only requirements.txt.
$(VENV)/.installed-run: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed-run
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: create the environment, build the warehouse when missing or stale, serve the dashboard
run: data serve

serve: $(VENV)/.installed-run
	$(BIN)/gunicorn --workers 2 --threads 4 --preload --limit-request-line 8190 --bind $(HGKM_HOST):$(HGKM_PORT) app:server

## data: build the warehouse of HGKM_DATASET (default cbs) only when inputs or code changed
data: $(VENV)/.installed-run
	$(BIN)/python -m etl build --if-stale

## demo: build and serve the fictitious demo dataset
demo: export HGKM_DATASET = demo
demo: run

## browser: install Debian's Chromium (browser tests) and redis-server (shared-cache test) when missing
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing: $$missing (install Debian's packages: apt-get install $$missing)"; exit 1; fi; fi

## test: every test, installing what the tests need, after the dependency audit
test: $(VENV)/.installed-dev browser audit
	$(BIN)/ruff check .
	$(BIN)/pytest -q -ra

## audit: fail on a known vulnerability in any installed Python package (PyPI's advisories; see the script for why
## not pip-audit). An advisory to skip goes here as `--ignore-vuln ID`, with the reason in a comment above it.
.PHONY: audit
audit: $(VENV)/.installed-dev
	$(BIN)/python tools/audit_dependencies.py

## bench: the performance benchmarks (prints a table, writes benchmarks/results/*.json)
bench: $(VENV)/.installed-dev browser
	$(BIN)/python -m benchmarks

## soak: 10 minutes of 32 users on the production server (demo data, loopback); zero errors, memory growth <= 10%
.PHONY: soak
soak: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.soak

## lighthouse: Lighthouse accessibility score of every page (npm install into .cache/lighthouse; a report, not a test)
.PHONY: lighthouse
lighthouse: $(VENV)/.installed-run browser
	$(BIN)/python -m benchmarks.lighthouse

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf data/warehouse data/demo artifacts benchmarks/results .pytest_cache
