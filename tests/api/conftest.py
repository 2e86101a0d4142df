"""Fixtures for the HTTP service: a client on SQLite and on PostgreSQL.

PostgreSQL is the local server (127.0.0.1:5432, user ``postgres``, database
``test``, or ``SLA_TEST_POSTGRES_URL``). Each test run gets its own schema,
dropped at the end, so that runs never collide; tables are emptied between
tests. When the server is unreachable the PostgreSQL tests skip, except under
``CI=true`` where they fail: CI must test what production runs on.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient
from psycopg import sql

from api.app import create_app

POSTGRES_URL = os.environ.get("SLA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TABLES = ("evaluation", "measurement", "measurement_batch", "policy_version", "policy")
POLICIES = Path(__file__).parents[2] / "policies"


def postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(f"PostgreSQL unreachable: {reason}")


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of this test run's own, dropped afterwards; yields the database URL that selects it."""
    schema = f"sla_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        postgres_unavailable(str(exc).strip())
        return
    with admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _empty_postgres(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute("SELECT to_regclass('policy')").fetchone()
        if exists and exists[0] is not None:
            connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sla.db'}"
    url: str = request.getfixturevalue("postgres_schema")
    _empty_postgres(url)
    return url


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A client of the service on a fresh database, migrated by the app's start."""
    with TestClient(create_app(database_url)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def desk_source() -> str:
    return (POLICIES / "it-service-desk.sla").read_text(encoding="utf-8")


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    """``sla serve``'s uvicorn on a free port, in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(database_url), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)
