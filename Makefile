# lossbook: build the book and run every check.
#
#   make book       build the HTML site into _build/html (warnings are errors)
#   make test       notebook hygiene, unit tests + doctests, nbval, clean book build
#   make notebooks  re-execute every chapter notebook in place (refresh outputs)
#   make clean      remove build output and caches (keeps .venv)
#
# The targets create .venv (Python 3.11) and install requirements.txt and the
# package itself (`pip install -e .`) when .venv is missing or when
# requirements.txt / pyproject.toml changed since the last install.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lossbook-installed

JB_FLAGS    := --builder html -W -n --keep-going
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-cell-timeout=120

.PHONY: help env book test hygiene unit nbval notebooks clean

help:
	@sed -n '3,6p' Makefile

env: $(STAMP)

$(STAMP): requirements.txt $(wildcard pyproject.toml)
	@test -x $(BIN)/python || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q -e .
	@# Build matplotlib's font cache now: its one-time notice on stderr would
	@# otherwise land in the first notebook that imports matplotlib.
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	@touch $@

book: $(STAMP)
	@rc=0; $(BIN)/jupyter-book build . $(JB_FLAGS) || rc=$$?; \
	if [ $$rc -ne 0 ]; then \
	  for log in _build/html/reports/*.log; do \
	    [ -e "$$log" ] || continue; echo "===== $$log"; cat "$$log"; \
	  done; \
	  echo "book build failed (exit $$rc)" >&2; exit $$rc; \
	fi

# pytest exits 5 when it collected nothing; treat that as a failure with a
# clear message instead of letting an empty suite look like a result.
define pytest
	@rc=0; $(BIN)/python -m pytest $(1) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: pytest $(1)" >&2; exit 1; fi; \
	exit $$rc
endef

hygiene: $(STAMP)
	$(BIN)/python scripts/check_notebooks.py chapters

unit: $(STAMP)
	$(call pytest,tests --doctest-modules lossbook)

nbval: $(STAMP)
	$(call pytest,$(NBVAL_FLAGS) chapters)

test: $(STAMP)
	$(MAKE) --no-print-directory hygiene
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	rm -rf _build
	$(MAKE) --no-print-directory book

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py chapters

clean:
	rm -rf _build .jupyter_cache .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
