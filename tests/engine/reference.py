"""A deliberately simple reference evaluator, written from language.md alone.

Loops, ``sorted`` and ``Decimal``; it shares no code with ``engine/`` so that
the property tests comparing the two can catch a mistake in either. It covers
every window (also anchored: ``monthly from day 16``, ``quarterly from day 1 of
February``, ``yearly from day 1 of April``) in any zone whose offsets and
changes fall on quarter-hours (also days that start at no midnight), monthly / quarterly / yearly fees,
filters, every aggregation and the share form, ``min N samples``, durations given as start/end (elapsed, or
business time under the default or a named calendar), percentage, money,
linear and pool credits, tiers, ``max``, earn-back, chronic failure, bonuses,
the cap (percentage or money) and the annual cap, and explicit ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from dsl import ast

from .reference_time import (
    MICRO,
    business_seconds,
    day_length,
    fee_period_of,
    local_midnight,
    windows_of,
)

LENGTH = {
    ast.Period.DAY: 0,
    ast.Period.WEEK: 1,
    ast.Period.MONTH: 2,
    ast.Period.QUARTER: 3,
    ast.Period.YEAR: 4,
}


@dataclass
class Row:
    """One measurement: ``time`` is the instant used for windowing (``end`` when not given)."""

    metric: str
    time: datetime
    value: float | None = None
    start: datetime | None = None
    end: datetime | None = None
    dims: dict[str, str] = field(default_factory=dict)


@dataclass
class RefWindow:
    start: datetime
    end: datetime
    samples: int = 0
    value: float | None = None
    status: str = "no_data"
    credit_percent: Decimal = Decimal(0)
    credit: Decimal | None = None
    owed: Decimal = Decimal(0)
    bonus_percent: Decimal = Decimal(0)
    bonus: Decimal | None = None
    earned_back: bool = False
    final: bool = True


@dataclass
class RefClause:
    windows: list[RefWindow] = field(default_factory=list)
    chronic: tuple[datetime, int, int] | None = None
    breaches: int = 0
    credit: Decimal | None = None


@dataclass
class RefPeriod:
    start: datetime
    end: datetime
    credit_before_cap: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    capped: bool = False
    bonus: Decimal = Decimal(0)


@dataclass
class RefReport:
    clauses: list[RefClause]
    periods: list[RefPeriod]
    total_credit: Decimal | None
    total_bonus: Decimal | None


# --- figures -------------------------------------------------------------------


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _holds(op: ast.Op, a: float, b: float) -> bool:
    if _equal(a, b):
        return op in (ast.Op.LE, ast.Op.GE)
    return {ast.Op.LT: a < b, ast.Op.LE: a <= b, ast.Op.GT: a > b, ast.Op.GE: a >= b}[op]


def _plain(quantity: ast.Quantity, calendar: ast.Calendar | None) -> float:
    """A policy quantity in the clause's units: seconds, a fraction, or the number."""
    if isinstance(quantity, ast.Duration):
        return float(quantity.seconds)
    if isinstance(quantity, ast.Ratio):
        return float(quantity.fraction)
    if isinstance(quantity, ast.Number):
        return float(quantity.value)
    assert calendar is not None
    unit = 3600 if quantity.unit is ast.BusinessUnit.HOURS else day_length(calendar)
    return float(quantity.amount * unit)


def _passes(clause: ast.Clause, dims: dict[str, str]) -> bool:
    for test in clause.filter:
        inside = dims.get(test.dimension) in test.values
        if inside != (test.op in (ast.FilterOp.EQ, ast.FilterOp.IN)):
            return False
    return True


def _aggregate(clause: ast.Clause, values: list[float], calendar: ast.Calendar | None) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    condition = clause.condition
    total = 0.0
    for v in ordered:
        total += v
    if isinstance(condition, ast.ShareCondition):
        threshold = _plain(condition.threshold, calendar)
        return sum(_holds(condition.op, v, threshold) for v in ordered) / n if n else None
    name = condition.aggregation.name
    if name in ("count", "sum"):
        return float(n) if name == "count" else total
    if n == 0:
        return None
    if name in ("mean", "min", "max"):
        return {"mean": total / n, "min": ordered[0], "max": ordered[-1]}[name]
    percentile = Decimal(50) if name == "median" else condition.aggregation.percentile
    assert percentile is not None
    return ordered[math.ceil(percentile * n / 100) - 1]


# --- money ---------------------------------------------------------------------


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class _Amount:
    """A credit or bonus as written: a share of the fee in percent units, or money."""

    percent: Decimal | None = None
    money: Decimal | None = None

    @staticmethod
    def of(amount: ast.Amount) -> _Amount:
        if isinstance(amount, ast.Ratio):
            return _Amount(percent=amount.fraction * 100)
        return _Amount(money=amount.amount)

    def size(self, fee: Decimal | None) -> Decimal:
        """For comparing amounts: money at the fee, or the percentage without one."""
        if self.money is not None:
            assert fee is not None
            return self.money
        assert self.percent is not None
        return self.percent if fee is None else fee * self.percent / 100

    def shown(self, fee: Decimal | None) -> tuple[Decimal, Decimal | None]:
        """(percent of the fee, money rounded to the cent or None without a fee)."""
        if self.money is not None:
            assert fee is not None
            return self.money / fee * 100, _cents(self.money)
        assert self.percent is not None
        return self.percent, None if fee is None else _cents(fee * self.percent / 100)


