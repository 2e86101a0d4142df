"""A deliberately simple reference evaluator, written from language.md alone.

Loops, ``sorted`` and ``Fraction``; it shares no code with ``engine/`` so that
the property test comparing the two can catch a mistake in either. It covers
what the generated policies use: monthly fees, percentage credits and caps,
daily / weekly / monthly (also ``from day N``) / quarterly windows, filters, every
aggregation, the share form, tiers, linear credits, pool credits, ``max``,
earn-back, chronic failure, bonuses, the cap and the annual cap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from dsl import ast


@dataclass
class RefWindow:
    start: datetime
    end: datetime
    samples: int = 0
    value: float | None = None
    status: str = "no_data"
    credit_percent: Decimal = Decimal(0)
    credit: Decimal | None = None
    owed_before_cap: Decimal = Decimal(0)
    bonus: Decimal | None = None
    earned_back: bool = False
    final: bool = True


@dataclass
class RefClause:
    windows: list[RefWindow] = field(default_factory=list)
    chronic_start: datetime | None = None


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _holds(op: ast.Op, a: float, b: float) -> bool:
    if _equal(a, b):
        return op in (ast.Op.LE, ast.Op.GE)
    return {ast.Op.LT: a < b, ast.Op.LE: a <= b, ast.Op.GT: a > b, ast.Op.GE: a >= b}[op]


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _window_start_day(window: ast.Window, day: date) -> date:
    if window.period is ast.Period.DAY:
        return day
    if window.period is ast.Period.WEEK:
        return day - timedelta(days=day.weekday())
    anchor = window.anchor_day or 1
    if window.period is ast.Period.QUARTER:
        # Quarters of the calendar year (the generated policies use no anchor month).
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, anchor)
        assert start <= day or anchor > 1
        return start
    start = date(day.year, day.month, anchor)
    if start > day:
        start = date(day.year - 1, 12, anchor) if day.month == 1 else date(day.year, day.month - 1, anchor)
    return start


def _next_day(window: ast.Window, day: date) -> date:
    if window.period is ast.Period.DAY:
        return day + timedelta(days=1)
    if window.period is ast.Period.WEEK:
        return day + timedelta(days=7)
    months = 3 if window.period is ast.Period.QUARTER else 1
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def _windows(
    window: ast.Window, zone: ZoneInfo, first: datetime, last: datetime
) -> list[tuple[datetime, datetime]]:
    day = _window_start_day(window, first.astimezone(zone).date())
    spans = []
    while _local_midnight(day, zone) <= last:
        following = _next_day(window, day)
        spans.append((_local_midnight(day, zone), _local_midnight(following, zone)))
        day = following
    return spans


def _passes(clause: ast.Clause, dims: dict[str, str | None]) -> bool:
    for test in clause.filter:
        value = dims.get(test.dimension)
        inside = value is not None and value in test.values
        if test.op in (ast.FilterOp.EQ, ast.FilterOp.IN) and not inside:
            return False
        if test.op in (ast.FilterOp.NE, ast.FilterOp.NOT_IN) and inside:
            return False
    return True


def _aggregate(condition: ast.Condition, values: list[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if isinstance(condition, ast.ShareCondition):
        if n == 0:
            return None
        good = [v for v in ordered if _holds(condition.op, v, float(condition.threshold.value))]  # type: ignore[union-attr]
        return len(good) / n
    name = condition.aggregation.name
    if name == "count":
        return float(n)
    if name == "sum":
        return math.fsum(ordered)
    if n == 0:
        return None
    if name == "mean":
        return math.fsum(ordered) / n
    if name == "min":
        return ordered[0]
    if name == "max":
        return ordered[-1]
    percentile = Fraction(50) if name == "median" else Fraction(str(condition.aggregation.percentile))
    rank = math.ceil(percentile * n / 100)
    return ordered[rank - 1]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _credit_percent(clause: ast.Clause, value: float, target: float, policy: ast.Policy) -> Decimal:
    percent: Decimal | None = None
    credit = clause.credit
    if isinstance(credit, ast.FixedCredit) and isinstance(credit.amount, ast.Ratio):
        percent = credit.amount.fraction * 100
    elif isinstance(credit, ast.LinearCredit):
        step = float(credit.step.value)  # type: ignore[union-attr]
        distance = value - target if credit.direction is ast.Direction.OVER else target - value
        quotient = distance / step
        steps = round(quotient) if _equal(quotient, float(round(quotient))) else math.ceil(quotient)
        percent = credit.rate.fraction * 100 * max(1, steps)
    elif isinstance(credit, ast.PoolCredit):
        assert policy.cap is not None and isinstance(policy.cap.amount, ast.Ratio)
        percent = credit.share.fraction * policy.cap.amount.fraction * 100
    tiers = [t.amount.fraction * 100 for t in clause.tiers if _holds(t.op, value, float(t.threshold.value))]  # type: ignore[union-attr]
    if tiers:
        percent = max(tiers)
    maximum = clause.option(ast.MaxCredit)
    if percent is not None and maximum is not None and isinstance(maximum.amount, ast.Ratio):
        percent = min(percent, maximum.amount.fraction * 100)
    return percent if percent is not None else Decimal(0)


def evaluate(
    policy: ast.Policy,
    rows: list[dict[str, object]],
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[list[RefClause], list[tuple[datetime, Decimal]]]:
    """Evaluate ``policy`` (monthly fee, percentages) over rows ``{"metric", "time" (aware datetime),
    "value", "dims"}``; returns the clauses and the fee periods' credits after the caps."""
    zone = ZoneInfo(policy.zone)
    used = {c.metric for c in policy.clauses}
    times = [r["time"] for r in rows if r["metric"] in used]
    if not times and (start is None or end is None):
        return [RefClause() for _ in policy.clauses], []
    first = start if start is not None else min(times)  # type: ignore[type-var]
    stop = end if end is not None else max(times) + timedelta(microseconds=1)  # type: ignore[type-var, operator]
    fee = policy.fee.amount.amount if policy.fee else None
    clauses = []
    for clause in policy.clauses:
        result = RefClause()
        target = float(clause.condition.threshold.value)  # type: ignore[union-attr]
        if isinstance(clause.condition, ast.ShareCondition):
            target = float(clause.condition.share.fraction)
        op = ast.Op.GE if isinstance(clause.condition, ast.ShareCondition) else clause.condition.op
        minimum = clause.option(ast.MinSamples)
        for lo, hi in _windows(clause.window, zone, first, stop - timedelta(microseconds=1)):  # type: ignore[arg-type]
            values = [
                float(r["value"])  # type: ignore[arg-type]
                for r in rows
                if r["metric"] == clause.metric
                and lo <= r["time"] < hi  # type: ignore[operator]
                and first <= r["time"] < stop  # type: ignore[operator]
                and _passes(clause, r["dims"])  # type: ignore[arg-type]
            ]
            window = RefWindow(lo, hi, samples=len(values), final=end is None or hi <= end)
            window.value = _aggregate(clause.condition, values)
            if window.value is None:
                window.status = "no_data"
            elif minimum is not None and len(values) < minimum.count:
                window.status = "insufficient"
            else:
                window.status = "met" if _holds(op, window.value, target) else "breached"
            if clause.kind is ast.ClauseKind.SLA and window.status == "breached":
                window.credit_percent = _credit_percent(clause, window.value, target, policy)  # type: ignore[arg-type]
            bonus = clause.option(ast.Bonus)
            if fee is not None:
                window.credit = _cents(fee * window.credit_percent / 100)
                window.bonus = Decimal(0)
                if (
                    bonus is not None
                    and window.status == "met"
                    and _holds(bonus.op, window.value, float(bonus.threshold.value))
                ):  # type: ignore[arg-type, union-attr]
                    window.bonus = _cents(fee * bonus.amount.fraction)  # type: ignore[union-attr]
            result.windows.append(window)
        earn = clause.option(ast.EarnBack)
        for index, window in enumerate(result.windows):
            nxt = result.windows[index + 1 : index + 1 + (earn.after_met if earn else 0)]
            window.earned_back = bool(
                earn
                and window.status == "breached"
                and len(nxt) == earn.after_met
                and all(w.status == "met" and w.final for w in nxt)
            )
            window.owed_before_cap = Decimal(0) if window.earned_back else (window.credit or Decimal(0))
        chronic = clause.option(ast.Chronic)
        if chronic is not None:
            for index in range(len(result.windows)):
                run = result.windows[max(0, index - chronic.of_windows + 1) : index + 1]
                if sum(w.status == "breached" for w in run) >= chronic.breaches:
                    result.chronic_start = result.windows[index].start
                    break
        clauses.append(result)
    return clauses, _settle(policy, clauses, zone)


