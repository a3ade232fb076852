# Fresh machine with Python 3.11: `make run` (app on SQLite with demo data), `make test` (whole suite).
PY ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: venv run test lint bench worker beat

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 tidak ditemukan: set PY=/path/to/python3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt

run: venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

worker: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A pkk worker -l info

beat: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A pkk beat -l info

bench: venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py bench $(BENCH_ARGS)
