# Two commands for a newcomer: `make run` and `make test`. Everything else is plumbing.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Settings default to production-safe (DEBUG off); local commands ask for development mode.
DEV := DEBUG=1

.PHONY: run reset-password test lint format check install clean bench fuzz fuzz-conformance soak test-deploy

# Set up, migrate, load the demo timeline, create an admin account, and serve on SQLite,
# with the task worker beside the server. ensure_admin speaks last before the server starts,
# so the address and the login are not lost in the set-up output.
run: install
	$(DEV) $(PY) manage.py migrate --noinput --verbosity 0
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py ensure_admin --url http://127.0.0.1:$(PORT)/admin/
	@# The background worker (large imports and their undoing, docs/importing.md) runs beside
	@# the server and stops with it.
	$(DEV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# A new password for the admin account (TIMELINE_ADMIN_PASSWORD, or generated and printed).
reset-password: install
	$(DEV) $(PY) manage.py ensure_admin --reset-password --url http://127.0.0.1:$(PORT)/admin/

# ruff (lint and format check), Django's checks, the migration check, then the whole test suite.
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The benchmark (docs/benchmarks.md): DATABASE_URL names a PostgreSQL database whose name
# contains "bench"; SCALE=0.1 for 100,000 events.
SCALE ?= 1
bench: install
	bash bench/setup.sh
	$(DEV) $(PY) -m bench.generate --scale $(SCALE)
	$(DEV) $(PY) -m bench.run

# The long property-based run of the API (docs/operations.md, "Keeping it proven"): at least
# 100 examples per operation, anonymous and with a token, on a throwaway copy of the demo data.
fuzz: install
	$(PY) -m bench.fuzz

# Do the schema and the API agree on which requests are valid? schemathesis' input-conformance
# checks, anonymous, 10 examples per operation (docs/benchmarks.md, "Robustness"); target 0.
fuzz-conformance: install
	$(PY) -m bench.fuzz --conformance --port 8833

# Ten minutes at a fixed request rate against gunicorn: 5xx and worker memory growth
# (docs/benchmarks.md, "Robustness"); DATABASE_URL names the data to serve.
soak: install
	$(PY) -m bench.soak --duration 600

# nginx (Debian's nginx-light) in front of gunicorn with the configuration in deploy/.
test-deploy: install
	$(VENV)/bin/pytest tests/deploy -p no:cacheprovider

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

install: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) var/
