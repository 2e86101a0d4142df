"""Window figures: every aggregation of the language over the values of each window.

A grouping's values are sorted once by (window, value). Each window is then a
contiguous run of ascending values, so a percentile is one index, ``min`` and
``max`` the ends of the run, and a sum runs over the same canonical order
whatever order the rows arrived in or how many threads polars used: the same
data always gives the same figure to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dsl import ast

from .compare import holds_array

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Figures:
    """One aggregation over every window: ``values`` (NaN where there is none) and, for a
    percentile, the 1-based ``ranks`` used (0 where the window is empty)."""

    values: FloatArray
    ranks: IntArray | None = None
    matching: IntArray | None = None
    """For the share form: how many values satisfy the inner comparison."""


def percentile_ranks(percentile: Decimal, counts: IntArray) -> IntArray:
    """Nearest-rank ``ceil(percentile / 100 * n)`` in whole numbers, never in floating point.

    ``p95`` of 412 values is rank ``(95 * 412 + 99) // 100 = 392``; ``p99.9`` uses
    ``(999 * n + 999) // 1000``. Returns 0 for an empty window.
    """
    sign, digits, exponent = percentile.normalize().as_tuple()
    assert isinstance(exponent, int) and sign == 0
    numerator = int("".join(map(str, digits)))
    scale = 100 * 10 ** max(0, -exponent)
    if exponent > 0:
        numerator *= 10**exponent
    return (numerator * counts + scale - 1) // scale


@dataclass
class WindowValues:
    """The values of one grouping, split over ``len(counts)`` windows and sorted in each."""

    sorted_values: FloatArray
    counts: IntArray
    offsets: IntArray
    _cache: dict[object, Figures] = field(default_factory=dict)

    @classmethod
    def split(cls, windows: int, index: NDArray[np.integer[Any]], values: FloatArray) -> WindowValues:
        """Split values over ``windows`` windows; ``index`` gives each value's window."""
        counts = np.bincount(index, minlength=windows).astype(np.int64)
        offsets = np.zeros(windows + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        if windows <= 4:
            # With few windows, one pass per window beats any sort by window.
            runs = [np.sort(values[index == window]) for window in range(windows)]
            grouped = np.concatenate(runs) if runs else values[:0]
            return cls(grouped, counts, offsets)
        # A stable sort of small integers is a radix sort: linear, and it keeps each
        # window's values together for the (much faster) plain sort of each run.
        grouped = values[np.argsort(index, kind="stable")]
        for window in np.flatnonzero(counts > 1):
            grouped[offsets[window] : offsets[window + 1]].sort()
        return cls(grouped, counts, offsets)

    def figures(self, aggregation: str, percentile: Decimal | None) -> Figures:
        """The figure of each window for ``aggregation`` (``p95``, ``mean``, ``count``, ...)."""
        key = (aggregation, percentile)
        if key not in self._cache:
            self._cache[key] = self._compute(aggregation, percentile)
        return self._cache[key]

    def share(self, op: ast.Op, threshold: float) -> Figures:
        """The fraction of each window's values that satisfy ``OP threshold``."""
        key = ("share", op, threshold)
        if key not in self._cache:
            satisfied = holds_array(op, self.sorted_values, threshold).astype(np.int64)
            matching = self._sums(satisfied.astype(np.float64)).astype(np.int64)
            with np.errstate(invalid="ignore", divide="ignore"):
                values = np.where(self.counts > 0, matching / self.counts, np.nan)
            self._cache[key] = Figures(values, matching=matching)
        return self._cache[key]

    def _sums(self, values: FloatArray) -> FloatArray:
        sums = np.zeros(len(self.counts), dtype=np.float64)
        filled = self.counts > 0
        if filled.any():
            sums[filled] = np.add.reduceat(values, self.offsets[:-1][filled])
        return sums

    def _compute(self, aggregation: str, percentile: Decimal | None) -> Figures:
        counts, starts = self.counts, self.offsets[:-1]
        filled = counts > 0
        values = np.full(len(counts), np.nan)
        if percentile is not None:
            ranks = percentile_ranks(percentile, counts)
            values[filled] = self.sorted_values[starts[filled] + ranks[filled] - 1]
            return Figures(values, ranks=ranks)
        match aggregation:
            case "count":
                return Figures(counts.astype(np.float64))
            case "sum":
                return Figures(self._sums(self.sorted_values))
            case "mean" | "avg" | "average":
                values[filled] = self._sums(self.sorted_values)[filled] / counts[filled]
            case "min":
                values[filled] = self.sorted_values[starts[filled]]
            case "max":
                values[filled] = self.sorted_values[starts[filled] + counts[filled] - 1]
            case _:
                raise ValueError(f"unknown aggregation {aggregation!r}")
        return Figures(values)
