"""Bulk storage of measurement batches, and their reading back as one frame.

Rows never pass through the ORM one by one. On PostgreSQL a batch is written
with ``COPY ... FROM STDIN`` (CSV made by polars) and read with
``COPY ... TO STDOUT``; on SQLite with one ``executemany`` and one query.

A measurement row keeps its batch and its 0-based position in it
(``batch_id``, ``seq``), the frame's columns (``metric``, ``time``, ``value``,
``start``, ``end``: times as microseconds since the epoch, UTC) and its
dimensions as one JSON object of strings in ``dims``. Each batch records the
dimension names it brought, so that reading several batches back gives every
dimension as a column, null where a row lacks it: exactly the frame the
reader made. Rows come back in the order they were stored (by batch, then ``seq``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from psycopg import sql
from sqlmodel import Session, col, select

from .frames import FRAMES
from .models import BatchRecord

STORED = "stored"
"""A batch stored for its policy: part of "the stored measurements"."""
EVALUATED = "evaluated"
"""A batch posted to be evaluated only: kept so that its report can be reproduced, never evaluated again."""

COLUMNS = ("batch_id", "seq", "metric", "time", "value", "start", "end", "dims")
_SCHEMA: dict[str, Any] = {
    "batch_id": pl.Int64,
    "seq": pl.Int64,
    "metric": pl.String,
    "time": pl.Int64,
    "value": pl.Float64,
    "start": pl.Int64,
    "end": pl.Int64,
    "dims": pl.String,
}
_FIXED = ("metric", "time", "value", "start", "end")
_SELECTED = 'batch_id, seq, metric, "time", value, start, "end", dims'


def insert_batch(
    session: Session,
    *,
    policy_id: int,
    kind: str,
    frame: pl.DataFrame,
    dimensions: Sequence[str],
    body_hash: str,
    created_at: datetime,
    idempotency_key: str | None = None,
) -> BatchRecord:
    """Add a batch and its rows in the session's transaction; the caller commits.

    Returns the batch record (with its id). Raises
    :class:`sqlalchemy.exc.IntegrityError` when the idempotency key is taken.
    """
    batch = BatchRecord(
        policy_id=policy_id,
        kind=kind,
        rows=frame.height,
        dimensions=json.dumps(list(dimensions)),
        body_hash=body_hash,
        idempotency_key=idempotency_key,
        created_at=created_at,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    rows = _rows(frame, batch.id, dimensions)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy_in(connection.connection.driver_connection, rows)
    else:
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        connection.exec_driver_sql(
            f"INSERT INTO measurement ({names}) VALUES ({', '.join('?' * len(COLUMNS))})",
            list(rows.iter_rows()),
        )
    return batch


def _rows(frame: pl.DataFrame, batch_id: int, dimensions: Sequence[str]) -> pl.DataFrame:
    dims = pl.struct(list(dimensions)).struct.json_encode() if dimensions else pl.lit(None, pl.String)
    return frame.select(
        pl.lit(batch_id, pl.Int64).alias("batch_id"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("seq"),
        *(pl.col(c).cast(_SCHEMA[c]) for c in _FIXED),
        dims.alias("dims"),
    )


def _copy_in(raw: Any, rows: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    # Empty strings are quoted by polars, so an unquoted empty field is NULL, as COPY reads it.
    rows.write_csv(buffer, include_header=False)
    statement = sql.SQL("COPY measurement ({}) FROM STDIN (FORMAT csv)").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in COLUMNS)
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        view = buffer.getbuffer()
        for offset in range(0, len(view), 1 << 20):
            copy.write(view[offset : offset + (1 << 20)])


def stored_batches(session: Session, policy_id: int) -> list[BatchRecord]:
    """The policy's stored batches, oldest first (batches posted only to evaluate are not among them)."""
    return list(
        session.exec(
            select(BatchRecord)
            .where(BatchRecord.policy_id == policy_id, BatchRecord.kind == STORED)
            .order_by(col(BatchRecord.id))
        )
    )


def find_batch(session: Session, policy_id: int, idempotency_key: str) -> BatchRecord | None:
    return session.exec(
        select(BatchRecord).where(
            BatchRecord.policy_id == policy_id, BatchRecord.idempotency_key == idempotency_key
        )
    ).first()


def batches_by_id(session: Session, ids: Sequence[int]) -> list[BatchRecord]:
    if not ids:
        return []
    query = select(BatchRecord).where(col(BatchRecord.id).in_(ids)).order_by(col(BatchRecord.id))
    return list(session.exec(query))


