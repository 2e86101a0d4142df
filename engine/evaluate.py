"""``engine.evaluate``: a compiled policy over a batch of measurements -> the report.

The work runs per grouping (metric, filter, window, clock), shared by every
clause that has the same one: select the rows with polars, measure durations,
split by window and sort once (:mod:`engine.aggregate`). Per window, in
Python: the status, the credit, the explanation; per clause, earn-back and
chronic failure; per fee period, the caps (:mod:`engine.caps`).
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import polars as pl

from dsl import ast

from . import credits, explain
from .aggregate import Figures, WindowValues
from .assemble import Range, Verdict, assemble
from .compare import holds
from .compiler import CompiledClause, CompiledPolicy, Grouping
from .credits import Terms
from .measurements import SCHEMA, Measurements
from .report import Report
from .rows import MetricRows, has_fault, validate
from .windows import Span, to_micros, windows_between, zone_info


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
    used = sorted(compiled.used_metrics)
    # One lazy query per metric, collected together so polars can run them side by side.
    # Only the columns the metric's clauses read: copying text columns is the dear part.
    queries = [
        frame.lazy()
        .filter(pl.col("metric") == metric)
        .select("time", "value", "start", "end", *_dimensions(compiled, metric, frame.columns))
        for metric in used
    ]
    parts = dict(zip(used, pl.collect_all(queries), strict=True))
    kinds = {metric: compiled.metric_kinds[metric] for metric in used}
    if any(has_fault(parts[m], kinds[m]) for m in used):
        validate(frame, kinds)
    unused_rows = frame.height - sum(part.height for part in parts.values())
    times = [parts[m].get_column("time") for m in used if parts[m].height]
    first = min(int(t.min()) for t in times) if times else None  # type: ignore[arg-type]
    last = max(int(t.max()) for t in times) if times else None  # type: ignore[arg-type]
    span = _range(start, end, first, last)
    zone = zone_info(compiled.zone)
    terms = Terms.of(compiled)
    verdicts: list[list[Verdict]] = []
    if span is None or span.stop <= span.first:
        verdicts = [[] for _ in compiled.clauses]
    else:
        metric_rows = {
            m: MetricRows(part, span.first, span.stop, compiled.clocks)
            for m, part in parts.items()
            if part.height
        }
        for metric, rows in metric_rows.items():
            rows.prepare({c.grouping.filter for c in compiled.clauses if c.metric == metric})
        groups: dict[Grouping, WindowValues] = {}
        spans: dict[ast.Window, list[Span]] = {}
        for clause in compiled.clauses:
            window = clause.grouping.window
            if window not in spans:
                spans[window] = windows_between(window, zone, span.first, span.stop - 1)
            if clause.grouping not in groups:
                groups[clause.grouping] = _group(
                    metric_rows.get(clause.metric), clause.grouping, spans[window]
                )
            verdicts.append(_verdicts(clause, groups[clause.grouping], spans[window], span, terms))
    return assemble(compiled, verdicts, span, terms, unused_rows, version)


def _dimensions(compiled: CompiledPolicy, metric: str, columns: list[str]) -> list[str]:
    names = {t.dimension for c in compiled.clauses if c.metric == metric for t in c.grouping.filter}
    return sorted(names & set(columns))


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
        # One bound lies beyond every measurement: the range holds no instant, so no window.
        return Range(lo, lo, lo, end is not None)
    return Range(lo, stop, shown, end is not None)


def _group(rows: MetricRows | None, grouping: Grouping, spans: list[Span]) -> WindowValues:
    if rows is None:
        empty = np.zeros(0, dtype=np.int64)
        return WindowValues.split(len(spans), empty, empty.astype(np.float64))
    bounds = np.array([s.start for s in spans] + [spans[-1].end], dtype=np.int64)
    mask = rows.mask(grouping.filter)
    index = rows.window_index(grouping.window, bounds)[mask]
    return WindowValues.split(len(spans), index, rows.values(grouping.measure)[mask])


def _figures(clause: CompiledClause, values: WindowValues) -> Figures:
    if clause.share_test is not None:
        return values.share(clause.share_test.op, clause.share_test.value)
    return values.figures(clause.aggregation, clause.percentile)


def _verdicts(
    clause: CompiledClause, values: WindowValues, spans: list[Span], span: Range, terms: Terms
) -> list[Verdict]:
    figures = _figures(clause, values)
    verdicts = []
    sla = clause.kind is ast.ClauseKind.SLA
    for index, window in enumerate(spans):
        samples = int(values.counts[index])
        raw = float(figures.values[index])
        value = None if math.isnan(raw) else raw
        rank = int(figures.ranks[index]) if figures.ranks is not None else 0
        matching = int(figures.matching[index]) if figures.matching is not None else 0
        computation = explain.computation(clause, value, samples, rank, matching) if value is not None else ""
        if value is None:
            status = "no_data"
        elif samples < clause.min_samples:
            status = "insufficient"
        else:
            status = "met" if holds(clause.target.op, value, clause.target.value) else "breached"
        credit = (
            credits.credit(clause, value, terms)
            if sla and status == "breached" and value is not None
            else credits.NOTHING
        )
        bonus = (
            credits.bonus(clause, value, terms)
            if sla and status == "met" and value is not None
            else credits.NOTHING
        )
        final = not (span.explicit_end and window.end > span.stop)
        verdicts.append(Verdict(window, samples, value, status, final, computation, credit, bonus))
    return verdicts
