"""From the measurement frame to the values of one grouping: validation, filters, durations.

Structural checks (times, finite numbers, columns) are the readers' work; here
the rows are checked against the policy: a ratio within [0, 1], a duration
not negative, a row giving either a value or ``start``/``end``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from dsl import ast

from .clock import BusinessClock
from .compiler import Measure
from .measurements import MeasurementError

MICROS = 1_000_000


def validate(frame: pl.DataFrame, kinds: Mapping[str, ast.MetricKind]) -> None:
    """Check every row of the metrics in ``kinds`` against that metric's kind.

    Raises :class:`MeasurementError` naming the first offending row (1-based) and field.
    """
    if not kinds:
        return
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


def has_fault(part: pl.DataFrame, kind: ast.MetricKind) -> bool:
    """Whether some row of ``part`` (the rows of one metric of this kind) is invalid for the policy.

    A quick test for the common case; :func:`validate` then finds the first such row.
    """
    value, start, end = pl.col("value"), pl.col("start"), pl.col("end")
    timed = start.is_not_null() | end.is_not_null()
    fault = (value.is_not_null() & timed) | (value.is_null() & (start.is_null() | end.is_null()))
    if kind is ast.MetricKind.RATIO:
        fault = fault | (value < 0) | (value > 1) | value.is_null()
    elif kind is ast.MetricKind.DURATION:
        fault = fault | (value < 0) | (value.is_null() & (end < start))
    else:
        fault = fault | value.is_null()
    return bool(part.select(fault.fill_null(False).any()).item())


def filter_expression(tests: tuple[ast.DimensionTest, ...], columns: frozenset[str]) -> pl.Expr:
    """The rows a filter keeps; a row lacking a dimension fails ``=``/``in`` and passes ``!=``/``not in``."""
    keep = pl.lit(True)
    for test in tests:
        negated = test.op in (ast.FilterOp.NE, ast.FilterOp.NOT_IN)
        if test.dimension not in columns:
            keep = keep & pl.lit(negated)
            continue
        column = pl.col(test.dimension).cast(pl.String)
        if len(test.values) <= 8:
            # A few equality tests are several times faster than a hashed `is_in`.
            member = pl.lit(False)
            for value in test.values:
                member = member | (column == value).fill_null(False)
        else:
            member = column.is_in(list(test.values)).fill_null(False)
        keep = keep & (member.not_() if negated else member)
    return keep


class MetricRows:
    """The rows of one metric as numpy columns, with what groupings over it share:
    the range mask, filter masks, measured values and window indexes, each computed once."""

    def __init__(self, part: pl.DataFrame, lo: int, hi: int, clocks: Mapping[str | None, BusinessClock]):
        self.part = part
        self.times = part.get_column("time").to_numpy().astype(np.int64, copy=False)
        self.in_range = (self.times >= lo) & (self.times < hi)
        self.clocks = clocks
        self._masks: dict[tuple[ast.DimensionTest, ...], NDArray[np.bool_]] = {}
        self._values: dict[Measure, NDArray[np.float64]] = {}
        self._indexes: dict[ast.Window, NDArray[np.integer[Any]]] = {}

    def prepare(self, filters: set[tuple[ast.DimensionTest, ...]]) -> None:
        """Compute the masks of several filters in one pass (polars runs them in parallel)."""
        wanted = [tests for tests in filters if tests and tests not in self._masks]
        if wanted:
            columns = frozenset(self.part.columns)
            found = self.part.select(
                [filter_expression(tests, columns).alias(str(i)) for i, tests in enumerate(wanted)]
            )
            for i, tests in enumerate(wanted):
                self._masks[tests] = self.in_range & found.get_column(str(i)).to_numpy()

    def mask(self, tests: tuple[ast.DimensionTest, ...]) -> NDArray[np.bool_]:
        """The rows in range that pass the filter."""
        if not tests:
            return self.in_range
        self.prepare({tests})
        return self._masks[tests]

    def values(self, measure: Measure) -> NDArray[np.float64]:
        """Every row's value; a duration given as ``start``/``end`` in seconds, measured by ``measure``."""
        if measure not in self._values:
            # Readers refuse non-finite values, so NaN here marks exactly the rows without a value.
            values = self.part.get_column("value").to_numpy().astype(np.float64, copy=False)
            missing = np.isnan(values)
            if missing.any():
                values = values.copy()
                chosen = pl.Series(missing)
                starts = self.part.get_column("start").filter(chosen).to_numpy().astype(np.int64)
                ends = self.part.get_column("end").filter(chosen).to_numpy().astype(np.int64)
                if measure.business:
                    micros = self.clocks[measure.calendar].micros_between(starts, ends)
                else:
                    micros = ends - starts
                values[missing] = micros / MICROS
            self._values[measure] = values
        return self._values[measure]

    def window_index(self, window: ast.Window, bounds: NDArray[np.int64]) -> NDArray[np.integer[Any]]:
        """For every row, the index of the window holding its time (meaningful for rows in range)."""
        if window not in self._indexes:
            self._indexes[window] = window_index(bounds, self.times)
        return self._indexes[window]


def window_index(bounds: NDArray[np.int64], times: NDArray[np.int64]) -> NDArray[np.integer[Any]]:
    """For each time in ``[bounds[0], bounds[-1])``, the index of the window ``[bounds[i], bounds[i+1])``
    holding it; times outside get some index in range, which callers mask out.

    A grid whose cells are no longer than the shortest window holds at most one
    edge per cell, so a table lookup and one comparison replace a binary search.
    """
    windows = len(bounds) - 1
    origin = int(bounds[0])
    cell = int(np.min(np.diff(bounds)))
    cells = (int(bounds[-1]) - origin) // cell + 1
    table = np.searchsorted(bounds, origin + np.arange(cells, dtype=np.int64) * cell, side="right") - 1
    table = np.minimum(table, windows - 1)
    # Small integers halve the memory that every later gather and comparison reads.
    table = table.astype(np.int16 if windows < 2**15 - 1 else np.int32)
    guess = table[np.clip((times - origin) // cell, 0, cells - 1)]
    return guess + (times >= bounds[guess + 1])
