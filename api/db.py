"""The database: engine, sessions and the migrations applied at start.

SQLite (the default, file ``sla.db``) runs in WAL mode so that readers never
wait for a writer, with foreign keys on and a busy timeout so that a second
writer waits instead of failing. PostgreSQL goes through psycopg 3. The schema
is whatever the Alembic migrations in ``api/migrations`` make it; they run at
start, under an advisory lock on PostgreSQL so that several workers starting
together migrate once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text

from .config import normalise_database_url

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x5_1A_5E  # any constant; names the advisory lock of the migrations


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url`` with the connection settings the service relies on."""
    url = normalise_database_url(database_url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # 20 connections per worker at most: four workers stay within PostgreSQL's default 100.
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, by default the newest (a no-op when it is there already)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if is_postgresql(engine):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def ping(engine: Engine) -> None:
    """Run a trivial query; raises when the database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
