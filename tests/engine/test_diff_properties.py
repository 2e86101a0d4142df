"""Properties of the diff over generated policies.

A policy diffed with itself, its canonical text or its clauses reordered has no
change; one random edit (a term of a clause, a clause added or removed, a
header statement) yields exactly one change record. Generated trees need not
pass every rule of the checker, so they are wrapped as checked policies with
their ids directly: the diff must hold for any tree with unique ids.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dsl
from dsl import ast
from dsl.ids import clause_id
from engine.diff import diff
from engine.diff_clause import terms
from tests.dsl import strategies as s

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def wrap(policy: ast.Policy) -> dsl.CheckedPolicy:
    ids = tuple(clause_id(c) for c in policy.clauses)
    assume(len(set(ids)) == len(ids))
    return dsl.CheckedPolicy(policy=policy, clause_ids=ids, metric_kinds={})


@SETTINGS
@given(s.policies())
def test_a_policy_diffed_with_itself_and_its_canonical_text_has_no_change(policy: ast.Policy) -> None:
    checked = wrap(policy)
    assert diff(checked, checked).changes == ()
    reparsed = dsl.parse(dsl.format_policy(policy))
    assert diff(checked, wrap(reparsed)).changes == ()


@SETTINGS
@given(s.policies(), st.randoms(use_true_random=False))
def test_reordered_clauses_are_no_change(policy: ast.Policy, random: object) -> None:
    clauses = list(policy.clauses)
    random.shuffle(clauses)  # type: ignore[attr-defined]
    assert diff(wrap(policy), wrap(replace(policy, clauses=tuple(clauses)))).changes == ()


# --- one random edit ----------------------------------------------------------


def _set_option(clause: ast.Clause, kinds: tuple[type, ...], option: ast.Option | None) -> ast.Clause:
    kept = [o for o in clause.options if not isinstance(o, kinds)]
    if option is not None:
        kept.append(option)
    return replace(clause, options=tuple(sorted(kept, key=ast.option_rank)))


_CREDITS = (ast.FixedCredit, ast.LinearCredit, ast.PoolCredit)
_OPTION_KINDS: list[tuple[type, ...]] = [
    (ast.MinSamples,),
    _CREDITS,
    (ast.MaxCredit,),
    (ast.EarnBack,),
    (ast.Chronic,),
    (ast.Bonus,),
    (ast.UseCalendar,),
    (ast.Owner,),
]


@st.composite
def clause_edit(draw: st.DrawFn, clause: ast.Clause) -> ast.Clause:
    """The clause with one of its terms changed."""
    condition = clause.condition
    edit = draw(
        st.sampled_from(
            ["threshold", "op", "metric", "form", "window", "filter", "name", "kind", "option", "tier"]
        )
    )
    if edit == "threshold":
        return replace(clause, condition=replace(condition, threshold=draw(s.quantities)))
    if edit == "op":
        return replace(clause, condition=replace(condition, op=draw(s.ops)))
    if edit == "metric":
        return replace(clause, condition=replace(condition, metric=draw(s.names)))
    if edit == "form":
        if isinstance(condition, ast.ShareCondition):
            agg = draw(s.aggregations)
            new: ast.Condition = ast.AggregateCondition(
                condition.metric, agg, condition.op, condition.threshold
            )
        else:
            if draw(st.booleans()):
                return replace(clause, condition=replace(condition, aggregation=draw(s.aggregations)))
            new = ast.ShareCondition(draw(s.ratios), condition.metric, condition.op, condition.threshold)
        return replace(clause, condition=new)
    if edit == "window":
        return replace(clause, window=draw(s.windows()))
    if edit == "filter":
        if clause.filter and draw(st.booleans()):
            index = draw(st.integers(0, len(clause.filter) - 1))
            return replace(clause, filter=clause.filter[:index] + clause.filter[index + 1 :])
        return replace(clause, filter=(*clause.filter, draw(s.tests)))
    if edit == "name":
        return replace(clause, name=draw(st.none() | s.texts))
    if edit == "kind":
        other = ast.ClauseKind.KPI if clause.kind is ast.ClauseKind.SLA else ast.ClauseKind.SLA
        return replace(clause, kind=other)
    if edit == "tier":
        tiers = clause.tiers
        if tiers and draw(st.booleans()):
            drop = draw(st.sampled_from(tiers))
            return replace(clause, options=tuple(o for o in clause.options if o != drop))
        return _set_option(clause, (), draw(st.builds(ast.Tier, s.amounts, s.ops, s.quantities)))
    index = draw(st.integers(0, len(_OPTION_KINDS) - 1))
    option = draw(st.none() | s.single_options[index])
    return _set_option(clause, _OPTION_KINDS[index], option)


def _minutes(hours: tuple[ast.HoursRange, ...]) -> frozenset[int]:
    return frozenset(d * 1440 + m for r in hours for d in r.days for m in range(r.start_minute, r.end_minute))


@st.composite
def header_edit(draw: st.DrawFn, policy: ast.Policy) -> ast.Policy:
    """The policy with one header statement added, removed or changed."""
    edit = draw(
        st.sampled_from(["text", "fee", "cap", "annual_cap", "calendar", "hours", "holidays", "metric"])
    )
    if edit == "text":
        field, keyword = draw(
            st.sampled_from(
                [("name", "policy"), ("client", "client"), ("provider", "provider"), ("timezone", "timezone")]
            )
        )
        new = replace(
            policy, **{field: draw(st.none() | st.builds(ast.TextHeader, st.just(keyword), s.texts))}
        )
        assume(new.zone == policy.zone if field != "timezone" else new.zone != policy.zone)
        return new
    if edit == "fee":
        periods = st.sampled_from([ast.Period.MONTH, ast.Period.QUARTER, ast.Period.YEAR])
        return replace(policy, fee=draw(st.none() | st.builds(ast.Fee, s.money, periods)))
    if edit == "cap":
        return replace(policy, cap=draw(st.none() | st.builds(ast.Cap, s.amounts)))
    if edit == "annual_cap":
        return replace(policy, annual_cap=draw(st.none() | st.builds(ast.AnnualCap, s.ratios)))
    if edit == "calendar":
        if policy.calendars and draw(st.booleans()):
            drop = draw(st.sampled_from(policy.calendars))
            return replace(policy, calendars=tuple(c for c in policy.calendars if c is not drop))
        calendar = draw(s.calendars)
        assume(policy.calendar(calendar.name) is None)
        return replace(policy, calendars=(*policy.calendars, calendar))
    if edit in ("hours", "holidays"):
        assume(policy.calendars)
        index = draw(st.integers(0, len(policy.calendars) - 1))
        old = policy.calendars[index]
        if edit == "hours":
            changed = replace(old, hours=draw(s.hours()))
            assume(_minutes(changed.hours) != _minutes(old.hours))
        else:
            days = draw(st.lists(st.dates(), max_size=4, unique=True))
            changed = replace(old, holidays=tuple(sorted(days)))
            assume(frozenset(changed.holidays) != frozenset(old.holidays))
        calendars = list(policy.calendars)
        calendars[index] = changed
        return replace(policy, calendars=tuple(calendars))
    assume(len({m.name for m in policy.metrics}) == len(policy.metrics))
    if policy.metrics and draw(st.booleans()):
        index = draw(st.integers(0, len(policy.metrics) - 1))
        changed_metric = draw(
            st.none()
            | st.builds(
                ast.MetricDecl,
                st.just(policy.metrics[index].name),
                st.sampled_from(list(ast.MetricKind)),
                st.none() | s.texts,
            )
        )
        metrics = list(policy.metrics)
        if changed_metric is None:
            del metrics[index]
        else:
            metrics[index] = changed_metric
        return replace(policy, metrics=tuple(metrics))
    metric = draw(
        st.builds(ast.MetricDecl, s.names, st.sampled_from(list(ast.MetricKind)), st.none() | s.texts)
    )
    assume(all(m.name != metric.name for m in policy.metrics))
    return replace(policy, metrics=(*policy.metrics, metric))


@st.composite
def one_edit(draw: st.DrawFn) -> tuple[ast.Policy, ast.Policy]:
    policy = draw(s.policies())
    where = draw(st.sampled_from(["clause", "add", "remove", "header"]))
    if where == "header":
        return policy, draw(header_edit(policy))
    if where == "add":
        index = draw(st.integers(0, len(policy.clauses)))
        clauses = list(policy.clauses)
        clauses.insert(index, draw(s.clauses))
        return policy, replace(policy, clauses=tuple(clauses))
    assume(policy.clauses)
    index = draw(st.integers(0, len(policy.clauses) - 1))
    clauses = list(policy.clauses)
    if where == "remove":
        del clauses[index]
    else:
        edited = draw(clause_edit(clauses[index]))
        assume(terms(edited) != terms(clauses[index]))
        clauses[index] = edited
    return policy, replace(policy, clauses=tuple(clauses))


@SETTINGS
@given(one_edit())
def test_one_edit_yields_exactly_one_change(edit: tuple[ast.Policy, ast.Policy]) -> None:
    old, new = edit
    assume(old != new)
    result = diff(wrap(old), wrap(new))
    assert len(result.changes) == 1, result.changes
    (change,) = result.changes
    assert change.favours in ("client", "provider", "unclear")
    assert change.summary.endswith(".")
