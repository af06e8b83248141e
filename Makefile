# Two commands do all set-up on a fresh machine:
#   make run   - virtualenv, migrate, demo data, development server on SQLite + database search
#   make test  - the whole test suite against real PostgreSQL, Elasticsearch and Redis (started if needed)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# the feed's absolute links (product pages, images) point at the server `make run` starts, unless set
SITE_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test venv vendor services services-stop lint fmt demo clean mutation fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# the browser libraries pinned in package-lock.json, copied into web/static/vendor/ (scripts/vendor-static.sh)
vendor:
	scripts/vendor-static.sh

run: venv vendor
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	SITE_BASE_URL=$(SITE_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: venv vendor
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data

test: venv vendor
	PATH="$(abspath $(BIN)):$$PATH" scripts/test.sh

services:
	scripts/services.sh start

services-stop:
	scripts/services.sh stop

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Mutation testing of the rule modules ([tool.mutmut] in pyproject.toml), on demand, on SQLite: long (tens of
# minutes); not part of `make test` or CI. MUTANTS narrows the run: make mutation MUTANTS='catalog.visibility.*'
MUTANTS ?=
mutation: venv
	DATABASE_URL= $(BIN)/mutmut run --max-children $$(nproc) $(MUTANTS); \
	DATABASE_URL= $(BIN)/mutmut results

# Stateful schemathesis fuzzing, every role, 100 examples per operation (bench/fuzz_api.py); on demand, long
FUZZ_ARGS ?=
fuzz: venv
	$(BIN)/python bench/fuzz_api.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3 test-output mutants node_modules web/static/vendor
