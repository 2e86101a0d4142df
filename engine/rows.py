"""From the measurement frame to the values of one grouping: validation, filters, durations.

Structural checks (times, finite numbers, columns) are the readers' work; here
the rows are checked against the policy: a ratio within [0, 1], a duration
not negative, a row giving either a value or ``start``/``end``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from dsl import ast

from .clock import BusinessClock
from .compiler import Measure
from .measurements import MeasurementError

MICROS = 1_000_000


@dataclass(frozen=True, slots=True)
class _Rule:
    """A row rule of the policy: which metric kinds it binds, and when a row breaks it."""

    code: str
    field: str
    message: str
    hint: str | None
    kinds: frozenset[ast.MetricKind]
    breaks: Callable[[pl.Expr, pl.Expr, pl.Expr], pl.Expr]
    """Given the ``value``, ``start`` and ``end`` columns: whether the row breaks the rule."""


_ALL = frozenset(ast.MetricKind)
_RULES = (
    _Rule(
        "E623",
        "value",
        "the row gives both a value and start/end",
        "give either value, or start and end",
        _ALL,
        lambda value, start, end: value.is_not_null() & (start.is_not_null() | end.is_not_null()),
    ),
    _Rule(
        "E621",
        "value",
        "a ratio must lie between 0 and 1",
        "send ratios as fractions: 0.9995 for 99.95%",
        frozenset({ast.MetricKind.RATIO}),
        lambda value, start, end: (value < 0) | (value > 1),
    ),
    _Rule(
        "E622",
        "value",
        "a duration cannot be negative",
        None,
        frozenset({ast.MetricKind.DURATION}),
        lambda value, start, end: value < 0,
    ),
    _Rule(
        "E624",
        "end",
        "the end is before the start",
        None,
        frozenset({ast.MetricKind.DURATION}),
        lambda value, start, end: value.is_null() & (end < start),
    ),
    _Rule(
        "E625",
        "value",
        "the row gives no value (nor both start and end)",
        "give a value, or start and end for a duration",
        _ALL,
        lambda value, start, end: value.is_null() & (start.is_null() | end.is_null()),
    ),
    _Rule(
        "E626",
        "value",
        "only a duration may be given as start and end",
        "give the value",
        _ALL - {ast.MetricKind.DURATION},
        lambda value, start, end: value.is_null(),
    ),
)
"""In the order their codes are reported when one row breaks several."""


def validate(frame: pl.DataFrame, kinds: Mapping[str, ast.MetricKind]) -> None:
    """Check every row of the metrics in ``kinds`` against that metric's kind.

    Raises :class:`MeasurementError` naming the first offending row (1-based) and field.
    """
    if not kinds:
        return
    columns = pl.col("value"), pl.col("start"), pl.col("end")
    tests = [
        pl.col("metric").is_in([m for m, k in kinds.items() if k in rule.kinds]) & rule.breaks(*columns)
        for rule in _RULES
    ]
    firsts = frame.select(
        [pl.int_range(pl.len()).filter(test).min().alias(str(i)) for i, test in enumerate(tests)]
    ).row(0)
    found = [(row, i) for i, row in enumerate(firsts) if row is not None]
    if not found:
        return
    row, i = min(found)
    rule = _RULES[i]
    raise MeasurementError(rule.message, row=int(row) + 1, field=rule.field, hint=rule.hint, code=rule.code)


def fault_expression(kind: ast.MetricKind, timed: bool = True) -> pl.Expr:
    """Whether a row of a metric of this kind is invalid for the policy (never null).

    A quick test for the common case, over the rows of one metric; :func:`validate`
    then finds the first such row. ``timed=False`` when no row has ``start`` or ``end``.
    """
    value = pl.col("value")
    start, end = (pl.col("start"), pl.col("end")) if timed else (pl.lit(None, pl.Int64),) * 2
    fault, *others = [rule.breaks(value, start, end) for rule in _RULES if kind in rule.kinds]
    for breaks in others:
        fault = fault | breaks
    return fault.fill_null(False)


def metric_columns(
    frame: pl.DataFrame,
    kinds: Mapping[str, ast.MetricKind],
    filters: Mapping[str, Sequence[tuple[ast.DimensionTest, ...]]],
) -> dict[str, tuple[bool, MetricColumns]]:
    """For each metric of ``kinds``: whether some row of it is invalid, and its rows as numpy columns
    with the mask of each of its ``filters``.

    One lazy query per metric, collected together so that polars can run them side by
    side. Only what the work needs leaves polars: masks rather than text, and
    ``start``/``end`` only when some row of the frame gives them.
    """
    timed = any(frame.get_column(name).null_count() < frame.height for name in ("start", "end"))
    names = frozenset(frame.columns)
    queries = [
        frame.lazy()
        .filter(pl.col("metric") == metric)
        .select(
            "time",
            "value",
            *(("start", "end") if timed else ()),
            *(filter_expression(tests, names).alias(f"f{i}") for i, tests in enumerate(filters[metric])),
        )
        for metric in kinds
    ]
    found = {}
    for (metric, kind), part in zip(kinds.items(), pl.collect_all(queries), strict=True):
        values = part.get_column("value").to_numpy().astype(np.float64, copy=False)
        missing = np.isnan(values)
        if timed:
            chosen = pl.Series(missing)
            starts, ends = part.get_column("start").filter(chosen), part.get_column("end").filter(chosen)
        else:
            # Only a faulty row lacks a value then: validation reports it before any use.
            starts = ends = pl.repeat(None, int(missing.sum()), dtype=pl.Int64, eager=True)
        columns = MetricColumns(
            times=part.get_column("time").to_numpy().astype(np.int64, copy=False),
            values=values,
            starts=starts,
            ends=ends,
            masks={tests: part.get_column(f"f{i}").to_numpy() for i, tests in enumerate(filters[metric])},
        )
        found[metric] = (bool(part.select(fault_expression(kind, timed).any()).item()), columns)
    return found


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
    """The rows of one metric within the range, in an order where every window is one run of rows.

    Rows mostly arrive in time order: then the rows in range are one slice of the
    input, and each window a slice of that, found by binary search. Otherwise the
    rows are put in order once per metric, by the cells that the edges of all its
    windows cut time into (a radix sort of small integers); every window is a run
    of whole cells. Masks and measured values are computed once per filter and
    per measure, in that order.
    """

    def __init__(
        self,
        columns: MetricColumns,
        lo: int,
        hi: int,
        edges: NDArray[np.int64],
        clocks: Mapping[str | None, BusinessClock],
    ):
        """``edges``: the sorted, distinct edges of every window of the metric's groupings (they
        cover ``[lo, hi)``)."""
        self.columns = columns
        self.clocks = clocks
        times = columns.times
        self._order: NDArray[np.intp] | None = None
        self._slice = slice(0, 0)
        if times.size < 2 or bool(np.all(times[1:] >= times[:-1])):
            first, stop = np.searchsorted(times, [lo, hi])
            self._slice = slice(int(first), int(stop))
            self._times = times[self._slice]
            self.size = self._times.size
        else:
            cells = len(edges) - 1
            key = window_index(edges, times)
            if int(times.min()) < lo or int(times.max()) >= hi:
                # Rows out of range go to a cell past the last, and so to the end of the order.
                key = np.where((times >= lo) & (times < hi), key, cells)
            key = key.astype(np.uint16 if cells < 2**16 - 1 else np.int64)
            counts = np.bincount(key, minlength=cells + 1)[:cells]
            self._cell_offsets = np.zeros(cells + 1, dtype=np.int64)
            np.cumsum(counts, out=self._cell_offsets[1:])
            self.size = int(self._cell_offsets[-1])
            # A stable sort of 16-bit integers is a radix sort: linear.
            self._order = np.argsort(key, kind="stable")[: self.size]
            self._edges = edges
        self._masks: dict[tuple[ast.DimensionTest, ...], NDArray[np.bool_]] = {}
        self._values: dict[Measure, NDArray[np.float64]] = {}

    def prepare(self, filters: set[tuple[ast.DimensionTest, ...]], measures: set[Measure]) -> None:
        """Compute the masks and values that groupings will read, so that they only read."""
        wanted = sorted((tests for tests in filters if tests and tests not in self._masks), key=repr)
        if self._order is not None and len(wanted) > 1:
            # Rows out of time order: one gather of masks packed eight to a byte costs far less
            # than a gather of each mask.
            for first in range(0, len(wanted), 8):
                group = wanted[first : first + 8]
                packed = np.zeros(self.columns.times.size, dtype=np.uint8)
                for bit, tests in enumerate(group):
                    packed |= self.columns.masks[tests].view(np.uint8) << np.uint8(bit)
                taken = packed[self._order]
                for bit, tests in enumerate(group):
                    self._masks[tests] = (taken & np.uint8(1 << bit)).astype(np.bool_)
        for tests in filters:
            self.mask(tests)
        for measure in measures:
            self.values(measure)

    def offsets(self, edges: NDArray[np.int64]) -> NDArray[np.int64]:
        """For each of ``edges`` (window edges of one grouping), how many ordered rows come before it."""
        if self._order is None:
            return np.searchsorted(self._times, edges).astype(np.int64)
        return self._cell_offsets[np.searchsorted(self._edges, edges)]

    def _take(self, column: NDArray[Any]) -> NDArray[Any]:
        return column[self._slice] if self._order is None else column[self._order]

    def mask(self, tests: tuple[ast.DimensionTest, ...]) -> NDArray[np.bool_] | None:
        """Which ordered rows pass the filter; None for no filter (every row passes)."""
        if not tests:
            return None
        if tests not in self._masks:
            self._masks[tests] = self._take(self.columns.masks[tests])
        return self._masks[tests]

    def values(self, measure: Measure) -> NDArray[np.float64]:
        """The ordered rows' values; a duration given as ``start``/``end`` in seconds, measured by
        ``measure``."""
        if measure not in self._values:
            values = self.columns.values
            if self.columns.starts.len():
                # Readers refuse non-finite values, so NaN marks exactly the rows without a value,
                # in the order of ``starts`` and ``ends``.
                starts = self.columns.starts.to_numpy().astype(np.int64)
                ends = self.columns.ends.to_numpy().astype(np.int64)
                values = values.copy()
                if measure.business:
                    micros = self.clocks[measure.calendar].micros_between(starts, ends)
                else:
                    micros = ends - starts
                values[np.isnan(values)] = micros / MICROS
            self._values[measure] = self._take(values)
        return self._values[measure]


@dataclass(frozen=True, slots=True)
class MetricColumns:
    """The rows of one metric in input order: times, values (NaN where the row gives start/end),
    the ``starts`` and ``ends`` of those rows, and the mask of every filter."""

    times: NDArray[np.int64]
    values: NDArray[np.float64]
    starts: pl.Series
    ends: pl.Series
    masks: Mapping[tuple[ast.DimensionTest, ...], NDArray[np.bool_]]


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