def load_frame(session: Session, batches: Sequence[BatchRecord]) -> pl.DataFrame:
    """The rows of ``batches`` as one frame in the shape of ``Measurements.frame``, in stored order.

    Stored batches come from :data:`api.frames.FRAMES` when they are there;
    the others are read in one query and remembered.
    """
    dimensions: dict[str, None] = {}
    for batch in batches:
        dimensions.update(dict.fromkeys(json.loads(batch.dimensions)))
    frames: dict[int, pl.DataFrame] = {}
    missing: list[BatchRecord] = []
    database = _database(session)
    for batch in batches:
        assert batch.id is not None
        cached = FRAMES.get(_key(database, batch)) if batch.kind == STORED else None
        if cached is None:
            missing.append(batch)
        else:
            frames[batch.id] = cached
    if missing:
        raw = _read(session, [batch.id for batch in missing if batch.id is not None])
        parts = {missing[0].id: raw} if len(missing) == 1 else _by_batch(raw)
        for batch in missing:
            assert batch.id is not None
            frame = _unpack(parts.get(batch.id, raw.clear()), json.loads(batch.dimensions))
            frames[batch.id] = frame
            if batch.kind == STORED:
                FRAMES.put(_key(database, batch), frame)
    columns = [*_FIXED, *dimensions]
    if not batches:
        return pl.DataFrame(schema={c: _SCHEMA.get(c, pl.String) for c in columns})
    ordered = [frames[batch.id] for batch in batches if batch.id is not None]
    return pl.concat(ordered, how="diagonal").select(columns)


def remember(session: Session, batch: BatchRecord, frame: pl.DataFrame) -> None:
    """Cache a stored batch's rows once its transaction has committed (never before: ids may be reused)."""
    if batch.kind == STORED and batch.id is not None:
        dimensions = json.loads(batch.dimensions)
        FRAMES.put(
            _key(_database(session), batch),
            frame.select(*(pl.col(c).cast(_SCHEMA[c]) for c in _FIXED), *dimensions),
        )


def _key(database: str, batch: BatchRecord) -> str:
    """A batch's identity for the cache: an id alone may name another batch in a database made anew."""
    return f"{database}|{batch.id}|{batch.body_hash}|{batch.created_at.isoformat()}"


def _database(session: Session) -> str:
    """The cache's name for the session's database: its URL, schema option included."""
    return session.connection().engine.url.render_as_string(hide_password=True)


def _by_batch(raw: pl.DataFrame) -> dict[int, pl.DataFrame]:
    return {int(key[0]): part for key, part in raw.partition_by("batch_id", as_dict=True).items()}


def _read(session: Session, ids: list[int]) -> pl.DataFrame:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _copy_out(connection.connection.driver_connection, ids)
    marks = ", ".join("?" * len(ids))
    result = connection.exec_driver_sql(
        f"SELECT {_SELECTED} FROM measurement WHERE batch_id IN ({marks})", tuple(ids)
    )
    return pl.DataFrame(result.fetchall(), schema=_SCHEMA, orient="row")


def _copy_out(raw: Any, ids: list[int]) -> pl.DataFrame:
    # No ORDER BY: sorting in polars afterwards is several times faster than in the COPY.
    statement = sql.SQL(
        "COPY (SELECT " + _SELECTED + " FROM measurement WHERE batch_id = ANY({})) TO STDOUT (FORMAT csv)"
    ).format(sql.Literal(ids))
    buffer = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in copy:
            buffer.write(chunk)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=_SCHEMA)
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, schema=_SCHEMA)


def _unpack(raw: pl.DataFrame, dimensions: list[str]) -> pl.DataFrame:
    # Rows usually arrive in stored order (a batch is contiguous on disk); checking is cheaper than sorting.
    in_order = raw.select(
        (pl.col("batch_id").diff().fill_null(0) > 0)
        | ((pl.col("batch_id").diff().fill_null(0) == 0) & (pl.col("seq").diff().fill_null(1) > 0))
    ).to_series()
    if not in_order.all():
        raw = raw.sort("batch_id", "seq")
    fixed = raw.select(_FIXED)
    if not dimensions:
        return fixed
    # Few distinct combinations of dimensions recur over many rows: decode each once, then join.
    struct = pl.Struct([pl.Field(name, pl.String) for name in dimensions])
    distinct = raw.select(pl.col("dims").unique()).with_columns(
        pl.col("dims").str.json_decode(struct).alias("decoded")
    )
    dims = (
        raw.select("dims")
        .join(distinct, on="dims", how="left", nulls_equal=True, maintain_order="left")
        .select(pl.col("decoded").struct.unnest())
    )
    return pl.concat([fixed, dims], how="horizontal")
