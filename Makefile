# The two entry points of a fresh machine: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test,postgres,modeling]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m ucwidgets.demo $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check ucwidgets tests benchmarks

# The browser tests need Debian's Chromium, the team-mode tests a PostgreSQL server binary.
system:
	@if [ -x /usr/bin/chromium ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium postgresql >/dev/null; \
	else \
	  echo "note: install Debian's chromium and postgresql to run every test" >&2; \
	fi

# pytest exits 5 when it collects nothing; say so, since that is never a pass here.
test: lint system
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$rc
