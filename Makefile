# Fresh machine with Python 3.11: `make run` (app on SQLite with demo data), `make test` (whole suite).
PY ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: venv lock run test lint bench worker beat

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 tidak ditemukan: set PY=/path/to/python3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs exactly what the lock names, every file checked against its hash.
venv: $(BIN)/python requirements-dev.lock
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock

# requirements.txt / requirements-dev.txt are the inputs (add a dependency there and in pyproject.toml),
# the .lock files the output: every version pinned with the hashes of every wheel of it (any platform, so
# the Docker image installs from the same lock). Versions already in a lock are kept (a relock only adds or
# removes what changed); `make lock UPGRADE=1` moves everything to the newest allowed. Uses uv's cache:
# UV_OFFLINE=1 relocks without the network when the packages were seen before.
UV_COMPILE = $(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: $(BIN)/python
	@test -x $(BIN)/uv || $(BIN)/pip install -q "uv>=0.5"
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) -c requirements.lock requirements-dev.txt -o requirements-dev.lock

run: venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Cheap checks, run by .ci/run before the tests: ruff (lint and format), migrations, packaging, mypy on the
# services/selectors/views ([tool.mypy]) and the allowed import directions between the apps ([tool.importlinter]).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py check
	$(BIN)/python -m pytest -q tests/test_packaging.py
	DEBUG=$${DEBUG:-1} $(BIN)/mypy
	$(BIN)/lint-imports --no-cache

worker: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A pkk worker -l info

beat: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A pkk beat -l info

bench: venv
	DEBUG=$${DEBUG:-1} PKK_DEV_TOOLS=1 $(BIN)/python manage.py bench $(BENCH_ARGS)
