"""Warnings across clauses: valid text that is almost certainly not what the authors meant.

- W510: a ``kpi`` and an ``sla`` on the same metric, aggregation, window and
  filter whose targets conflict: they point opposite ways, or the kpi is
  looser, so that a window can meet the kpi while it breaches the sla. (A
  stricter kpi is the usual early warning and is not reported.)
- W520: pool shares of the clauses add up to more than 100% of the pool.
- W530: ``min N samples`` beyond any plausible volume: more than 1,000,000
  values a day of the window's longest length.
- W540: a filter value in one clause and a differently cased one in another
  (``"P1"`` beside ``"p1"``): values match exactly, so one of them matches nothing.
- W550: a clause uses an undeclared metric whose name is close to a declared
  one (``resolution_tme`` beside ``metric resolution_time``): a misspelt metric
  would silently have no data.
- W560: the fee's currency is not an ISO 4217 code (``fee 5000 EUD monthly``).
- W570: a filter tests the empty text (``where site = ""``): an empty cell means the row lacks
  the dimension, so ``=``/``in`` of it match nothing and ``!=``/``not in`` of it everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from difflib import get_close_matches

from . import ast
from .currencies import COMMON_CURRENCIES, ISO_4217
from .findings import Findings, option_warning
from .formatter import format_decimal, format_quantity
from .kinds import magnitude

MAX_SAMPLES_PER_DAY = 1_000_000
_LONGEST_DAYS = {
    ast.Period.DAY: 1,
    ast.Period.WEEK: 7,
    ast.Period.MONTH: 31,
    ast.Period.QUARTER: 92,
    ast.Period.YEAR: 366,
}


def lint(policy: ast.Policy, findings: Findings) -> None:
    """Report every cross-clause warning of ``policy``."""
    _conflicting_kpis(policy, findings)
    _pool_over_100(policy, findings)
    _implausible_min_samples(policy, findings)
    _filter_value_case(policy, findings)
    _misspelt_metrics(policy, findings)
    _unknown_currency(policy, findings)
    _empty_filter_values(policy, findings)


# --- W510 --------------------------------------------------------------------------


def _scope(clause: ast.Clause) -> tuple[object, ...]:
    condition = clause.condition
    form = condition.aggregation.label if isinstance(condition, ast.AggregateCondition) else "share"
    tests = frozenset((t.dimension, t.op, frozenset(t.values)) for t in clause.filter)
    return (condition.metric, form, clause.window, tests)


def _comparable(left: ast.Quantity, right: ast.Quantity) -> bool:
    if type(left) is not type(right):
        return False
    if isinstance(left, ast.BusinessDuration) and isinstance(right, ast.BusinessDuration):
        return left.unit is right.unit
    return True


def _looser(kpi_op: ast.Op, kpi: Decimal, sla_op: ast.Op, sla: Decimal) -> bool:
    """Whether some value meets ``kpi_op kpi`` but not ``sla_op sla`` (both bounds on one side)."""
    if kpi == sla:
        return kpi_op in (ast.Op.LE, ast.Op.GE) and sla_op in (ast.Op.LT, ast.Op.GT)
    return kpi > sla if kpi_op.is_upper else kpi < sla


def _conflict(kpi: ast.Condition, sla: ast.Condition) -> str | None:
    """Why the two targets conflict, or None when they do not."""
    if not _comparable(kpi.threshold, sla.threshold):
        return None
    if kpi.op.is_upper != sla.op.is_upper:
        return "the targets point opposite ways"
    inner_looser = _looser(kpi.op, magnitude(kpi.threshold), sla.op, magnitude(sla.threshold))
    if isinstance(kpi, ast.ShareCondition) and isinstance(sla, ast.ShareCondition):
        share_looser = kpi.share.fraction < sla.share.fraction
        inner_stricter = _looser(sla.op, magnitude(sla.threshold), kpi.op, magnitude(kpi.threshold))
        share_stricter = kpi.share.fraction > sla.share.fraction
        if (inner_looser or share_looser) and not (inner_stricter or share_stricter):
            return "a window can meet the kpi while it breaches the sla"
        return None
    return "a window can meet the kpi while it breaches the sla" if inner_looser else None


def _target(condition: ast.Condition) -> str:
    text = f"{condition.op.value} {format_quantity(condition.threshold)}"
    if isinstance(condition, ast.ShareCondition):
        return f"{format_quantity(condition.share)} {text}"
    return text


def _label(clause: ast.Clause) -> str:
    return (
        f'"{clause.name}"'
        if clause.name is not None
        else f"on line {clause.span.line}"
        if clause.span
        else ""
    )


def _conflicting_kpis(policy: ast.Policy, findings: Findings) -> None:
    kpis = [c for c in policy.clauses if c.kind is ast.ClauseKind.KPI]
    metrics = {c.metric for c in kpis}
    slas: dict[tuple[object, ...], list[ast.Clause]] = {}
    for clause in policy.clauses:
        if clause.kind is ast.ClauseKind.SLA and clause.metric in metrics:
            slas.setdefault(_scope(clause), []).append(clause)
    for clause in kpis:
        for sla in slas.get(_scope(clause), []):
            reason = _conflict(clause.condition, sla.condition)
            if reason is None:
                continue
            findings.warning(
                "W510",
                f"the kpi's target `{_target(clause.condition)}` conflicts with the target "
                f"`{_target(sla.condition)}` of the sla {_label(sla)} on the same metric, window "
                f"and filter: {reason}",
                clause.condition.span,
                "a kpi usually sets a stricter target than the sla; align the two targets",
            )
            break


# --- W520, W530 ---------------------------------------------------------------------


def _pool_over_100(policy: ast.Policy, findings: Findings) -> None:
    total = Decimal(0)
    for clause in policy.clauses:
        if clause.kind is not ast.ClauseKind.SLA:
            continue
        for option in clause.options:
            if not isinstance(option, ast.PoolCredit):
                continue
            before, total = total, total + option.share.fraction
            if total > 1 >= before:
                option_warning(
                    findings,
                    option,
                    "W520",
                    f"the pool shares of the clauses add up to {format_decimal(total * 100)}% "
                    "of the pool by this clause",
                    "shares of the pool should add up to at most 100%; "
                    "the cap cuts the period's credits in proportion anyway",
                )


def _implausible_min_samples(policy: ast.Policy, findings: Findings) -> None:
    for clause in policy.clauses:
        option = clause.option(ast.MinSamples)
        if option is None:
            continue
        days = _LONGEST_DAYS[clause.window.period]
        limit = MAX_SAMPLES_PER_DAY * days
        if option.count > limit:
            option_warning(
                findings,
                option,
                "W530",
                f"`min {option.count:,} samples` in a {clause.window.period.adverb} window asks for more "
                f"than {limit:,} values ({MAX_SAMPLES_PER_DAY:,} a day): every window would be insufficient",
                "check the number; `min N samples` counts the values in one window",
            )


# --- W540 ----------------------------------------------------------------------------


def _values(clause: ast.Clause) -> Iterator[tuple[ast.DimensionTest, str]]:
    for test in clause.filter:
        for value in test.values:
            yield test, value


def _filter_value_case(policy: ast.Policy, findings: Findings) -> None:
    # (dimension, folded value) -> the exact values used so far, each with its first clause.
    seen: dict[tuple[str, str], dict[str, int]] = {}
    reported: set[tuple[str, str]] = set()
    for index, clause in enumerate(policy.clauses):
        for test, value in _values(clause):
            spellings = seen.setdefault((test.dimension, value.casefold()), {})
            others = [(v, i) for v, i in spellings.items() if v != value and i != index]
            if value not in spellings and others and (test.dimension, value) not in reported:
                other, other_index = others[0]
                other_clause = policy.clauses[other_index]
                where = f" on line {other_clause.span.line}" if other_clause.span else ""
                findings.warning(
                    "W540",
                    f'`{test.dimension}` is "{value}" here but "{other}" in another clause{where}; '
                    "filter values match exactly, so one of them may match nothing",
                    test.span,
                    f'write the value as the data has it, e.g. "{other}" in both clauses',
                )
                reported.add((test.dimension, value))
            spellings.setdefault(value, index)


# --- W550 ----------------------------------------------------------------------------


def _misspelt_metrics(policy: ast.Policy, findings: Findings) -> None:
    declared = sorted({m.name for m in policy.metrics})
    reported: set[str] = set()
    for clause in policy.clauses:
        metric = clause.metric
        if metric in declared or metric in reported:
            continue
        close = get_close_matches(metric, declared, n=1, cutoff=0.8)
        if close:
            findings.warning(
                "W550",
                f"the metric `{metric}` is not declared, but `{close[0]}` is: "
                f"measurements of `{close[0]}` do not count for `{metric}`",
                clause.condition.span,
                f"did you mean `{close[0]}`? (or declare `{metric}` too)",
            )
            reported.add(metric)


# --- W560 ----------------------------------------------------------------------------


def _unknown_currency(policy: ast.Policy, findings: Findings) -> None:
    """Every money amount must be in the fee's currency (E323, E324), so the fee's code is the one
    to judge."""
    if policy.fee is None or policy.fee.amount.currency in ISO_4217:
        return
    code = policy.fee.amount.currency
    # A typo changes one letter; contracts are mostly in a handful of currencies.
    candidates = (*COMMON_CURRENCIES, *sorted(ISO_4217))
    near = [c for c in candidates if sum(a != b for a, b in zip(c, code, strict=True)) == 1]
    findings.warning(
        "W560",
        f"`{code}` is not an ISO 4217 currency code",
        policy.fee.amount.span,
        f"did you mean `{near[0]}`?" if near else "write the three-letter ISO 4217 code, e.g. EUR, GBP, USD",
    )


# --- W570 ----------------------------------------------------------------------------


def _empty_filter_values(policy: ast.Policy, findings: Findings) -> None:
    effect = {
        ast.FilterOp.EQ: "`=` matches no row",
        ast.FilterOp.NE: "`!=` matches every row",
        ast.FilterOp.IN: "it adds no row to `in`",
        ast.FilterOp.NOT_IN: "it keeps no row out of `not in`",
    }
    for clause in policy.clauses:
        for test in clause.filter:
            if "" in test.values:
                findings.warning(
                    "W570",
                    f'no row carries the value "" of `{test.dimension}`: an empty cell means the row '
                    f"lacks the dimension, so {effect[test.op]}",
                    test.span,
                    "name the value the data carries, or drop it",
                )
