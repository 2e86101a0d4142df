"""``engine.compile``: a checked policy as flat, ready-to-run clause evaluators.

Compiling resolves everything the syntax tree leaves implicit once, so that
evaluation never walks the tree: thresholds as floats in the clause's units
(seconds for durations, business durations through the calendar's
``day_seconds``), which clock measures ``start``/``end`` rows, the grouping
that clauses over the same metric, filter and window share, and the credit
terms in exact decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dsl import CheckedPolicy, ast, format_clause

from .clock import BusinessClock, business_clock


@dataclass(frozen=True, slots=True)
class Measure:
    """How a duration given as ``start``/``end`` is measured: elapsed, or business time.

    ``calendar`` is the calendar's name (None for the default one) when business time.
    """

    business: bool = False
    calendar: str | None = None


@dataclass(frozen=True, slots=True)
class Grouping:
    """The work clauses share: the same rows, split into the same windows, measured alike."""

    metric: str
    filter: tuple[ast.DimensionTest, ...]
    window: ast.Window
    measure: Measure


@dataclass(frozen=True, slots=True)
class Test:
    """A comparison with a threshold: the float used to compare and the quantity as written."""

    op: ast.Op
    value: float
    quantity: ast.Quantity
    exact: Decimal
    """The threshold in the clause's units (seconds, fraction, number), for the report."""


@dataclass(frozen=True, slots=True)
class CompiledTier:
    amount: ast.Amount
    test: Test


@dataclass(frozen=True, slots=True)
class Consequences:
    """What a breach or a met window of an ``sla`` clause is worth."""

    credit: ast.Credit | None = None
    step: float | None = None
    step_exact: Decimal | None = None
    tiers: tuple[CompiledTier, ...] = ()
    maximum: ast.Amount | None = None
    earn_back: int | None = None
    chronic: ast.Chronic | None = None
    bonus: ast.Amount | None = None
    bonus_test: Test | None = None


@dataclass(frozen=True, slots=True)
class CompiledClause:
    """One clause, ready to evaluate; ``index`` is its position in the policy."""

    index: int
    id: str
    kind: ast.ClauseKind
    text: str
    name: str | None
    owner: str | None
    metric: str
    grouping: Grouping
    aggregation: str
    """``p95``, ``median``, ``mean``, ..., or ``share`` for the share form."""
    percentile: Decimal | None
    """The percentile (50 for ``median``), else None."""
    target: Test
    """For the share form, ``>= P/100``; otherwise the clause's comparison."""
    share_test: Test | None
    """For the share form, the inner comparison each value must satisfy."""
    min_samples: int
    consequences: Consequences
    unit: str
    """How figures are shown: ``duration``, ``business``, ``ratio``, ``number``."""


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy compiled for evaluation (see :func:`compile`)."""

    policy: ast.Policy
    name: str | None
    zone: str
    fee: ast.Fee | None
    cap: ast.Cap | None
    annual_cap: ast.AnnualCap | None
    clauses: tuple[CompiledClause, ...]
    metric_kinds: Mapping[str, ast.MetricKind]
    definitions: Mapping[str, str]
    clocks: Mapping[str | None, BusinessClock]
    groupings: Mapping[Grouping, tuple[CompiledClause, ...]]
    """The clauses of each grouping, in policy order: the work they share is done once."""
    filters: Mapping[str, tuple[tuple[ast.DimensionTest, ...], ...]]
    """For each used metric, its clauses' distinct filters but the empty one: one mask each."""

    @property
    def used_metrics(self) -> frozenset[str]:
        return frozenset(c.metric for c in self.clauses)

    @property
    def used_kinds(self) -> dict[str, ast.MetricKind]:
        """The kind of each metric a clause uses, in metric-name order: what rows are checked against."""
        return {metric: self.metric_kinds[metric] for metric in sorted(self.used_metrics)}

    @property
    def currency(self) -> str | None:
        return self.fee.amount.currency if self.fee else None


