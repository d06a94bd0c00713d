# The two entry points of a fresh machine: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test,postgres,modeling]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m ucwidgets.demo $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check ucwidgets tests benchmarks

# pytest exits 5 when it collects nothing; say so, since that is never a pass here.
test: lint
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$rc
