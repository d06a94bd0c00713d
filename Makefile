# The two entry points of a fresh machine: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system

# Installing takes minutes on a fresh machine: pip shows what it fetches as it goes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -e '.[test,postgres,modeling,hub]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check ucwidgets tests benchmarks examples

# The browser tests need Debian's Chromium, the team-mode tests a PostgreSQL server binary, and
# the JupyterHub tests the Hub's proxy, configurable-http-proxy (from npm).
system:
	@if [ -x /usr/bin/chromium ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's chromium and postgresql (a few minutes)"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    chromium postgresql; \
	else \
	  echo "note: install Debian's chromium and postgresql to run every test" >&2; \
	fi
	@if command -v configurable-http-proxy >/dev/null 2>&1; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v npm >/dev/null 2>&1; then \
	  echo "installing configurable-http-proxy (npm) for the JupyterHub tests"; \
	  npm install -g --no-fund --no-audit configurable-http-proxy@5; \
	else \
	  echo "note: npm install -g configurable-http-proxy to run the JupyterHub tests" >&2; \
	fi

# pytest exits 5 when it collects nothing; say so, since that is never a pass here. Unbuffered,
# so that its progress shows as it happens even when the output is not a terminal.
test: lint system
	$(BIN)/python -u -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$rc
