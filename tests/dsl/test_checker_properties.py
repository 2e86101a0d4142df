"""Property tests: ``dsl.check`` on any tree the parser can produce.

It never fails with anything but a :class:`dsl.PolicyError`; every diagnostic
has a stable code; with the canonical text as source, every diagnostic points
into that text; and the verdict does not depend on the layout of the text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dsl
from tests.dsl.strategies import policies

CODE = re.compile(r"^(E[1-4]\d\d|W5\d\d)$")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _codes(policy: dsl.ast.Policy, source: str | None = None) -> tuple[list[str], list[str]]:
    """The error codes and warning codes of ``policy``."""
    try:
        checked = dsl.check(policy, source=source, filename="p.sla" if source else None)
    except dsl.PolicyCheckError as error:
        assert error.diagnostics, "a check error carries at least one diagnostic"
        return [d.code for d in error.diagnostics], []
    return [], [w.code for w in checked.warnings]


@SETTINGS
@given(policies())
def test_check_raises_only_policy_errors_with_stable_codes(policy: dsl.ast.Policy) -> None:
    errors, warnings = _codes(policy)
    assert all(CODE.match(code) for code in errors + warnings), errors + warnings
    assert all(code.startswith("E") for code in errors)
    assert all(code.startswith("W") for code in warnings)


@SETTINGS
@given(policies())
def test_check_of_canonical_text_points_into_the_text_and_agrees_with_the_tree(
    policy: dsl.ast.Policy,
) -> None:
    source = dsl.format_policy(policy)
    parsed = dsl.parse(source)
    lines = source.split("\n")
    try:
        checked = dsl.check(parsed, source=source, filename="p.sla")
        diagnostics = checked.warnings
    except dsl.PolicyCheckError as error:
        diagnostics = error.diagnostics
    for diagnostic in diagnostics:
        assert diagnostic.line is not None and 1 <= diagnostic.line <= len(lines), str(diagnostic)
        assert diagnostic.snippet == lines[diagnostic.line - 1]
        assert (
            diagnostic.column is not None
            and diagnostic.column + diagnostic.width - 1 <= len(diagnostic.snippet) + 1
        ), str(diagnostic)
        assert diagnostic.hint
    assert sorted(_codes(parsed, source)[0]) == sorted(_codes(policy)[0])


# --- tiers: the warnings are sound ---------------------------------------------------------

_hours = st.integers(0, 12).map(lambda h: dsl.ast.Duration(Decimal(h * 1800)))
_percent = st.integers(1, 40).map(lambda p: dsl.ast.Ratio(Decimal(p) / 100))
_tiers = st.lists(st.builds(dsl.ast.Tier, _percent, st.sampled_from(list(dsl.ast.Op)), _hours), max_size=4)


def _credit(clause: dsl.ast.Clause, value: Decimal) -> Decimal:
    """The credit of a breached window with ``value``: the largest tier that holds, else the base."""
    base = clause.credit
    assert isinstance(base, dsl.ast.FixedCredit) and isinstance(base.amount, dsl.ast.Ratio)
    holding = [
        t.amount.fraction
        for t in clause.tiers
        if isinstance(t.amount, dsl.ast.Ratio) and _holds(t.op, value, t.threshold)
    ]
    return max(holding, default=base.amount.fraction)


def _holds(op: dsl.ast.Op, value: Decimal, threshold: dsl.ast.Quantity) -> bool:
    assert isinstance(threshold, dsl.ast.Duration)
    return {
        "<": value < threshold.seconds,
        "<=": value <= threshold.seconds,
        ">": value > threshold.seconds,
        ">=": value >= threshold.seconds,
    }[op.value]


# Thresholds are multiples of 30 minutes, so this grid holds every threshold, every value
# between two of them, and values beyond them all: the credit is known everywhere from it.
_GRID = [Decimal(k * 900) for k in range(33)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(dsl.ast.Op)), _hours, _percent, _tiers)
def test_gap_warning_is_given_exactly_when_a_larger_miss_earns_less(
    op: dsl.ast.Op, target: dsl.ast.Duration, base: dsl.ast.Ratio, tiers: list[dsl.ast.Tier]
) -> None:
    """Without a tier below the base (W503), W504 is given exactly when the credit falls as the miss grows."""
    condition = dsl.ast.AggregateCondition("x", dsl.ast.Aggregation("mean"), op, target)
    options = (dsl.ast.FixedCredit(base), *tiers)
    clause = dsl.ast.Clause(
        dsl.ast.ClauseKind.SLA, None, condition, dsl.ast.Window(dsl.ast.Period.MONTH), options=options
    )
    codes = {w.code for w in dsl.check(dsl.ast.Policy(clauses=(clause,))).warnings}
    if "W503" in codes:
        return
    upper = op in (dsl.ast.Op.LT, dsl.ast.Op.LE)
    breached = [v for v in _GRID if not _holds(op, v, target)]
    ordered = sorted(breached, key=lambda v: v if upper else -v)
    credits = [_credit(clause, v) for v in ordered]
    assert ("W504" in codes) == (credits != sorted(credits)), (codes, ordered, credits)
