"""``engine.replay.replay``: what two versions of a policy would have credited on the same measurements.

Both versions are compiled and evaluated on one batch over one range; each old
clause is set beside its new version as the diff matched them (so a renamed
clause is compared with itself), and each fee period beside the same period.

Range: explicit bounds are used for both. Without ``start`` both begin at the
first measurement of any metric either version uses, so that a metric only one
of them measures cannot shift the other's windows. Without ``end`` each runs to
its own last measurement, as an unbounded evaluation does, so every window is
final (an explicit end inside a window would make it provisional and block its
earn-back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl

from dsl import CheckedPolicy

from . import compile, evaluate
from .diff import diff
from .measurements import Measurements
from .report import ClauseReport, Report
from .windows import from_micros, isoformat, zone_info


@dataclass(frozen=True, slots=True)
class ClauseCredit:
    """One clause's credit under each version: ``old_id``/``new_id`` None where the clause is absent."""

    old_id: str | None
    new_id: str | None
    old: Decimal | None
    new: Decimal | None
    old_breaches: int | None
    new_breaches: int | None

    @property
    def clause(self) -> str:
        """The clause's id in the old version, or in the new one for an added clause."""
        return self.old_id if self.old_id is not None else self.new_id or ""


@dataclass(frozen=True, slots=True)
class PeriodCredit:
    """The credit owed for one fee period, after the caps, under each version (None: no fee)."""

    start: int
    end: int
    old: Decimal | None
    new: Decimal | None


@dataclass(frozen=True, slots=True)
class Replay:
    """Both reports and their comparison by clause and by fee period."""

    old_report: Report
    new_report: Report
    by_clause: tuple[ClauseCredit, ...]
    by_period: tuple[PeriodCredit, ...]

    @property
    def old_total_credit(self) -> Decimal | None:
        return self.old_report.total_credit

    @property
    def new_total_credit(self) -> Decimal | None:
        return self.new_report.total_credit

    @property
    def difference(self) -> Decimal | None:
        """New minus old total credit: negative when the new version credits the client less."""
        return _minus(self.new_total_credit, self.old_total_credit)

    def to_dict(self) -> dict[str, Any]:
        """interfaces.md's ``replay`` object, plus ``difference``, bonuses, ``range`` and ``by_period``."""
        zone = zone_info(self.new_report.zone)
        return {
            "currency": self.new_report.currency or self.old_report.currency,
            "range": {"old": _range(self.old_report), "new": _range(self.new_report)},
            "old_total_credit": _money(self.old_total_credit),
            "new_total_credit": _money(self.new_total_credit),
            "difference": _money(self.difference),
            "old_total_bonus": _money(self.old_report.total_bonus),
            "new_total_bonus": _money(self.new_report.total_bonus),
            "by_clause": [
                {
                    "clause": c.clause,
                    "old_clause": c.old_id,
                    "new_clause": c.new_id,
                    "old": _money(c.old),
                    "new": _money(c.new),
                    "difference": _money(_minus(c.new, c.old)),
                    "old_breaches": c.old_breaches,
                    "new_breaches": c.new_breaches,
                }
                for c in self.by_clause
            ],
            "by_period": [
                {
                    "start": isoformat(p.start, zone),
                    "end": isoformat(p.end, zone),
                    "old": _money(p.old),
                    "new": _money(p.new),
                    "difference": _money(_minus(p.new, p.old)),
                }
                for p in self.by_period
            ],
        }


def replay(
    old: CheckedPolicy,
    new: CheckedPolicy,
    measurements: Measurements,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Replay:
    """Evaluate both versions on ``measurements`` and compare what they credit.

    Returns the :class:`Replay`. Raises :class:`engine.MeasurementError` for a
    row invalid against either version, :class:`ValueError` for a naive bound.
    """
    old_compiled, new_compiled = compile(old), compile(new)
    if start is None:
        start = _first(measurements, old_compiled.used_metrics | new_compiled.used_metrics)
    old_report = evaluate(old_compiled, measurements, start=start, end=end)
    new_report = evaluate(new_compiled, measurements, start=start, end=end)
    old_clauses: dict[str | None, ClauseReport] = {c.id: c for c in old_report.clauses}
    new_clauses: dict[str | None, ClauseReport] = {c.id: c for c in new_report.clauses}
    by_clause = tuple(
        ClauseCredit(
            pair.old,
            pair.new,
            _credit(old_clauses.get(pair.old)),
            _credit(new_clauses.get(pair.new)),
            _breaches(old_clauses.get(pair.old)),
            _breaches(new_clauses.get(pair.new)),
        )
        for pair in diff(old, new).pairs
    )
    return Replay(old_report, new_report, by_clause, _periods(old_report, new_report))


def _first(measurements: Measurements, metrics: frozenset[str]) -> datetime | None:
    times = measurements.frame.filter(pl.col("metric").is_in(sorted(metrics))).get_column("time")
    first = times.min()
    return None if first is None else from_micros(int(first), zone_info("UTC"))  # type: ignore[arg-type]


def _credit(clause: ClauseReport | None) -> Decimal | None:
    if clause is None:
        return None
    return clause.credit


def _breaches(clause: ClauseReport | None) -> int | None:
    return None if clause is None else clause.breaches


def _periods(old: Report, new: Report) -> tuple[PeriodCredit, ...]:
    """Fee periods of either report, in time order.

    Each report lists every fee period of its range, so a period missing from
    one (no fee, or another fee period length) is None there, not zero.
    """
    olds = {(p.span.start, p.span.end): p.credit for p in old.periods}
    news = {(p.span.start, p.span.end): p.credit for p in new.periods}
    return tuple(
        PeriodCredit(start, end, olds.get((start, end)), news.get((start, end)))
        for start, end in sorted(olds.keys() | news.keys())
    )


def _range(report: Report) -> dict[str, str] | None:
    if report.range is None:
        return None
    zone = zone_info(report.zone)
    return {"from": isoformat(report.range[0], zone), "to": isoformat(report.range[1], zone)}


def _minus(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    return None if new is None or old is None else new - old


def _money(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)
