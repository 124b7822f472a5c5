# Simpul — two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := SIMPUL_ENV=development
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/simpul

.PHONY: demo test test-pg check lint migrations-check translations-check messages bench serve clean

$(STAMP): requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Simpul needs Python 3.11 or newer"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

## make demo: install, migrate SQLite under var/, load the region tree and the demo city, serve :8000
demo: $(STAMP)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py regions_load
	$(DEV_ENV) $(PY) manage.py demo_load
	$(DEV_ENV) SIMPUL_TASKS_INLINE=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: $(STAMP)
	$(PY) -m pytest

test-pg: $(STAMP)
	DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest

## make check: lint, migration check, translation check, deploy check, then the tests
check: lint migrations-check translations-check test

lint: $(STAMP)
	$(VENV)/bin/ruff check .

migrations-check: $(STAMP)
	SIMPUL_ENV=test $(PY) manage.py makemigrations --check --dry-run

translations-check: $(STAMP)
	SIMPUL_ENV=test $(PY) -m simpul.core.i18n_check

messages: $(STAMP)
	SIMPUL_ENV=test $(PY) manage.py makemessages -l id --no-location --ignore=.venv --ignore=var --ignore=bench
	SIMPUL_ENV=test $(PY) manage.py compilemessages -l id --ignore=.venv

bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/bench_growth.py

clean:
	rm -rf var/simpul.sqlite3* var/static
