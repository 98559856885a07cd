# lossbook: build the book and run every check.
#
#   make book       build the HTML site into _build/html (warnings are errors)
#   make test       hygiene, unit tests + doctests, nbval, clean build, browser and PDF tests
#   make serve      serve the built site on http://127.0.0.1:8000
#   make student    write the student edition (no solutions) into _build/student
#   make pdf        print the book and one PDF per chapter into _build/pdf (after the site)
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
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-cell-timeout=120 -p tests.nbval_figures
# nbval runs every notebook on math kernels other than the machine's own (OpenBLAS's
# generic x86-64 kernel, PyTorch without AVX, NumPy's baseline loops without AVX2/AVX-512),
# while `make notebooks` stores the outputs with the native ones: one run checks that the
# stored outputs are current and that they do not depend on the kernels.
# Native run: `make nbval OTHER_KERNELS=`.
OTHER_KERNELS := OPENBLAS_CORETYPE=Prescott ATEN_CPU_CAPABILITY=default \
                 NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR"
# Two workers (CI has two cores); --dist loadfile keeps each notebook in one worker.
PARALLEL    := -n 2 --dist loadfile
# The browser tests read the built site; they run after `book`, not with the unit tests.
SITE_TESTS  := tests/browser
PDF_TESTS   := tests/pdf
CHROMIUM    := /usr/bin/chromium
SITE        := _build/html/index.html
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help env book test hygiene unit nbval site-test pdf pdf-test serve student notebooks clean

help:
	@sed -n '3,9p' Makefile

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
# $(1): the arguments; $(2), optional: VAR=value pairs for pytest's environment.
define pytest
	@rc=0; $(2) $(BIN)/python -m pytest $(1) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: pytest $(1)" >&2; exit 1; fi; \
	exit $$rc
endef

hygiene: $(STAMP)
	$(BIN)/python scripts/check_notebooks.py chapters

unit: $(STAMP)
	$(call pytest,$(PARALLEL) tests --ignore=$(SITE_TESTS) --ignore=$(PDF_TESTS) --doctest-modules lossbook)

nbval: $(STAMP)
	$(call pytest,$(PARALLEL) $(NBVAL_FLAGS) chapters,$(OTHER_KERNELS))

# The built site, which the browser tests and `serve` read; `make book` writes it.
$(SITE):
	@echo "no site in _build/html: run make book" >&2; exit 1

# Debian's Chromium, which the browser tests and the PDF print drive through Playwright (no
# browser download), and Poppler's tools, which check the PDF.
$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core poppler-utils

site-test: $(STAMP) $(CHROMIUM) $(SITE)
	$(call pytest,$(SITE_TESTS))

pdf: book $(CHROMIUM)
	$(BIN)/python scripts/build_pdf.py

# Prints the PDF first when it is missing or older than the site and its sources.
pdf-test: $(STAMP) $(CHROMIUM)
	$(call pytest,$(PDF_TESTS))

serve: $(SITE)
	python3 -m http.server --directory _build/html --bind 127.0.0.1 8000

student: $(STAMP)
	$(BIN)/python scripts/student_edition.py _build/student

# The browser tests and the PDF both read the built site, each in one Chromium, and the print
# of the whole book keeps one renderer busy for minutes: on two cores they run side by side
# (each one's output is shown when it ends).
test: $(STAMP)
	$(MAKE) --no-print-directory hygiene
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	rm -rf _build
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory -j2 --output-sync=target site-test pdf-test

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py chapters

clean:
	rm -rf _build .jupyter_cache .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
