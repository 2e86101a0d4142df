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
_OPTION_FIELDS = ["min_samples", "credit", "max", "earn_back", "chronic", "bonus", "calendar", "owner"]
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
def clause_edit(draw: st.DrawFn, clause: ast.Clause) -> tuple[ast.Clause, str]:
    """The clause with one of its terms changed, and the field the diff must report."""
    condition = clause.condition
    edit = draw(
        st.sampled_from(
            ["threshold", "op", "metric", "form", "window", "filter", "name", "kind", "option", "tier"]
        )
    )
    if edit == "threshold":
        return replace(clause, condition=replace(condition, threshold=draw(s.quantities))), "target"
    if edit == "op":
        return replace(clause, condition=replace(condition, op=draw(s.ops))), "target"
    if edit == "metric":
        return replace(clause, condition=replace(condition, metric=draw(s.names))), "metric"
    if edit == "form":
        if isinstance(condition, ast.ShareCondition):
            agg = draw(s.aggregations)
            new: ast.Condition = ast.AggregateCondition(
                condition.metric, agg, condition.op, condition.threshold
            )
        else:
            if draw(st.booleans()):
                return replace(
                    clause, condition=replace(condition, aggregation=draw(s.aggregations))
                ), "aggregation"
            new = ast.ShareCondition(draw(s.ratios), condition.metric, condition.op, condition.threshold)
        return replace(clause, condition=new), "condition"
    if edit == "window":
        return replace(clause, window=draw(s.windows())), "window"
    if edit == "filter":
        if clause.filter and draw(st.booleans()):
            index = draw(st.integers(0, len(clause.filter) - 1))
            return replace(clause, filter=clause.filter[:index] + clause.filter[index + 1 :]), "filter"
        return replace(clause, filter=(*clause.filter, draw(s.tests))), "filter"
    if edit == "name":
        return replace(clause, name=draw(st.none() | s.texts)), "name"
    if edit == "kind":
        other = ast.ClauseKind.KPI if clause.kind is ast.ClauseKind.SLA else ast.ClauseKind.SLA
        return replace(clause, kind=other), "kind"
    if edit == "tier":
        tiers = clause.tiers
        if tiers and draw(st.booleans()):
            drop = draw(st.sampled_from(tiers))
            return replace(clause, options=tuple(o for o in clause.options if o != drop)), "tiers"
        return _set_option(clause, (), draw(st.builds(ast.Tier, s.amounts, s.ops, s.quantities))), "tiers"
    index = draw(st.integers(0, len(_OPTION_KINDS) - 1))
    option = draw(st.none() | s.single_options[index])
    return _set_option(clause, _OPTION_KINDS[index], option), _OPTION_FIELDS[index]


def _minutes(hours: tuple[ast.HoursRange, ...]) -> frozenset[int]:
    return frozenset(d * 1440 + m for r in hours for d in r.days for m in range(r.start_minute, r.end_minute))


@st.composite
def header_edit(draw: st.DrawFn, policy: ast.Policy) -> tuple[ast.Policy, str]:
    """The policy with one header statement added, removed or changed, and the field to report."""
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
        return new, keyword
    if edit == "fee":
        periods = st.sampled_from([ast.Period.MONTH, ast.Period.QUARTER, ast.Period.YEAR])
        return replace(policy, fee=draw(st.none() | st.builds(ast.Fee, s.money, periods))), "fee"
    if edit == "cap":
        return replace(policy, cap=draw(st.none() | st.builds(ast.Cap, s.amounts))), "cap"
    if edit == "annual_cap":
        return replace(policy, annual_cap=draw(st.none() | st.builds(ast.AnnualCap, s.ratios))), "annual_cap"
    if edit == "calendar":
        if policy.calendars and draw(st.booleans()):
            drop = draw(st.sampled_from(policy.calendars))
            return replace(policy, calendars=tuple(c for c in policy.calendars if c is not drop)), "calendar"
        calendar = draw(s.calendars)
        assume(policy.calendar(calendar.name) is None)
        return replace(policy, calendars=(*policy.calendars, calendar)), "calendar"
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
        return replace(policy, calendars=tuple(calendars)), "calendar" if edit == "hours" else "holidays"
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
        return replace(policy, metrics=tuple(metrics)), "metric"
    metric = draw(
        st.builds(ast.MetricDecl, s.names, st.sampled_from(list(ast.MetricKind)), st.none() | s.texts)
    )
    assume(all(m.name != metric.name for m in policy.metrics))
    return replace(policy, metrics=(*policy.metrics, metric)), "metric"


@st.composite
def one_edit(draw: st.DrawFn) -> tuple[ast.Policy, ast.Policy, str]:
    policy = draw(s.policies())
    where = draw(st.sampled_from(["clause", "add", "remove", "header"]))
    if where == "header":
        edited, field = draw(header_edit(policy))
        return policy, edited, field
    if where == "add":
        index = draw(st.integers(0, len(policy.clauses)))
        clauses = list(policy.clauses)
        clauses.insert(index, draw(s.clauses))
        return policy, replace(policy, clauses=tuple(clauses)), "clause"
    assume(policy.clauses)
    index = draw(st.integers(0, len(policy.clauses) - 1))
    clauses = list(policy.clauses)
    field = "clause"
    if where == "remove":
        del clauses[index]
    else:
        edited, field = draw(clause_edit(clauses[index]))
        assume(terms(edited) != terms(clauses[index]))
        clauses[index] = edited
    return policy, replace(policy, clauses=tuple(clauses)), field


@SETTINGS
@given(one_edit())
def test_one_edit_yields_exactly_one_change(edit: tuple[ast.Policy, ast.Policy, str]) -> None:
    old, new, field = edit
    assume(old != new)
    result = diff(wrap(old), wrap(new))
    assert len(result.changes) == 1, result.changes
    (change,) = result.changes
    assert change.field == field
    assert change.favours in ("client", "provider", "unclear")
    assert change.summary.endswith(".")
