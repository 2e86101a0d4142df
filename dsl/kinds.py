"""Type agreement: every target, tier, bonus and step has the kind of the value it is compared with.

A metric's kind is declared (``metric x duration``) or taken from its first use
(E302 for a later use of another kind). The *value* of a clause's window is the
aggregate of the metric, which keeps the metric's kind, except that ``count``
yields a number and the share form yields a percentage. A clause whose target
is a business duration measures business time, so its tiers, bonus and linear
step are business durations too (language.md, Calendars).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from . import ast
from .findings import Findings, option_error
from .formatter import format_quantity


class ValueKind(enum.Enum):
    """The kind of a quantity, or of the value a clause computes per window."""

    DURATION = "duration"
    BUSINESS = "business duration"
    RATIO = "percentage"
    NUMBER = "number"

    @property
    def example(self) -> str:
        """A quantity of this kind, for hints."""
        return _EXAMPLES[self]


_EXAMPLES = {
    ValueKind.DURATION: "a duration such as 4h",
    ValueKind.BUSINESS: "a business duration such as 8 business hours",
    ValueKind.RATIO: "a percentage such as 99.9%",
    ValueKind.NUMBER: "a bare number such as 50",
}
_ARTICLES = {
    ValueKind.DURATION: "a duration",
    ValueKind.BUSINESS: "a business duration",
    ValueKind.RATIO: "a percentage",
    ValueKind.NUMBER: "a bare number",
}


def quantity_kind(quantity: ast.Quantity) -> ValueKind:
    """The kind of a quantity as written."""
    match quantity:
        case ast.Duration():
            return ValueKind.DURATION
        case ast.BusinessDuration():
            return ValueKind.BUSINESS
        case ast.Ratio():
            return ValueKind.RATIO
        case ast.Number():
            return ValueKind.NUMBER


def metric_kind_of(quantity: ast.Quantity) -> ast.MetricKind:
    """The metric kind that a target of this quantity implies (a count target implies ``number``)."""
    match quantity_kind(quantity):
        case ValueKind.DURATION | ValueKind.BUSINESS:
            return ast.MetricKind.DURATION
        case ValueKind.RATIO:
            return ast.MetricKind.RATIO
        case ValueKind.NUMBER:
            return ast.MetricKind.NUMBER


def _same_metric_kind(left: ast.MetricKind, right: ast.MetricKind) -> bool:
    """Counts and numbers are both compared with bare numbers."""
    plain = (ast.MetricKind.COUNT, ast.MetricKind.NUMBER)
    return left == right or (left in plain and right in plain)


def magnitude(quantity: ast.Quantity) -> Decimal:
    """The quantity as one number: seconds, business hours or days, a fraction, or the number."""
    match quantity:
        case ast.Duration(seconds=seconds):
            return seconds
        case ast.BusinessDuration(amount=amount):
            return amount
        case ast.Ratio(fraction=fraction):
            return fraction
        case ast.Number(value=value):
            return value


def is_count(condition: ast.Condition) -> bool:
    return isinstance(condition, ast.AggregateCondition) and condition.aggregation.name == "count"


@dataclass(frozen=True, slots=True)
class MetricUse:
    """The kind a metric has, and where that was settled (a declaration or a first use)."""

    kind: ast.MetricKind
    line: int | None
    declared: bool


def metric_kinds(policy: ast.Policy, findings: Findings) -> dict[str, ast.MetricKind]:
    """The kind of every metric declared or used; reports E311, E301 and E302.

    Returns a mapping from metric name to kind. A metric used only with
    ``count`` and never declared is a ``number``.
    """
    uses: dict[str, MetricUse] = {}
    for decl in policy.metrics:
        if decl.name in uses:
            first = uses[decl.name].line
            findings.error(
                "E311",
                f"the metric `{decl.name}` is declared twice"
                + (f" (first on line {first})" if first else ""),
                decl.span,
                "declare each metric once",
            )
            continue
        uses[decl.name] = MetricUse(decl.kind, decl.span.line if decl.span else None, True)
    only_counted: dict[str, None] = {}  # a dict keeps the order of first use
    for clause in policy.clauses:
        condition = clause.condition
        threshold = condition.threshold
        if is_count(condition):
            if quantity_kind(threshold) is not ValueKind.NUMBER:
                findings.error(
                    "E301",
                    f"`count` yields a number, so its target must be a bare number, "
                    f"not {_ARTICLES[quantity_kind(threshold)]} ({format_quantity(threshold)})",
                    threshold.span,
                    f"e.g. `{condition.metric} count <= 400`",
                )
            if condition.metric not in uses:
                only_counted.setdefault(condition.metric)
            continue
        used = metric_kind_of(threshold)
        known = uses.get(condition.metric)
        if known is None:
            uses[condition.metric] = MetricUse(used, clause.span.line if clause.span else None, False)
            only_counted.pop(condition.metric, None)
        elif not _same_metric_kind(known.kind, used):
            _report_mismatch(findings, condition, known)
    kinds = {name: use.kind for name, use in uses.items()}
    for name in only_counted:
        kinds.setdefault(name, ast.MetricKind.NUMBER)
    return kinds


def _report_mismatch(findings: Findings, condition: ast.Condition, known: MetricUse) -> None:
    threshold = condition.threshold
    expected = _metric_value_kind(known.kind)
    found = f"{_ARTICLES[quantity_kind(threshold)]} ({format_quantity(threshold)})"
    where = f" on line {known.line}" if known.line else ""
    if known.declared:
        findings.error(
            "E301",
            f"`{condition.metric}` is declared a {known.kind.value} metric{where}, "
            f"so its target must be {_ARTICLES[expected]}, not {found}",
            threshold.span,
            f"write {expected.example}, or declare the metric with another kind",
        )
    else:
        findings.error(
            "E302",
            f"`{condition.metric}` was first used as a {known.kind.value} metric{where}; "
            f"here its target is {found}",
            threshold.span,
            f"declare it (`metric {condition.metric} {known.kind.value}`) and write {expected.example}, "
            "or use another metric name",
        )


def _metric_value_kind(kind: ast.MetricKind) -> ValueKind:
    match kind:
        case ast.MetricKind.DURATION:
            return ValueKind.DURATION
        case ast.MetricKind.RATIO:
            return ValueKind.RATIO
        case ast.MetricKind.COUNT | ast.MetricKind.NUMBER:
            return ValueKind.NUMBER


def value_kind(clause: ast.Clause, kinds: dict[str, ast.MetricKind]) -> ValueKind | None:
    """The kind of the value a clause computes per window; None when its target is of the wrong kind."""
    condition = clause.condition
    threshold_kind = quantity_kind(condition.threshold)
    if is_count(condition):
        return ValueKind.NUMBER if threshold_kind is ValueKind.NUMBER else None
    metric = kinds.get(condition.metric)
    if metric is None or not _same_metric_kind(metric, metric_kind_of(condition.threshold)):
        return None
    if isinstance(condition, ast.ShareCondition):
        return ValueKind.RATIO
    return threshold_kind


def _describe_value(clause: ast.Clause, kind: ValueKind) -> str:
    condition = clause.condition
    if isinstance(condition, ast.ShareCondition):
        return "the share of values that meet the inner comparison, a percentage"
    if kind is ValueKind.BUSINESS:
        return (
            f"`{condition.aggregation.label}` of `{condition.metric}` in business time "
            f"(the target is {format_quantity(condition.threshold)})"
        )
    return f"`{condition.aggregation.label}` of `{condition.metric}`, {_ARTICLES[kind]}"


def check_option_kinds(clause: ast.Clause, kind: ValueKind, findings: Findings) -> bool:
    """Tiers, the bonus and a linear step must have the kind of the clause's value (E303, E304).

    Returns whether they all do.
    """
    before = len(findings.errors)
    if clause.kind is ast.ClauseKind.KPI:
        return True  # a kpi's tiers, bonus and credits are reported once, as E320
    for option in clause.options:
        if isinstance(option, ast.Tier | ast.Bonus):
            found = quantity_kind(option.threshold)
            if found is not kind:
                what = "tier" if isinstance(option, ast.Tier) else "bonus"
                findings.error(
                    "E303",
                    f"the {what} compares the window's value, {_describe_value(clause, kind)}, "
                    f"with {_ARTICLES[found]} ({format_quantity(option.threshold)})",
                    option.threshold.span,
                    f"write {kind.example}",
                )
        elif isinstance(option, ast.LinearCredit):
            found = quantity_kind(option.step)
            if found is not kind:
                option_error(
                    findings,
                    option,
                    "E304",
                    f"the linear credit's step {format_quantity(option.step)} is {_ARTICLES[found]}, "
                    f"but the window's value is {_describe_value(clause, kind)}",
                    f"write the step as {kind.example}",
                )
    return len(findings.errors) == before
