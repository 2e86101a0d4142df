"""Building blocks for engine tests: policies from text, measurement frames from rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import polars as pl

import dsl
import engine
from engine.measurements import SCHEMA, Measurements

REPORT_KEYS = [
    "policy",
    "version",
    "currency",
    "range",
    "clauses",
    "periods",
    "total_credit",
    "total_bonus",
    "unused_rows",
]
"""The report's top-level keys in the order interfaces.md gives them."""


def compiled(text: str) -> engine.CompiledPolicy:
    """Parse, check and compile a policy text."""
    return engine.compile(dsl.check(dsl.parse(text)))


def micros(text: str) -> int:
    """An ISO 8601 time with offset (``2026-01-05T10:00:00Z``) as microseconds since the epoch."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.utcoffset() is not None
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def frame(rows: Iterable[Mapping[str, Any]]) -> Measurements:
    """Measurements from rows such as ``{"metric": "m", "time": "2026-01-05T10:00:00Z", "value": 3,
    "priority": "P1"}``; ``start``/``end`` as ISO times; other keys are dimensions."""
    rows = list(rows)
    dims = sorted({k for r in rows for k in r if k not in SCHEMA})
    columns: dict[str, list[Any]] = {name: [] for name in [*SCHEMA, *dims]}
    for row in rows:
        time = row.get("time") or row.get("end")
        columns["metric"].append(row["metric"])
        columns["time"].append(micros(time) if isinstance(time, str) else time)
        value = row.get("value")
        columns["value"].append(None if value is None else float(value))
        for key in ("start", "end"):
            item = row.get(key)
            columns[key].append(micros(item) if isinstance(item, str) else item)
        for dim in dims:
            columns[dim].append(row.get(dim))
    schema = {**SCHEMA, **{d: pl.String for d in dims}}
    return Measurements(pl.DataFrame(columns, schema=schema))


def evaluate(policy: str, rows: Iterable[Mapping[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """Evaluate a policy text over rows; the report as a dict."""
    return engine.evaluate(compiled(policy), frame(rows), **kwargs).to_dict()


def windows(report: Mapping[str, Any], clause: int = 0) -> list[dict[str, Any]]:
    return list(report["clauses"][clause]["windows"])
