# Vanthu — developer commands. `make demo` and `make test` are all a newcomer needs.
#
#   make demo              set up .venv, compile messages, load the demo province, serve on 127.0.0.1:8000
#   make test              the test suite on SQLite (PostgreSQL-only, heavy and browser tiers deselected);
#                          with VANTHU_TEST_DATABASE_URL=postgres://… every tier on PostgreSQL
#   make lint | typecheck | migrations-check | messages | lock | clean | help
#
# Variables: PYTHON (python3), VENV (.venv), VANTHU_DATA_DIR (./var), PYTEST_ARGS (extra pytest
# arguments, e.g. PYTEST_ARGS="-k agency -x"), PYTEST_WORKERS (pytest-xdist workers, 0 = serial).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.vanthu-install-stamp
export VANTHU_DATA_DIR ?= $(CURDIR)/var

# Debian packages: gettext (compilemessages); poppler-utils (pdfsig, pdftoppm, pdftotext),
# libnss3-tools (certutil for pdfsig's trust store), softhsm2 (PKCS#11 tests) and fonts-noto-core
# (the signature stamps' font source) for the signing app; libreoffice-writer-nogui and
# fonts-liberation2 (Times New Roman's metric twin) for DOCX → PDF conversion in the documents app;
# tesseract-ocr, tesseract-ocr-vie and ghostscript for OCRmyPDF (scans of paper documents);
# python3-venv only to create the venv when the Python in use cannot; chromium for the browser
# tier (PostgreSQL pass of `make test`).
DEBIAN_PACKAGES := gettext postgresql-client poppler-utils libnss3-tools softhsm2 fonts-noto-core libreoffice-writer-nogui fonts-liberation2 tesseract-ocr tesseract-ocr-vie ghostscript
BROWSER_PACKAGES := chromium
SQLITE_TIERS := (not postgres and not heavy and not browser) or sqlite_heavy
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help demo test lint typecheck migrations-check messages compile-messages lock clean distclean \
	venv debian-packages hooks

help:
	@sed -n '1,10p' Makefile | sed 's/^# \{0,1\}//'

## ---- setup -----------------------------------------------------------------------------------

debian-packages:
	@packages="$(DEBIAN_PACKAGES) $(EXTRA_DEBIAN_PACKAGES)"
	if [ ! -x "$(BIN)/python" ] && ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then
	    packages="$$packages python3-venv"
	fi
	scripts/check_debian_packages.sh $$packages

# (Re)install only when requirements.lock or pyproject.toml changed: the stamp keeps their hash.
venv:
	@if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
	    echo "Vanthu needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) --version 2>&1). Use: make PYTHON=python3.11 …" >&2
	    exit 1
	fi
	if [ ! -x "$(BIN)/python" ]; then
	    echo "==> creating $(VENV)"
	    $(PYTHON) -m venv $(VENV)
	fi
	wanted="$$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$wanted" ]; then
	    echo "==> installing the locked dependencies into $(VENV)"
	    $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	    $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	    echo "$$wanted" > $(STAMP)
	fi

# The catalogue lives in src/vanthu/locale; compiled only when a .po exists (msgfmt skips up-to-date .mo).
compile-messages: venv
	@if compgen -G "src/vanthu/locale/*/LC_MESSAGES/*.po" >/dev/null; then
	    cd src/vanthu && $(abspath $(BIN))/vanthu manage compilemessages --verbosity 0 --ignore 'static'
	fi

hooks: venv
	$(BIN)/pre-commit install

## ---- the two commands ----------------------------------------------------------------------

demo: debian-packages venv compile-messages
	@exec $(BIN)/vanthu demo

# Exit code 5 (no test collected or all deselected) is a failure: a green run must have run tests.
test:
	@if [ -n "$${VANTHU_TEST_DATABASE_URL:-}" ]; then
	    $(MAKE) debian-packages EXTRA_DEBIAN_PACKAGES="$(BROWSER_PACKAGES)"
	else
	    $(MAKE) debian-packages
	fi
	$(MAKE) venv compile-messages
	workers=()
	if [ "$(PYTEST_WORKERS)" != "0" ]; then workers=(-n "$(PYTEST_WORKERS)"); fi
	if [ -n "$${VANTHU_TEST_DATABASE_URL:-}" ]; then
	    # Browser journeys run in a pytest process of their own: Playwright's sync API keeps an
	    # event loop running in the main thread, which would break code that uses asyncio.run().
	    echo "==> tests: every tier but the browser on PostgreSQL ($${VANTHU_TEST_DATABASE_URL%%\?*})"
	    set +e; $(BIN)/pytest --create-db -m "not browser" "$${workers[@]}" $(PYTEST_ARGS); status=$$?; set -e
	    if [ "$$status" -eq 0 ]; then
	        echo "==> tests: browser journeys on PostgreSQL"
	        set +e; $(BIN)/pytest --create-db -m browser "$${workers[@]}" $(PYTEST_ARGS); status=$$?; set -e
	    fi
	else
	    echo "==> tests: SQLite, tiers: $(SQLITE_TIERS)"
	    set +e; $(BIN)/pytest -m "$(SQLITE_TIERS)" "$${workers[@]}" $(PYTEST_ARGS); status=$$?; set -e
	fi
	if [ "$$status" -eq 5 ]; then
	    echo "make test: pytest ran no test (exit 5) — that is a failure." >&2
	    exit 1
	fi
	exit "$$status"

## ---- checks ----------------------------------------------------------------------------------

# Runs all three and fails if any failed, so one run shows every problem.
lint: venv
	@status=0
	echo "==> ruff check"; $(BIN)/ruff check . || status=1
	echo "==> ruff format --check"; $(BIN)/ruff format --check . || status=1
	echo "==> lint-imports"; $(BIN)/lint-imports --no-cache || status=1
	exit $$status

typecheck: venv
	@echo "==> mypy"; $(BIN)/mypy

migrations-check: venv
	@echo "==> makemigrations --check"
	DJANGO_SETTINGS_MODULE=vanthu.config.settings.test $(BIN)/vanthu manage makemigrations --check --dry-run

## ---- maintenance -------------------------------------------------------------------------------

# Extracts the strings into src/vanthu/locale/vi/LC_MESSAGES/django.po (the lead translates them).
messages: debian-packages venv
	mkdir -p src/vanthu/locale
	cd src/vanthu && $(abspath $(BIN))/vanthu manage makemessages -l vi --add-location file \
	    --ignore static --ignore tests

# Regenerates requirements.lock from a clean venv with the test extras (needs the package index).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check '.[test]'
	{ echo "# Generated by 'make lock' (pip freeze of a clean venv with .[test]); used by make and CI."
	  .lock-venv/bin/python -m pip freeze --exclude vanthu; } > requirements.lock
	rm -rf .lock-venv build
	echo "requirements.lock: $$(grep -vc '^#' requirements.lock) pins"

clean:
	rm -rf build dist .lock-venv .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the virtualenv and the demo data (var/).
distclean: clean
	rm -rf $(VENV) var