def _credit(
    clause: ast.Clause, policy: ast.Policy, value: float, target: float, unit: ast.Calendar | None
) -> _Amount:
    fee = policy.fee.amount.amount if policy.fee else None
    credit = clause.credit
    amount = _Amount(percent=Decimal(0))
    if isinstance(credit, ast.FixedCredit):
        amount = _Amount.of(credit.amount)
    elif isinstance(credit, ast.LinearCredit):
        distance = value - target if credit.direction is ast.Direction.OVER else target - value
        quotient = distance / _plain(credit.step, unit)
        steps = round(quotient) if _equal(quotient, float(round(quotient))) else math.ceil(quotient)
        amount = _Amount(percent=credit.rate.fraction * 100 * max(1, steps))
    elif isinstance(credit, ast.PoolCredit):
        assert policy.cap is not None
        pool = policy.cap.amount
        if isinstance(pool, ast.Ratio):
            amount = _Amount(percent=credit.share.fraction * pool.fraction * 100)
        else:
            amount = _Amount(money=credit.share.fraction * pool.amount)
    tiers = [_Amount.of(t.amount) for t in clause.tiers if _holds(t.op, value, _plain(t.threshold, unit))]
    if tiers:
        amount = max(tiers, key=lambda a: a.size(fee))
    maximum = clause.option(ast.MaxCredit)
    if maximum is not None and _Amount.of(maximum.amount).size(fee) < amount.size(fee):
        amount = _Amount.of(maximum.amount)
    return amount


# --- evaluation ----------------------------------------------------------------


def _range(
    policy: ast.Policy, rows: list[Row], start: datetime | None, end: datetime | None
) -> tuple[datetime, datetime] | None:
    used = {c.metric for c in policy.clauses}
    times = [r.time for r in rows if r.metric in used]
    if not times and (start is None or end is None):
        return None
    first = start if start is not None else min(times)
    stop = end if end is not None else max(times) + MICRO
    return (first, stop) if first < stop else None


def _value(row: Row, business: bool, calendar: ast.Calendar | None, zone: ZoneInfo) -> float:
    if row.value is not None:
        return row.value
    assert row.start is not None and row.end is not None
    if business:
        assert calendar is not None
        return business_seconds(calendar, zone, row.start, row.end)
    return (row.end - row.start) / timedelta(seconds=1)


def evaluate(
    policy: ast.Policy, rows: list[Row], start: datetime | None = None, end: datetime | None = None
) -> RefReport:
    """Evaluate ``policy`` over ``rows`` between ``start`` (inclusive) and ``end`` (exclusive)."""
    zone = ZoneInfo(policy.zone)
    fee = policy.fee.amount.amount if policy.fee else None
    bounds = _range(policy, rows, start, end)
    clauses = []
    for clause in policy.clauses:
        result = RefClause()
        chosen = clause.option(ast.UseCalendar)
        calendar = policy.calendar(chosen.name if chosen else None)
        condition = clause.condition
        business = isinstance(condition.threshold, ast.BusinessDuration)
        if isinstance(condition, ast.ShareCondition):
            op, target = ast.Op.GE, float(condition.share.fraction)
        else:
            op, target = condition.op, _plain(condition.threshold, calendar)
        minimum = clause.option(ast.MinSamples)
        bonus = clause.option(ast.Bonus)
        first, stop = bounds or (datetime.min.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC))
        for lo, hi in windows_of(clause.window, zone, first, stop) if bounds else []:
            values = [
                _value(r, business, calendar, zone)
                for r in rows
                if r.metric == clause.metric
                and lo <= r.time < hi
                and first <= r.time < stop
                and _passes(clause, r.dims)
            ]
            window = RefWindow(lo, hi, samples=len(values), final=end is None or hi <= end)
            window.value = _aggregate(clause, values, calendar)
            if window.value is None:
                window.status = "no_data"
            elif minimum is not None and len(values) < minimum.count:
                window.status = "insufficient"
            else:
                window.status = "met" if _holds(op, window.value, target) else "breached"
            if fee is not None:
                window.credit, window.bonus = Decimal(0), Decimal(0)
            if (
                clause.kind is ast.ClauseKind.SLA
                and window.status == "breached"
                and clause.credit is not None
            ):
                amount = _credit(clause, policy, window.value, target, calendar)  # type: ignore[arg-type]
                window.credit_percent, window.credit = amount.shown(fee)
            if (
                bonus is not None
                and window.status == "met"
                and _holds(bonus.op, window.value, _plain(bonus.threshold, calendar))  # type: ignore[arg-type]
            ):
                window.bonus_percent, window.bonus = _Amount.of(bonus.amount).shown(fee)
            result.windows.append(window)
        _earn_back_and_chronic(clause, result)
        clauses.append(result)
    periods = _settle(policy, clauses, zone, bounds) if fee is not None else []
    for result in clauses:
        result.breaches = sum(w.status == "breached" for w in result.windows)
        if fee is not None:
            result.credit = sum(
                (w.credit or Decimal(0) for w in result.windows if not w.earned_back), Decimal(0)
            )
    if fee is None:
        return RefReport(clauses, periods, None, None)
    total_credit = sum((p.credit for p in periods), Decimal(0))
    return RefReport(clauses, periods, total_credit, sum((p.bonus for p in periods), Decimal(0)))


