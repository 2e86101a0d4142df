"""Window figures: every aggregation of the language over the values of each window.

A grouping's values come window by window, each window one contiguous run.
Counts, shares, ``min`` and ``max`` need no order. For the others each run is
sorted once, in place: a percentile is then one index, and a sum runs over the
same canonical (ascending) order whatever order the rows arrived in or how
many threads polars used: the same data always gives the same figure to the
last bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
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
    """The values of one grouping, window by window: ``values[offsets[i]:offsets[i + 1]]`` are
    window ``i``'s ``counts[i]`` values, in no particular order until sorted (once, on first need)."""

    values: FloatArray
    counts: IntArray
    offsets: IntArray
    owned: bool = False
    """Whether ``values`` belongs to this grouping alone, so that it may be sorted in place."""
    _sorted: bool = False
    _partitioned: bool = False
    _cache: dict[object, Figures] = field(default_factory=dict)

    @classmethod
    def of(cls, values: FloatArray, offsets: IntArray, mask: NDArray[np.bool_] | None) -> WindowValues:
        """The grouping whose window ``i`` holds the rows ``offsets[i]:offsets[i + 1]`` of ``values``
        that ``mask`` keeps (all of them without a mask)."""
        first, last = int(offsets[0]), int(offsets[-1])
        if mask is None:
            return cls(values[first:last], np.diff(offsets), offsets - first)
        bounds = offsets.tolist()
        # Counting set bits window by window is far cheaper than any per-row arithmetic.
        counts = np.array(
            [np.count_nonzero(mask[a:b]) for a, b in pairwise(bounds)],
            dtype=np.int64,
        )
        starts = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(values[first:last][mask[first:last]], counts, starts, owned=True)

    @property
    def sorted_values(self) -> FloatArray:
        """The values with each window's run sorted ascending."""
        if not self._sorted:
            self._own()
            offsets = self.offsets
            for window in np.flatnonzero(self.counts > 1).tolist():
                self.values[offsets[window] : offsets[window + 1]].sort()
            self._sorted = True
        return self.values

    def _own(self) -> None:
        """Copy ``values`` unless this grouping owns them, so that they may be reordered in place."""
        if not self.owned:
            self.values, self.owned = self.values.copy(), True

    def _ranked(self, ranks: IntArray) -> FloatArray:
        """The values with each window's value of 1-based rank ``ranks[i]`` in its sorted place.

        The first percentile of a grouping not yet sorted partitions each run around its
        rank (the very value a sort would put there, in linear time); a second one sorts.
        """
        if self._sorted or self._partitioned:
            return self.sorted_values
        self._own()
        offsets = self.offsets.tolist()
        for window in np.flatnonzero(self.counts > 1).tolist():
            self.values[offsets[window] : offsets[window + 1]].partition(int(ranks[window]) - 1)
        self._partitioned = True
        return self.values

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
            # A count of values: any order gives the same whole number.
            matching = self._sums(holds_array(op, self.values, threshold), np.int64)
            with np.errstate(invalid="ignore", divide="ignore"):
                values = np.where(self.counts > 0, matching / self.counts, np.nan)
            self._cache[key] = Figures(values, matching=matching)
        return self._cache[key]

    def _sums(self, values: NDArray[Any], dtype: type[np.generic] = np.float64) -> NDArray[Any]:
        """The sum of each window's values, in ``dtype`` (0 for an empty window)."""
        sums = np.zeros(len(self.counts), dtype=dtype)
        filled = self.counts > 0
        if filled.any():
            sums[filled] = np.add.reduceat(values, self.offsets[:-1][filled], dtype=dtype)
        return sums

    def _compute(self, aggregation: str, percentile: Decimal | None) -> Figures:
        counts, starts = self.counts, self.offsets[:-1]
        filled = counts > 0
        values = np.full(len(counts), np.nan)
        if percentile is not None:
            ranks = percentile_ranks(percentile, counts)
            values[filled] = self._ranked(ranks)[starts[filled] + ranks[filled] - 1]
            return Figures(values, ranks=ranks)
        match aggregation:
            case "count":
                return Figures(counts.astype(np.float64))
            case "sum":
                # Sums run over each window's values in ascending order: the same bits whatever the
                # order of the rows.
                return Figures(self._sums(self.sorted_values))
            case "mean" | "avg" | "average":
                values[filled] = self._sums(self.sorted_values)[filled] / counts[filled]
            case "min":
                values[filled] = self._extreme(np.minimum, starts[filled])
            case "max":
                values[filled] = self._extreme(np.maximum, starts[filled])
            case _:
                raise ValueError(f"unknown aggregation {aggregation!r}")
        return Figures(values)

    def _extreme(self, ufunc: np.ufunc, starts: IntArray) -> FloatArray:
        """The least or greatest value of each non-empty window (given by its start)."""
        if not starts.size:
            return np.zeros(0, dtype=np.float64)
        if not self._sorted:
            return ufunc.reduceat(self.values, starts)
        ends = starts + self.counts[self.counts > 0] - 1
        return self.values[starts if ufunc is np.minimum else ends]
