# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench postgres

$(BIN)/sla: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(BIN)/sla
	$(BIN)/sla serve --load policies

# The storage tests also run on PostgreSQL (127.0.0.1:5432, database `test`, or
# SLA_TEST_POSTGRES_URL). Start the local cluster if it is installed but down;
# without PostgreSQL those tests skip locally and fail when CI=true.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
	  (command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1 && \
	   pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start) || true

test: $(BIN)/sla postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Benchmarks print medians and the ratio to each issue's target; not part of the tests.
bench: $(BIN)/sla postgres
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/eval.py
	$(BIN)/python bench/clock.py
	$(BIN)/python bench/diff.py
	$(BIN)/python bench/api.py
