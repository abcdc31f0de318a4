# The two-command contract: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FLASK  := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=

.PHONY: install translations run serve worker beat migrate test lint bench bench-load bench-detail-pg test-sqlite test-postgres browser-deps redis-deps pdf-deps vendor messages clean

install: $(STAMP) translations pdf-deps

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Compile the Arabic/English catalogues of core and of every plugin (its own domain).
translations: $(STAMP)
	@for dir in core/translations core/*/translations; do \
	  ls $$dir/*/LC_MESSAGES/*.po >/dev/null 2>&1 || continue; \
	  $(BIN)/pybabel compile --statistics -d $$dir -D messages || exit 1; \
	done
	@for dir in plugins/*/translations; do \
	  ls $$dir/*/LC_MESSAGES/*.po >/dev/null 2>&1 || continue; \
	  id=$$(basename $$(dirname $$dir)); \
	  $(BIN)/pybabel compile --statistics -d $$dir -D $$id || exit 1; \
	done

migrate: install
	$(FLASK) db upgrade
	$(FLASK) tenants apply tenants
	$(FLASK) demo load

run: migrate
	@echo "Serving on http://127.0.0.1:5000 — demo logins are listed above."
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production serving (README "Production"): gunicorn, several workers, settings in gunicorn.conf.py.
serve: install
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# Background jobs when REDIS_URL is set: a Celery worker, and beat for the periodic work.
worker: install
	$(BIN)/celery -A core.jobs.celery_app worker --loglevel=INFO

beat: install
	mkdir -p instance
	$(BIN)/celery -A core.jobs.celery_app beat --loglevel=INFO --schedule instance/celerybeat-schedule

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint browser-deps redis-deps
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: install
	bash scripts/with-postgres.sh $(BIN)/pytest -q $(PYTEST_ARGS)

# Schemathesis (--checks all) against the served API; test-sqlite and test-postgres run it too
# (tests/test_api_fuzz.py). This target runs it alone on a throwaway SQLite database.
.PHONY: test-api-fuzz
test-api-fuzz: install
	$(BIN)/python scripts/api_fuzz.py

# Debian's Chromium for the Playwright tests (never a downloaded browser).
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# PDF exports (core/pdf.py): WeasyPrint's Pango/HarfBuzz libraries, an Arabic font (Noto Naskh
# Arabic, Debian's fonts-noto-core) and pdftotext (poppler-utils) for the tests that read PDFs back.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils
ARABIC_FONT  := /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf
pdf-deps:
	@{ ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && test -f $(ARABIC_FONT) && command -v pdftotext >/dev/null; } \
	  || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(PDF_PACKAGES); }

# Debian's redis-server for the end-to-end test through a real Celery worker (the test starts
# and stops its own server on 127.0.0.1).
redis-deps:
	@test -x /usr/bin/redis-server || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; }

# Refresh the vendored front-end assets from npm (committed; pages never use a CDN).
vendor:
	rm -rf node_modules && npm install --no-audit --no-fund
	mkdir -p core/static/vendor/bootstrap core/static/vendor/swagger-ui
	cp node_modules/bootstrap/dist/css/bootstrap.rtl.min.css node_modules/bootstrap/dist/css/bootstrap.min.css \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/LICENSE core/static/vendor/bootstrap/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js \
	   node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/LICENSE core/static/vendor/swagger-ui/

# Refresh a catalogue after changing strings: make messages DIR=core/registry (or plugins/<id>)
messages: install
	$(BIN)/python scripts/i18n.py update $(or $(DIR),core)
	$(BIN)/python scripts/i18n.py missing || true

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Issue 19's hot paths, each candidate interleaved with its baseline in one run; prints the
# ratio against its target per row (bench/README.md). Not part of the test suite.
# BENCH_HOUSEHOLDS sizes the search rows; BENCH_SCALE the flat family-name rows.
BENCH_HOUSEHOLDS ?= 50000
BENCH_SCALE ?= 10000,50000,200000
BENCH_IMPORT_SCALE ?= 10000,50000,200000
bench: install
	@uptime
	-$(BIN)/python bench/dispatch.py
	-$(BIN)/python bench/request_detail.py
	-$(BIN)/python bench/search_rows.py --households $(BENCH_HOUSEHOLDS)
	-$(BIN)/python bench/search_rows.py --scale $(BENCH_SCALE) --calls 100
	-$(BIN)/python bench/registry_import.py --rows 50000
	-$(BIN)/python bench/registry_import.py --households 50000
	-$(BIN)/python bench/registry_import.py --scale $(BENCH_IMPORT_SCALE)
	-$(BIN)/python bench/request_numbers.py --threads 8 --each 50
	@uptime

# 200 clients x 60 s creating and submitting requests against gunicorn on a throwaway PostgreSQL
# (bench/load.py, bench/README.md "Load"). BENCH_LOAD_ARGS: e.g. --quick, --workers 4.
bench-load: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	@uptime
	bash scripts/with-postgres.sh sh -c 'DATABASE_URL=$$TEST_DATABASE_URL DATABASE_OWNER_URL=$$TEST_DATABASE_OWNER_URL \
	  $(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)'
	@uptime

# Issue 19's request-detail row on a throwaway PostgreSQL as well (bench/request_detail.py: the
# platform and a bare Flask app, each behind gunicorn, interleaved); `make bench` runs SQLite's.
bench-detail-pg: install
	@uptime
	bash scripts/with-postgres.sh sh -c 'DATABASE_URL=$$TEST_DATABASE_URL DATABASE_OWNER_URL=$$TEST_DATABASE_OWNER_URL \
	  $(BIN)/python bench/request_detail.py --postgresql $(BENCH_DETAIL_ARGS)'
	@uptime
