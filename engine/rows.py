"""From the measurement frame to the values of one grouping: validation, filters, durations.

Structural checks (times, finite numbers, columns) are the readers' work; here
the rows are checked against the policy: a ratio within [0, 1], a duration
not negative, a row giving either a value or ``start``/``end``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl
from numpy.typing import NDArray

from dsl import ast

from .clock import BusinessClock
from .compiler import Grouping
from .measurements import MeasurementError

MICROS = 1_000_000


def validate(frame: pl.DataFrame, kinds: Mapping[str, ast.MetricKind]) -> None:
    """Check every row of a metric the policy knows against that metric's kind.

    Raises :class:`MeasurementError` naming the first offending row (1-based) and field.
    """
    ratios = [m for m, k in kinds.items() if k is ast.MetricKind.RATIO]
    durations = [m for m, k in kinds.items() if k is ast.MetricKind.DURATION]
    known = list(kinds)
    metric, value = pl.col("metric"), pl.col("value")
    timed = pl.col("start").is_not_null() | pl.col("end").is_not_null()
    checks: list[tuple[pl.Expr, str, str, str, str | None]] = [
        (
            metric.is_in(known) & value.is_not_null() & timed,
            "E623",
            "value",
            "the row gives both a value and start/end",
            "give either value, or start and end",
        ),
        (
            metric.is_in(ratios) & ((value < 0) | (value > 1)),
            "E621",
            "value",
            "a ratio must lie between 0 and 1",
            "send ratios as fractions: 0.9995 for 99.95%",
        ),
        (
            metric.is_in(durations) & (value < 0),
            "E622",
            "value",
            "a duration cannot be negative",
            None,
        ),
        (
            metric.is_in(durations) & value.is_null() & (pl.col("end") < pl.col("start")),
            "E624",
            "end",
            "the end is before the start",
            None,
        ),
        (
            metric.is_in(known) & value.is_null() & (pl.col("start").is_null() | pl.col("end").is_null()),
            "E625",
            "value",
            "the row gives no value (nor both start and end)",
            "give a value, or start and end for a duration",
        ),
        (
            metric.is_in([m for m in known if m not in durations]) & value.is_null(),
            "E626",
            "value",
            "only a duration may be given as start and end",
            "give the value",
        ),
    ]
    firsts = frame.select(
        [pl.int_range(pl.len()).filter(test).min().alias(str(i)) for i, (test, *_) in enumerate(checks)]
    ).row(0)
    found = [(row, i) for i, row in enumerate(firsts) if row is not None]
    if not found:
        return
    row, i = min(found)
    _, code, field, message, hint = checks[i]
    raise MeasurementError(message, row=int(row) + 1, field=field, hint=hint, code=code)


def filter_expression(tests: tuple[ast.DimensionTest, ...], columns: frozenset[str]) -> pl.Expr:
    """The rows a filter keeps; a row lacking a dimension fails ``=``/``in`` and passes ``!=``/``not in``."""
    keep = pl.lit(True)
    for test in tests:
        negated = test.op in (ast.FilterOp.NE, ast.FilterOp.NOT_IN)
        if test.dimension not in columns:
            keep = keep & pl.lit(negated)
            continue
        column = pl.col(test.dimension)
        member = column.is_in(list(test.values)).fill_null(False)
        keep = keep & (member.not_() if negated else member)
    return keep


def grouping_rows(
    frame: pl.DataFrame,
    grouping: Grouping,
    lo: int,
    hi: int,
    clocks: Mapping[str | None, BusinessClock],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Times and values of the rows of ``grouping`` with ``lo <= time < hi``.

    ``frame`` holds only the grouping's metric. Values given as ``start``/``end``
    are measured in seconds, on the business clock when the grouping says so.
    """
    keep = (
        (pl.col("time") >= lo)
        & (pl.col("time") < hi)
        & filter_expression(grouping.filter, frozenset(frame.columns))
    )
    rows = frame.filter(keep)
    times = rows.get_column("time").to_numpy().astype(np.int64, copy=False)
    value = rows.get_column("value")
    values = value.fill_null(float("nan")).to_numpy().astype(np.float64, copy=True)
    missing = value.is_null().to_numpy()
    if missing.any():
        starts = rows.get_column("start").to_numpy()[missing].astype(np.int64)
        ends = rows.get_column("end").to_numpy()[missing].astype(np.int64)
        if grouping.measure.business:
            micros = clocks[grouping.measure.calendar].micros_between(starts, ends)
        else:
            micros = ends - starts
        values[missing] = micros / MICROS
    return times, values
