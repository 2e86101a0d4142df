"""The bulk store: a frame written and read back is the same frame, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlmodel import Session

from api import crud, db, domain, store

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


@pytest.fixture
def session(database_url: str) -> Session:
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
        dims = [c for c in batch.columns if c not in store._FIXED]
        store.insert_batch(
            session,
            policy_id=policy.id,
            kind=store.STORED,
            frame=batch,
            dimensions=dims,
            body_hash="h",
            created_at=NOW,
        )
    session.commit()
    loaded = store.load_frame(session, store.stored_batches(session, policy.id))
    expected = pl.concat([first, second], how="diagonal")
    assert_frame_equal(loaded, expected)


def test_batches_posted_to_evaluate_are_not_stored_measurements(session: Session) -> None:
    policy, _ = crud.create_policy(session, "desk", domain.read_policy(SIMPLE), None)
    assert policy.id is not None
    rows = frame(metric=["m"], time=[1], value=[1.0], start=[None], end=[None])
    store.insert_batch(
        session,
        policy_id=policy.id,
        kind=store.EVALUATED,
        frame=rows,
        dimensions=[],
        body_hash="h",
        created_at=NOW,
    )
    session.commit()
    assert store.stored_batches(session, policy.id) == []
    assert store.load_frame(session, []).height == 0