def _settle(policy: ast.Policy, clauses: list[RefClause], zone: ZoneInfo) -> list[tuple[datetime, Decimal]]:
    if policy.fee is None:
        return []
    fee = policy.fee.amount.amount
    by_month: dict[tuple[int, int], list[tuple[tuple[datetime, int], RefWindow]]] = {}
    for number, (clause, source) in enumerate(zip(clauses, policy.clauses, strict=True)):
        longer = source.window.period in (ast.Period.QUARTER, ast.Period.YEAR)
        for window in clause.windows:
            # A window longer than the (monthly) fee period goes to the month of its last instant.
            instant = window.end - timedelta(microseconds=1) if longer else window.start
            local = instant.astimezone(zone)
            by_month.setdefault((local.year, local.month), []).append(((window.start, number), window))
    cap = (
        policy.cap.amount.fraction * fee if policy.cap and isinstance(policy.cap.amount, ast.Ratio) else None
    )
    totals: list[tuple[datetime, Decimal]] = []
    paid_by_month: dict[int, Decimal] = {}
    for (year, month), entries in sorted(by_month.items()):
        owed = [(key, w) for key, w in entries if w.owed_before_cap > 0]
        total = sum((w.owed_before_cap for _, w in owed), Decimal(0))
        for _, w in entries:
            if not w.earned_back and w.credit is not None:
                w.credit = w.owed_before_cap
        if cap is not None and total > _cents(cap):
            _scale(owed, total, _cents(cap))
            total = _cents(cap)
        if policy.annual_cap is not None:
            number = year * 12 + month
            before = sum((v for n, v in paid_by_month.items() if number - 12 < n < number), Decimal(0))
            allowed = max(Decimal(0), _cents(policy.annual_cap.share.fraction * fee * 12) - before)
            if total > allowed:
                current = sum((w.credit for _, w in owed), Decimal(0))  # type: ignore[misc]
                _scale(owed, current, allowed, use_credit=True)
                total = allowed
            paid_by_month[number] = total
        totals.append((_local_midnight(date(year, month, 1), zone), total))
    return totals


def _scale(
    owed: list[tuple[tuple[datetime, int], RefWindow]],
    total: Decimal,
    limit: Decimal,
    use_credit: bool = False,
) -> None:
    before = [(key, (w.credit if use_credit else w.owed_before_cap), w) for key, w in owed]
    for _, amount, w in before:
        w.credit = _cents(amount * limit / total)  # type: ignore[operator]
    remainder = limit - sum((w.credit for _, _, w in before), Decimal(0))  # type: ignore[misc]
    if before and remainder:
        largest = sorted(before, key=lambda item: (-item[1], item[0]))[0]  # type: ignore[operator]
        largest[2].credit += remainder  # type: ignore[operator]
