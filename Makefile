# Two commands on a fresh machine with Python 3.11 and make:
#   make demo   start the demo on http://127.0.0.1:8000 (SQLite, Kyoto demo data, task worker)
#   make test   run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The rules run in their own environment: OpenFisca-Japan pins OpenFisca-Core 41 and numpy < 1.25.
RULES_VENV := .venv-rules
RULES_STAMP := $(RULES_VENV)/.installed-stamp
RULES_REQUIREMENTS := src/madoguchi/eligibility/rules/requirements.txt
export DJANGO_SETTINGS_MODULE ?= madoguchi.conf.base

.PHONY: demo test lint format browser pdftools messages translations clean rules bench-eligibility bench-back-office bench-registry-import bench-opendata bench-submissions audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(RULES_STAMP): $(RULES_REQUIREMENTS)
	$(PYTHON) -m venv $(RULES_VENV)
	$(RULES_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RULES_VENV)/bin/python -m pip install --quiet -r $(RULES_REQUIREMENTS)
	touch $(RULES_STAMP)

rules: $(RULES_STAMP)

# The full synthetic Kyoto registry through Madoguchi's engine and stock OpenFisca-Japan.
bench-eligibility: $(RULES_STAMP)
	PYTHONPATH=src $(RULES_VENV)/bin/python bench/eligibility.py

# The registry's CSV files through manage.py import_registry, rows per second (BENCH_PERSONS,
# DATABASE_URL to choose the size and the database).
bench-registry-import: $(STAMP) messages
	$(BIN)/python bench/registry_import.py

# Signing, verification, the queue page and webhooks, each against its reference.
bench-back-office: $(STAMP) messages
	$(BIN)/python bench/back_office.py

# package_search on 20,000 datasets / 200,000 resources and datastore_search on 1,000,000 rows,
# on SQLite and on PostgreSQL (BENCH_DATABASE_URL, emptied first), against their targets.
bench-opendata: $(STAMP) messages
	$(BIN)/python bench/opendata.py

# Full submissions under gunicorn on PostgreSQL against pgbench on the same database (≤ 60 s of
# load); BENCH_DATABASE_URL names the database it recreates.
bench-submissions: $(STAMP) messages
	$(BIN)/python bench/submissions.py $(BENCH_ARGS)

# Compile the translations with polib, so that no gettext tools are needed.
messages: $(STAMP)
	$(BIN)/python -m madoguchi.core.compilemessages

# For developers (needs GNU gettext): refresh every app's catalog after changing strings, then
# translate the new entries in <app>/locale/en/LC_MESSAGES/django.po.
translations: $(STAMP)
	for app in src/madoguchi/*/locale; do \
	  (cd $$(dirname $$app) && ../../../$(BIN)/django-admin makemessages -l en --no-obsolete); \
	done

# Debian's chromium for the browser tests (the only browser they use); installed when missing
# and this machine can install packages.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)."; fi; \
	fi

# Debian's poppler-utils (pdfsig) and NSS tools (certutil): the tests validate every signed
# PDF with a validator independent of ours.
pdftools:
	@if ! command -v pdfsig >/dev/null || ! command -v certutil >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils libnss3-tools >/dev/null; \
	  else echo "Signature tests need pdfsig and certutil (apt-get install poppler-utils libnss3-tools)."; fi; \
	fi

demo: $(STAMP) $(RULES_STAMP) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_demo_ca --if-missing
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py serve_demo

# The independent OpenID Connect provider the tests log in through (Node 20+, npm).
IDP := tests/oidc/node_modules/.package-lock.json
$(IDP): tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund --silent
	touch $(IDP)

# One worker per core (pytest-xdist); a test file stays on one worker so that its fixtures are
# built once. PYTEST_ARGS='-n 0 tests/x' runs in one process.
test: $(STAMP) $(RULES_STAMP) messages browser pdftools $(IDP)
	$(BIN)/python -m pytest --ds=madoguchi.conf.test -n auto --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Known vulnerabilities in the installed Python packages (PyPI advisory data).
audit: $(STAMP)
	$(BIN)/pip-audit --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) $(RULES_VENV) var tests/oidc/node_modules
