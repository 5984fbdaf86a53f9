# PST Library Service — every command a developer, CI or an administrator needs.
# `make run` on a bare machine: install, migrate, load demo data, serve on :8000.

# Settings come from the environment; a .env file (see .env.example) is read when present.
ifneq (,$(wildcard .env))
include .env
export
endif

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
UV := .tools/bin/uv
# `make run` is the development server; everything else runs the production settings.
DEV_ENV := DEBUG=true

.PHONY: help setup system-deps run serve worker test test-unit e2e fuzz lint fmt migrations-check \
        messages vendor collectstatic clean bench-delivery bench-complaints bench-search \
        bench-visits bench-feedback bench-softcopies bench-scale backup bench-reports bench-ocr

help:
	@echo "make run      install, migrate, seed demo data and serve on http://127.0.0.1:$(PORT) (with a worker)"
	@echo "make test     lint, migration check, unit tests and browser tests (installs what they need)"
	@echo "make serve    production-like: gunicorn + WhiteNoise (needs SECRET_KEY, ALLOWED_HOSTS)"
	@echo "make worker   run the background-job worker"
	@echo "make e2e      browser tests only;  make lint / fmt / messages / vendor"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet
	touch $@

setup: $(VENV)/.synced

# Debian packages: Chromium for the browser tests, qpdf and poppler-utils as independent
# PDF judges, gettext to rebuild translations; Ghostscript, ImageMagick and LibreOffice
# (Writer, no GUI: about 200 MB, 45 s to install) make the PDF corpus of
# tests/delivery/test_corpus.py; Tesseract with Indonesian and English (and Ghostscript)
# recognise the text of scans (OCRmyPDF, catalog/ocr.py); Dovecot is the real IMAP server
# the mailbox tests start (throw-away configuration, unprivileged port). Installed only
# when missing.
TESSDATA := /usr/share/tesseract-ocr/5/tessdata
system-deps:
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  command -v gs >/dev/null || missing="$$missing ghostscript"; \
	  command -v convert >/dev/null || missing="$$missing imagemagick"; \
	  command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	  command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	  [ -f $(TESSDATA)/ind.traineddata ] || missing="$$missing tesseract-ocr-ind"; \
	  [ -f $(TESSDATA)/eng.traineddata ] || missing="$$missing tesseract-ocr-eng"; \
	  [ -f $(TESSDATA)/osd.traineddata ] || missing="$$missing tesseract-ocr-osd"; \
	  [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  fi

run: setup
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "Starting the background worker and the web server on http://127.0.0.1:$(PORT)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(DEV_ENV) $(PY) manage.py db_worker & \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: setup
	$(PY) manage.py db_worker

collectstatic: setup
	$(PY) manage.py collectstatic --no-input

serve: setup collectstatic
	$(PY) manage.py migrate --no-input
	$(VENV)/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) \
	  --workers $${WEB_CONCURRENCY:-2} --worker-class gthread --threads $${WEB_THREADS:-16} \
	  --access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# ruff, and the import contract (.importlinter: apps depend downwards only; see
# docs/architecture.md). tests/core/test_imports.py keeps imports at the top of modules.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: setup
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

test-unit: setup system-deps
	$(VENV)/bin/pytest -m "not e2e" -q

e2e: setup system-deps
	$(VENV)/bin/pytest -m e2e -q

test: setup system-deps lint migrations-check test-unit e2e

# Schemathesis over every API operation (part of test-unit with 20 cases per operation).
fuzz: setup
	SCHEMATHESIS_MAX_EXAMPLES=$${SCHEMATHESIS_MAX_EXAMPLES:-100} $(VENV)/bin/pytest tests/api/test_schemathesis.py -q

messages: setup
	$(DEV_ENV) $(PY) manage.py makemessages -l id --no-obsolete --no-location \
	  --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=tests --ignore=var
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules

# Front-end assets come from npm and are committed under static/vendor/ (no CDN, no build).
vendor:
	npm install --no-audit --no-fund
	mkdir -p static/vendor/htmx static/vendor/axe-core static/vendor/pdfjs/web
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE static/vendor/axe-core/
	mkdir -p static/vendor/chartjs
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map \
	   node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	cp node_modules/pdfjs-dist/LICENSE node_modules/pdfjs-dist/build/pdf.min.mjs \
	   node_modules/pdfjs-dist/build/pdf.worker.min.mjs static/vendor/pdfjs/
	cp node_modules/pdfjs-dist/web/pdf_viewer.mjs node_modules/pdfjs-dist/web/pdf_viewer.css static/vendor/pdfjs/web/
	rm -rf static/vendor/pdfjs/web/images static/vendor/pdfjs/standard_fonts
	cp -r node_modules/pdfjs-dist/web/images static/vendor/pdfjs/web/images
	cp -r node_modules/pdfjs-dist/standard_fonts static/vendor/pdfjs/standard_fonts

# Softcopies: requests per second, scan/page-range delivery time, stamped download, queue latency.
bench-softcopies: setup
	$(PY) bench/softcopies.py

# Complaints: registration rate, due dates, register/export/lookup latency (SQLite, no network).
bench-complaints: setup
	$(PY) bench/complaints.py

# Queue benchmark: 500 tickets from 50 clients, 50 locker clicks for 20 lockers (SQLite, or
# PostgreSQL when DATABASE_URL is set: it uses a throwaway database pst_bench_visits there).
bench-visits: setup
	$(PY) bench/visits.py
# Satisfaction survey: answers per second, results/report/PDF/summary/API latency (SQLite).
bench-feedback: setup
	$(PY) bench/feedback.py

clean:
	rm -rf $(VENV) .tools var/static

# Benchmarks (figures for the issue notes; not timed tests).
bench-delivery: setup system-deps
	$(PY) bench/delivery.py

# Catalogue search benchmark: 100,000 publications + 1,000 with 50 pages of text, 50 queries.
# Sizes: make bench-search BENCH_ARGS="--rows 20000 --text-rows 200"; PostgreSQL: BENCH_DATABASE_URL.
bench-search: setup
	$(PY) bench/search.py $(BENCH_ARGS)
# Text recognition of scanned pages (OCRmyPDF + Tesseract ind+eng): seconds per page.
bench-ocr: setup system-deps
	$(PY) bench/ocr.py $(BENCH_ARGS)
# One and two app servers (gunicorn) on PostgreSQL + Redis: a busy day's mixed load.
# Needs PostgreSQL on 127.0.0.1:5432 (trust) and Redis on 127.0.0.1:6379; BENCH_USERS, BENCH_DURATION.
bench-scale: setup
	$(PY) bench/scale.py

# Database and private files into BACKUP_DIR (see docs/deploy.md for the schedule).
backup: setup
	$(PY) manage.py backup --keep $${BACKUP_KEEP:-14}

# Reports: a year of data for one office; dashboard and monthly-report times (SQLite, and
# PostgreSQL when BENCH_POSTGRES_URL is set, e.g. postgres://postgres@127.0.0.1:5432/pst_bench).
bench-reports: setup
	$(PY) bench/reports.py
