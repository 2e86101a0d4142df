"""``engine.evaluate``: a compiled policy over a batch of measurements -> the report.

The work runs per grouping (metric, filter, window, clock), shared by every
clause that has the same one: select the rows with polars, measure durations,
split by window and sort once (:mod:`engine.aggregate`). Per window, in
Python: the status, the credit, the explanation; per clause, earn-back and
chronic failure; per fee period, the caps (:mod:`engine.caps`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import datetime

import numpy as np
import polars as pl
from numpy.typing import NDArray

from dsl import ast

from . import credits, explain
from .aggregate import Figures, IntArray, WindowValues
from .assemble import Range, Verdict, assemble
from .clock import BusinessClock
from .compare import holds
from .compiler import CompiledClause, CompiledPolicy, Grouping
from .credits import Terms
from .measurements import SCHEMA, Measurements
from .report import Report
from .rows import MetricColumns, MetricRows, metric_columns, validate
from .windows import Span, to_micros, windows_between, zone_info

PARALLEL_ROWS = 200_000
"""From this many rows of used metrics on, groupings are worked on side by side."""


def evaluate(
    compiled: CompiledPolicy,
    measurements: Measurements,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    version: int | None = None,
) -> Report:
    """Evaluate ``compiled`` over ``measurements`` between ``start`` (inclusive) and ``end`` (exclusive).

    Without bounds the range runs from the first to the last measurement of the
    metrics the policy uses. Returns the :class:`Report`. Raises
    :class:`MeasurementError` (E62x, with row and field) for a row invalid
    against the policy, and :class:`ValueError` for a bound without a UTC
    offset or an ``end`` not after ``start``.
    """
    frame = measurements.frame
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in SCHEMA.items() if name not in frame.columns]
    if missing:
        # A frame built by hand may leave out the optional start/end columns.
        frame = frame.with_columns(missing)
    kinds = compiled.used_kinds
    columns = metric_columns(frame, kinds, compiled.filters)
    if any(fault for fault, _ in columns.values()):
        validate(frame, kinds)
    parts = {metric: part for metric, (_, part) in columns.items()}
    unused_rows = frame.height - sum(part.times.size for part in parts.values())
    times = [part.times for part in parts.values() if part.times.size]
    first = min(int(t.min()) for t in times) if times else None
    last = max(int(t.max()) for t in times) if times else None
    span = _range(start, end, first, last)
    zone = zone_info(compiled.zone)
    terms = Terms.of(compiled)
    if span is None or span.stop <= span.first:
        return assemble(compiled, [[] for _ in compiled.clauses], span, terms, unused_rows, version)
    spans = {
        window: windows_between(window, zone, span.first, span.stop - 1)
        for window in dict.fromkeys(grouping.window for grouping in compiled.groupings)
    }
    edges = {window: _edges(windows) for window, windows in spans.items()}
    figures = _all_figures(parts, compiled.groupings, edges, span, compiled.clocks)
    verdicts = [
        _verdicts(clause, *figures[clause.index], spans[clause.grouping.window], span, terms)
        for clause in compiled.clauses
    ]
    return assemble(compiled, verdicts, span, terms, unused_rows, version)


def _all_figures(
    parts: Mapping[str, MetricColumns],
    groupings: Mapping[Grouping, Sequence[CompiledClause]],
    edges: Mapping[ast.Window, NDArray[np.int64]],
    span: Range,
    clocks: Mapping[str | None, BusinessClock],
) -> dict[int, tuple[Figures, IntArray]]:
    """The figures and window counts of every clause (by index), grouping by grouping.

    On a large batch the metrics, then the groupings, are worked on side by side, on as
    many threads as polars uses: numpy lets go of the interpreter while it sorts and
    copies, and every grouping's figures depend on its rows alone.
    """
    by_metric: dict[str, list[Grouping]] = {}
    for grouping in groupings:
        by_metric.setdefault(grouping.metric, []).append(grouping)

    def rows_of(metric: str) -> MetricRows | None:
        part, mine = parts[metric], by_metric[metric]
        if not part.times.size:
            return None
        union = np.unique(np.concatenate([edges[g.window] for g in mine]))
        rows = MetricRows(part, span.first, span.stop, union, clocks)
        rows.prepare({g.filter for g in mine}, {g.measure for g in mine})
        return rows

    def figures_of(task: tuple[MetricRows | None, Grouping]) -> list[tuple[int, Figures, IntArray]]:
        rows, grouping = task
        values = _group(rows, grouping, edges[grouping.window])
        # The grouping's values are let go once its clauses have their figures.
        return [(c.index, _figures(c, values), values.counts) for c in groupings[grouping]]

    size = sum(part.times.size for part in parts.values())
    workers = min(pl.thread_pool_size(), len(groupings)) if size >= PARALLEL_ROWS else 1
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        run = pool.map if pool is not None else map
        rows = dict(zip(by_metric, run(rows_of, by_metric), strict=True))
        found = run(figures_of, [(rows[g.metric], g) for g in groupings])
        return {index: (figures, counts) for done in found for index, figures, counts in done}


def _edges(spans: list[Span]) -> NDArray[np.int64]:
    return np.array([s.start for s in spans] + [spans[-1].end], dtype=np.int64)


def _range(start: datetime | None, end: datetime | None, first: int | None, last: int | None) -> Range | None:
    """The evaluated range, or None when there is nothing to evaluate (no bounds, no measurements)."""
    for name, moment in (("start", start), ("end", end)):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"the range's {name} has no UTC offset")
    if start is not None and end is not None and end <= start:
        raise ValueError("the range ends before it starts")
    lo = to_micros(start) if start is not None else first
    if end is not None:
        stop = shown = to_micros(end)
    elif last is not None:
        stop, shown = last + 1, last
    else:
        return None
    if lo is None:
        return None
    if stop <= lo:
        # One bound lies beyond every measurement: the range holds no instant, so no window. It is
        # shown as empty at the bound that was given (only `to` given: at `to`; else at `from`).
        at = stop if start is None else lo
        return Range(at, at, at, end is not None)
    return Range(lo, stop, shown, end is not None)


def _group(rows: MetricRows | None, grouping: Grouping, edges: NDArray[np.int64]) -> WindowValues:
    if rows is None:
        empty = np.zeros(0, dtype=np.float64)
        return WindowValues.of(empty, np.zeros(len(edges), dtype=np.int64), None)
    return WindowValues.of(rows.values(grouping.measure), rows.offsets(edges), rows.mask(grouping.filter))


def _figures(clause: CompiledClause, values: WindowValues) -> Figures:
    if clause.share_test is not None:
        return values.share(clause.share_test.op, clause.share_test.value)
    return values.figures(clause.aggregation, clause.percentile)


def _verdicts(
    clause: CompiledClause, figures: Figures, counts: IntArray, spans: list[Span], span: Range, terms: Terms
) -> list[Verdict]:
    verdicts = []
    sla = clause.kind is ast.ClauseKind.SLA
    # Python numbers once for the whole clause: reading numpy scalars one by one costs more.
    sizes = counts.tolist()
    raws = figures.values.tolist()
    ranks = figures.ranks.tolist() if figures.ranks is not None else [0] * len(spans)
    matches = figures.matching.tolist() if figures.matching is not None else [0] * len(spans)
    for index, window in enumerate(spans):
        samples, raw = sizes[index], raws[index]
        if math.isnan(raw):
            verdicts.append(
                Verdict(
                    window,
                    samples,
                    None,
                    "no_data",
                    _final(window, span),
                    "",
                    credits.NOTHING,
                    credits.NOTHING,
                )
            )
            continue
        value: float = raw
        computation = explain.computation(clause, value, samples, ranks[index], matches[index])
        credit = bonus = credits.NOTHING
        if samples < clause.min_samples:
            status = "insufficient"
        elif holds(clause.target.op, value, clause.target.value):
            status = "met"
            if sla:
                bonus = credits.bonus(clause, value, terms)
        else:
            status = "breached"
            if sla:
                credit = credits.credit(clause, value, terms)
        verdicts.append(
            Verdict(window, samples, value, status, _final(window, span), computation, credit, bonus)
        )
    return verdicts


def _final(window: Span, span: Range) -> bool:
    """Whether the window's figure is final: a range with an end before the window's leaves it provisional."""
    return not (span.explicit_end and window.end > span.stop)
