"""The bulk store: a frame written and read back is the same frame, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import polars as pl
import psycopg
import pytest
from polars.testing import assert_frame_equal
from sqlmodel import Session

from api import crud, db, domain, store
from api.frames import FRAMES, FrameCache
from api.models import BatchRecord

from .conftest import POSTGRES_URL

SIMPLE = 'sla "P1 resolution": resolution_time p95 < 4h monthly, credit 5%\n'
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def frame(**columns: list[object]) -> pl.DataFrame:
    base = {
        "metric": pl.String,
        "time": pl.Int64,
        "value": pl.Float64,
        "start": pl.Int64,
        "end": pl.Int64,
    }
    schema = {**base, **{name: pl.String for name in columns if name not in base}}
    return pl.DataFrame(columns, schema=schema)


def insert(
    session: Session, policy_id: int, rows: pl.DataFrame, dims: list[str], kind: str = store.STORED
) -> BatchRecord:
    """``rows`` stored as a batch of ``kind`` with the dimension columns ``dims``; the caller commits."""
    return store.insert_batch(
        session,
        policy_id=policy_id,
        kind=kind,
        frame=rows,
        dimensions=dims,
        body_hash=uuid.uuid4().hex,
        created_at=NOW,
    )


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on an empty database; batch ids restart, so no cached frame may outlive the test."""
    FRAMES.clear()
    engine = db.make_engine(database_url)
    db.migrate(engine)
    with Session(engine) as opened:
        yield opened
    engine.dispose()


def test_rows_round_trip_exactly_with_nulls_quotes_and_extreme_values(session: Session) -> None:
    first = frame(
        metric=["resolution_time", "resolution_time", "weird"],
        time=[1_767_225_600_000_000, -1, 2**62],
        value=[0.1 + 0.2, None, 1e-300],
        start=[None, 1_767_225_000_000_000, None],
        end=[None, 1_767_225_600_000_000, None],
        priority=["P1", None, 'a "quoted", comma'],
    )
    second = frame(metric=["x"], time=[5], value=[-0.0], start=[None], end=[None], channel=[""])
    policy, _ = crud.create_policy(session, "desk", domain.read_policy(SIMPLE), None)
    assert policy.id is not None
    for batch in (first, second):
        insert(session, policy.id, batch, [c for c in batch.columns if c not in store._FIXED])
    session.commit()
    loaded = store.load_frame(session, store.stored_batches(session, policy.id))
    expected = pl.concat([first, second], how="diagonal")
    assert_frame_equal(loaded, expected)


def test_batches_posted_to_evaluate_are_not_stored_measurements(session: Session) -> None:
    policy, _ = crud.create_policy(session, "desk", domain.read_policy(SIMPLE), None)
    assert policy.id is not None
    rows = frame(metric=["m"], time=[1], value=[1.0], start=[None], end=[None])
    insert(session, policy.id, rows, [], kind=store.EVALUATED)
    session.commit()
    assert store.stored_batches(session, policy.id) == []
    assert store.load_frame(session, []).height == 0


@pytest.fixture
def empty_database_url(database_url: str) -> Iterator[str]:
    """``database_url``, on PostgreSQL in a schema of its own with no tables yet."""
    if database_url.startswith("sqlite"):
        yield database_url
        return
    schema = database_url.rsplit("%3D", 1)[1] + "_empty"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_migration_0002_keeps_the_rows_of_the_first_schema_in_order(empty_database_url: str) -> None:
    engine = db.make_engine(empty_database_url)
    db.migrate(engine, "0001")
    with Session(engine) as session:
        policy, _ = crud.create_policy(session, "desk", domain.read_policy(SIMPLE), None)
        connection = session.connection()
        connection.exec_driver_sql(
            "INSERT INTO measurement_batch (policy_id, kind, rows, dimensions, body_hash, created_at) "
            f"VALUES ({policy.id}, 'stored', 3, '[\"site\"]', 'h', '2026-01-01')"
        )
        for time, dims in ((3, """'{"site":"A"}'"""), (1, "NULL"), (2, """'{"site":"B"}'""")):
            connection.exec_driver_sql(
                "INSERT INTO measurement (batch_id, metric, time, value, dims) "
                f"VALUES (1, 'm', {time}, 1.5, {dims})"
            )
        session.commit()
    db.migrate(engine)
    with Session(engine) as session:
        loaded = store.load_frame(session, store.stored_batches(session, 1))
    assert loaded["time"].to_list() == [3, 1, 2]
    assert loaded["site"].to_list() == ["A", None, "B"]
    engine.dispose()


def test_cached_rows_are_the_rows_read_from_the_database(session: Session) -> None:
    """The write-through cache must give exactly the database's frame, dimensions of all batches included."""
    policy, _ = crud.create_policy(session, "desk", domain.read_policy(SIMPLE), None)
    assert policy.id is not None
    first = frame(
        metric=["m", "m"], time=[2, 1], value=[1.5, None], start=[None, 0], end=[None, 1], site=["A", None]
    )
    second = frame(metric=["n"], time=[3], value=[2.0], start=[None], end=[None], channel=["web"])
    for rows, dims in ((first, ["site"]), (second, ["channel"])):
        batch = insert(session, policy.id, rows, dims)
        session.commit()
        store.remember(session, batch, rows)
    batches = store.stored_batches(session, policy.id)
    cached = store.load_frame(session, batches)
    FRAMES.clear()
    from_database = store.load_frame(session, batches)
    assert_frame_equal(cached, from_database)
    assert from_database.columns == ["metric", "time", "value", "start", "end", "site", "channel"]


def test_frame_cache_evicts_least_recently_used_beyond_its_row_budget() -> None:
    cache = FrameCache(budget=5)
    three = pl.DataFrame({"x": [1, 2, 3]})
    cache.put("db|1", three)
    cache.put("db|2", three.head(2))
    assert cache.get("db|1") is not None  # 1 is now the most recently used
    cache.put("db|3", three.head(1))
    assert cache.get("db|2") is None and cache.get("db|1") is not None
    cache.put("db|4", pl.DataFrame({"x": list(range(6))}))
    assert cache.get("db|4") is None, "a batch over the whole budget is not kept"