def compile(checked: CheckedPolicy) -> CompiledPolicy:
    """Compile a checked policy once, for any number of evaluations.

    Returns the :class:`CompiledPolicy`. Raises
    :class:`zoneinfo.ZoneInfoNotFoundError` only for a zone the checker let through.
    """
    policy = checked.policy
    zone = policy.zone
    clocks: dict[str | None, BusinessClock] = {}
    for calendar in policy.calendars:
        clocks[calendar.name] = business_clock(calendar, zone)
    clauses = tuple(
        _compile_clause(index, clause, checked.clause_ids[index], clocks)
        for index, clause in enumerate(policy.clauses)
    )
    groupings: dict[Grouping, list[CompiledClause]] = {}
    for clause in clauses:
        groupings.setdefault(clause.grouping, []).append(clause)
    filters = {
        metric: tuple(
            sorted({c.grouping.filter for c in clauses if c.metric == metric and c.grouping.filter}, key=repr)
        )
        for metric in sorted({c.metric for c in clauses})
    }
    return CompiledPolicy(
        policy=policy,
        name=policy.name.value if policy.name else None,
        zone=zone,
        fee=policy.fee,
        cap=policy.cap,
        annual_cap=policy.annual_cap,
        clauses=clauses,
        metric_kinds=dict(checked.metric_kinds),
        definitions={m.name: m.definition for m in policy.metrics if m.definition is not None},
        clocks=clocks,
        groupings={grouping: tuple(members) for grouping, members in groupings.items()},
        filters=filters,
    )


def _exact(quantity: ast.Quantity, clock: BusinessClock | None) -> Decimal:
    """A quantity in the clause's units: seconds, a fraction or a plain number."""
    match quantity:
        case ast.Duration(seconds=seconds):
            return seconds
        case ast.BusinessDuration(amount=amount, unit=unit):
            if clock is None:
                raise ValueError("a business duration needs a calendar (the checker reports E4xx)")
            size = 3600 if unit is ast.BusinessUnit.HOURS else clock.day_seconds
            return amount * size
        case ast.Ratio(fraction=fraction):
            return fraction
        case ast.Number(value=value):
            return value


def _test(op: ast.Op, quantity: ast.Quantity, clock: BusinessClock | None) -> Test:
    exact = _exact(quantity, clock)
    return Test(op=op, value=float(exact), quantity=quantity, exact=exact)


def _compile_clause(
    index: int,
    clause: ast.Clause,
    clause_id: str,
    clocks: Mapping[str | None, BusinessClock],
) -> CompiledClause:
    condition = clause.condition
    use = clause.option(ast.UseCalendar)
    calendar_name = use.name if use else None
    clock = clocks.get(calendar_name)
    business = isinstance(condition.threshold, ast.BusinessDuration)
    measure = Measure(business=True, calendar=calendar_name) if business else Measure()
    grouping = Grouping(condition.metric, clause.filter, clause.window, measure)
    if isinstance(condition, ast.ShareCondition):
        aggregation, percentile = "share", None
        share = ast.Ratio(condition.share.fraction)
        target = _test(ast.Op.GE, share, None)
        share_test: Test | None = _test(condition.op, condition.threshold, clock)
    else:
        aggregation = condition.aggregation.label
        percentile = condition.aggregation.percentile
        if condition.aggregation.name == "median":
            percentile = Decimal(50)
        target = _test(condition.op, condition.threshold, clock)
        share_test = None
    minimum = clause.option(ast.MinSamples)
    owner = clause.option(ast.Owner)
    return CompiledClause(
        index=index,
        id=clause_id,
        kind=clause.kind,
        text=format_clause(clause),
        name=clause.name,
        owner=owner.name if owner else None,
        metric=condition.metric,
        grouping=grouping,
        aggregation=aggregation,
        percentile=percentile,
        target=target,
        share_test=share_test,
        min_samples=minimum.count if minimum else 0,
        consequences=_consequences(clause, clock),
        unit=_unit(clause),
    )


def _consequences(clause: ast.Clause, clock: BusinessClock | None) -> Consequences:
    if clause.kind is ast.ClauseKind.KPI:
        return Consequences()
    credit = clause.credit
    step = step_exact = None
    if isinstance(credit, ast.LinearCredit):
        step_exact = _exact(credit.step, clock)
        step = float(step_exact)
    maximum = clause.option(ast.MaxCredit)
    earn_back = clause.option(ast.EarnBack)
    bonus = clause.option(ast.Bonus)
    return Consequences(
        credit=credit,
        step=step,
        step_exact=step_exact,
        tiers=tuple(CompiledTier(t.amount, _test(t.op, t.threshold, clock)) for t in clause.tiers),
        maximum=maximum.amount if maximum else None,
        earn_back=earn_back.after_met if earn_back else None,
        chronic=clause.option(ast.Chronic),
        bonus=bonus.amount if bonus else None,
        bonus_test=_test(bonus.op, bonus.threshold, clock) if bonus else None,
    )


def _unit(clause: ast.Clause) -> str:
    condition = clause.condition
    if isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "count":
        return "number"
    match condition.threshold:
        case ast.BusinessDuration():
            return "business"
        case ast.Duration():
            return "duration"
        case ast.Ratio():
            return "ratio"
        case _:
            return "number"