def _earn_back_and_chronic(clause: ast.Clause, result: RefClause) -> None:
    earn = clause.option(ast.EarnBack)
    for index, window in enumerate(result.windows):
        following = result.windows[index + 1 : index + 1 + (earn.after_met if earn else 0)]
        window.earned_back = bool(
            earn
            and window.status == "breached"
            and len(following) == earn.after_met
            and all(w.status == "met" and w.final for w in following)
        )
        window.owed = Decimal(0) if window.earned_back else (window.credit or Decimal(0))
    chronic = clause.option(ast.Chronic)
    for index in range(len(result.windows) if chronic else 0):
        assert chronic is not None
        run = result.windows[max(0, index - chronic.of_windows + 1) : index + 1]
        breaches = sum(w.status == "breached" for w in run)
        if breaches >= chronic.breaches:
            result.chronic = (result.windows[index].start, breaches, chronic.of_windows)
            return


def _settle(
    policy: ast.Policy, clauses: list[RefClause], zone: ZoneInfo, bounds: tuple[datetime, datetime] | None
) -> list[RefPeriod]:
    """Fee periods with their credits after the cap and the annual cap, in time order."""
    assert policy.fee is not None
    fee, kind = policy.fee.amount.amount, policy.fee.period
    periods: dict[int, RefPeriod] = {}
    claims: dict[int, list[tuple[tuple[datetime, int], RefWindow]]] = {}

    def period(day: date) -> int:
        first, after, number = fee_period_of(day, kind)
        periods.setdefault(number, RefPeriod(local_midnight(first, zone), local_midnight(after, zone)))
        return number

    if bounds is not None:
        day = bounds[0].astimezone(zone).date()
        while local_midnight(day, zone) < bounds[1]:
            period(day)
            day = fee_period_of(day, kind)[1]
    for number, (clause, source) in enumerate(zip(clauses, policy.clauses, strict=True)):
        longer = LENGTH[source.window.period] > LENGTH[kind]
        for window in clause.windows:
            instant = window.end - MICRO if longer else window.start
            local = instant.astimezone(zone).date()
            key = fee_period_of(local, kind)[2]
            if window.owed > 0 or (window.bonus or 0) > 0:
                periods[period(local)].bonus += window.bonus or 0
            claims.setdefault(key, []).append(((window.start, number), window))
    cap = policy.cap.amount if policy.cap else None
    limit = None if cap is None else _cents(fee * cap.fraction) if isinstance(cap, ast.Ratio) else cap.amount
    span = {ast.Period.MONTH: 12, ast.Period.QUARTER: 4, ast.Period.YEAR: 1}[kind]
    for number in sorted(periods):
        owed = [(key, w) for key, w in claims.get(number, []) if w.owed > 0]
        for _, w in owed:
            w.credit = w.owed
        before = sum((w.owed for _, w in owed), Decimal(0))
        this = periods[number]
        this.credit_before_cap = this.credit = before
        if limit is not None and before > limit:
            _scale(owed, [w.owed for _, w in owed], limit)
            this.credit, this.capped = limit, True
        if policy.annual_cap is not None:
            earlier = sum((p.credit for n, p in periods.items() if number - span < n < number), Decimal(0))
            allowed = max(Decimal(0), _cents(policy.annual_cap.share.fraction * fee * span) - earlier)
            if this.credit > allowed:
                _scale(owed, [w.credit for _, w in owed], allowed)  # type: ignore[misc]
                this.credit, this.capped = allowed, True
    return [periods[n] for n in sorted(periods)]


def _scale(
    owed: list[tuple[tuple[datetime, int], RefWindow]], amounts: list[Decimal], limit: Decimal
) -> None:
    """Scale credits to ``limit`` pro rata, half up; the remainder to the largest (earliest, first
    clause), and a cent it cannot give up without going below zero from the next largest."""
    total = sum(amounts, Decimal(0))
    scaled = [_cents(amount * limit / total) for amount in amounts]
    order = sorted(range(len(owed)), key=lambda i: (-amounts[i], owed[i][0]))
    if order:
        scaled[order[0]] += limit - sum(scaled, Decimal(0))
    for i, j in pairwise(order):
        if scaled[i] < 0:
            scaled[j] += scaled[i]
            scaled[i] = Decimal(0)
    for (_, w), credit in zip(owed, scaled, strict=True):
        w.credit = credit
