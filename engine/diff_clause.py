"""Diff rules for one clause: what it measures (condition, window, filter) and its consequences.

:func:`clause_changes` compares two matched versions of a clause term by term
and returns one :class:`Change` per changed term, in the order the terms are
written. Terms are compared by meaning, not text: filter tests and tiers in
another order, ``median`` for ``p50``, ``monthly from day 1`` for ``monthly``
are no change.
"""

from __future__ import annotations

from collections.abc import Callable

from dsl import ast
from dsl.formatter import (
    format_clause,
    format_condition,
    format_option,
    format_quantity,
    format_test,
    format_window,
)

from . import diff_credit
from .diff_change import Change, Verdict, record
from .diff_credit import Side
from .diff_favour import CLIENT, PROVIDER, UNCLEAR, favour, magnitude, order, widening

CONSEQUENCE_FIELDS = ("credit", "tiers", "max", "earn_back", "chronic", "bonus")
NO_EFFECT = "no credit, target or obligation changes, so it favours neither party"


def _aggregation_key(aggregation: ast.Aggregation) -> tuple[str, object]:
    """``median`` is ``p50``."""
    if aggregation.name == "median":
        return ("percentile", 50)
    return (aggregation.name, aggregation.percentile)


def _test_key(test: ast.DimensionTest) -> tuple[str, ast.FilterOp, frozenset[str]]:
    return (test.dimension, test.op, frozenset(test.values))


def _options(clause: ast.Clause, kind: type[ast.Option]) -> frozenset[ast.Option]:
    return frozenset(o for o in clause.options if isinstance(o, kind))


def terms(clause: ast.Clause) -> dict[str, object]:
    """The clause's terms by field name, in forms whose equality is equality of meaning."""
    condition = clause.condition
    window = clause.window
    return {
        "kind": clause.kind,
        "name": clause.name,
        "condition": type(condition).__name__,
        "metric": condition.metric,
        "aggregation": (
            _aggregation_key(condition.aggregation) if isinstance(condition, ast.AggregateCondition) else None
        ),
        "share": condition.share if isinstance(condition, ast.ShareCondition) else None,
        "target": (condition.op, condition.threshold),
        "window": (window.period, window.anchor_day or 1, window.anchor_month or 1),
        "filter": frozenset(_test_key(t) for t in clause.filter),
        "min_samples": clause.option(ast.MinSamples),
        "credit": clause.credit,
        "tiers": _options(clause, ast.Tier),
        "max": clause.option(ast.MaxCredit),
        "earn_back": clause.option(ast.EarnBack),
        "chronic": clause.option(ast.Chronic),
        "bonus": _options(clause, ast.Bonus),
        "calendar": clause.option(ast.UseCalendar),
        "owner": clause.option(ast.Owner),
    }


def _consequences(clause: ast.Clause) -> list[str]:
    return [format_option(o) for o in clause.options if isinstance(o, ast.CONSEQUENCES)]


def _target_text(condition: ast.Condition) -> str:
    return f"{condition.op.value} {format_quantity(condition.threshold)}"


def _filter_text(clause: ast.Clause) -> str | None:
    return " and ".join(format_test(t) for t in clause.filter) or None


OptionKind = type[ast.Option] | tuple[type[ast.Option], ...]


def _option_text(clause: ast.Clause, kind: OptionKind) -> str | None:
    return ", ".join(format_option(o) for o in clause.options if isinstance(o, kind)) or None


def clause_changes(old: Side, new: Side) -> list[Change]:
    """One change per term that differs in meaning between two versions of a clause."""
    a, b = terms(old.clause), terms(new.clause)
    changes: list[Change] = []

    def add(field: str, old_text: str | None, new_text: str | None, verdict: Verdict) -> None:
        changes.append(record(old.id, field, old_text, new_text, verdict, old.subject, new.policy))

    if a["kind"] != b["kind"]:
        add("kind", old.clause.kind.value, new.clause.kind.value, _kind(old.clause, new.clause))
    if a["name"] != b["name"]:
        add("name", old.clause.name, new.clause.name, _rename(old, new))
    oc, nc = old.clause.condition, new.clause.condition
    if a["condition"] != b["condition"]:
        add("condition", format_condition(oc), format_condition(nc), _condition())
    else:
        if a["metric"] != b["metric"]:
            add("metric", oc.metric, nc.metric, _metric(oc.metric, nc.metric))
        match oc, nc:
            case ast.AggregateCondition(), ast.AggregateCondition() if a["aggregation"] != b["aggregation"]:
                add("aggregation", oc.aggregation.label, nc.aggregation.label, _aggregation(oc, nc))
            case ast.ShareCondition(), ast.ShareCondition() if a["share"] != b["share"]:
                add("share", format_quantity(oc.share), format_quantity(nc.share), _share(oc.share, nc.share))
        if a["target"] != b["target"]:
            add("target", _target_text(oc), _target_text(nc), _target(oc, nc))
    if a["window"] != b["window"]:
        add("window", format_window(old.clause.window), format_window(new.clause.window), _window(old, new))
    if a["filter"] != b["filter"]:
        add("filter", _filter_text(old.clause), _filter_text(new.clause), _filter(old.clause, new.clause))
    if a["min_samples"] != b["min_samples"]:
        verdict = diff_credit.min_samples(
            old.clause.option(ast.MinSamples), new.clause.option(ast.MinSamples)
        )
        add("min_samples", *_texts(old, new, ast.MinSamples), verdict)
    if a["kind"] == b["kind"]:
        for field, kind, rule in _CONSEQUENCE_RULES:
            if a[field] != b[field]:
                add(field, *_texts(old, new, kind), rule(old, new))
    if a["calendar"] != b["calendar"]:
        verdict = Verdict(
            UNCLEAR,
            "business time is now counted in another calendar",
            "whether measured times grow or shrink depends on when the work is done",
        )
        add("calendar", *_texts(old, new, ast.UseCalendar), verdict)
    if a["owner"] != b["owner"]:
        add(
            "owner",
            *_texts(old, new, ast.Owner),
            Verdict(UNCLEAR, "the accountable owner changes", NO_EFFECT),
        )
    return changes


def _texts(old: Side, new: Side, kind: OptionKind) -> tuple[str | None, str | None]:
    return _option_text(old.clause, kind), _option_text(new.clause, kind)


_CONSEQUENCE_RULES: tuple[tuple[str, OptionKind, Callable[[Side, Side], Verdict]], ...] = (
    ("credit", (ast.FixedCredit, ast.LinearCredit, ast.PoolCredit), diff_credit.credit),
    ("tiers", ast.Tier, diff_credit.tiers),
    ("max", ast.MaxCredit, diff_credit.max_credit),
    (
        "earn_back",
        ast.EarnBack,
        lambda o, n: diff_credit.earn_back(o.clause.option(ast.EarnBack), n.clause.option(ast.EarnBack)),
    ),
    (
        "chronic",
        ast.Chronic,
        lambda o, n: diff_credit.chronic(o.clause.option(ast.Chronic), n.clause.option(ast.Chronic)),
    ),
    ("bonus", ast.Bonus, diff_credit.bonus),
)


def _kind(old: ast.Clause, new: ast.Clause) -> Verdict:
    if new.kind is ast.ClauseKind.KPI:
        lost = _consequences(old)
        if not lost:
            return Verdict(
                UNCLEAR, "turned from an sla into a kpi", "it carried no consequence, so none is lost"
            )
        return Verdict(PROVIDER, f"turned from an sla into a kpi, so `{', '.join(lost)}` no longer applies")
    gained = _consequences(new)
    if not gained:
        return Verdict(UNCLEAR, "turned from a kpi into an sla", "it still carries no consequence")
    return Verdict(CLIENT, f"turned from a kpi into an sla with `{', '.join(gained)}`")


def _rename(old: Side, new: Side) -> Verdict:
    before = f'"{old.clause.name}"' if old.clause.name is not None else f"unnamed ({old.id})"
    after = f'"{new.clause.name}"' if new.clause.name is not None else f"unnamed ({new.id})"
    return Verdict(
        UNCLEAR,
        f"renamed from {before} to {after}",
        "a new name changes no term, so it favours neither party",
    )


def _condition() -> Verdict:
    why = (
        "a percentile (or mean) and a share of values measure different things, "
        "so which is harder to meet depends on the data"
    )
    return Verdict(UNCLEAR, "the condition changes form", why)


def _metric(old: str, new: str) -> Verdict:
    why = "a different measurement, so whether the target is easier to meet depends on the data"
    return Verdict(UNCLEAR, f"now measures {new} instead of {old}", why)


_RANKS = {"min": 0, "max": 100}


def _aggregation(old: ast.AggregateCondition, new: ast.AggregateCondition) -> Verdict:
    """Order statistics rank: min <= any percentile <= max. A higher one is harder under an upper bound."""

    def rank(aggregation: ast.Aggregation) -> int | None:
        if aggregation.percentile is not None:
            return int(aggregation.percentile * 1000)
        if aggregation.name == "median":
            return 50_000
        return None if aggregation.name not in _RANKS else _RANKS[aggregation.name] * 1000

    text = f"aggregation changed from {old.aggregation.label} to {new.aggregation.label}"
    a, b = rank(old.aggregation), rank(new.aggregation)
    if a is None or b is None:
        why = (
            "the two aggregations are not ordered (a mean may lie above or below a percentile), "
            "so it depends on the data"
        )
        return Verdict(UNCLEAR, text, why)
    upper = old.op.is_upper
    sign = (b > a) - (b < a)
    return Verdict(favour(sign, CLIENT if upper else PROVIDER), text)


def _share(old: ast.Ratio, new: ast.Ratio) -> Verdict:
    sign = order(old.fraction, new.fraction)
    word = "raised" if sign and sign > 0 else "lowered"
    text = f"required share {word} from {format_quantity(old)} to {format_quantity(new)}"
    return Verdict(favour(sign, CLIENT), text)


def _target(old: ast.Condition, new: ast.Condition) -> Verdict:
    """A target that lets more values pass is looser, in the provider's favour."""
    sign = widening(old.op, old.threshold, new.op, new.threshold)
    word = {1: "loosened", -1: "tightened"}.get(sign or 0, "changed")
    prefix = old.aggregation.label + " " if isinstance(old, ast.AggregateCondition) else ""
    text = f"{prefix}target {word} from {_target_text(old)} to {_target_text(new)}"
    if sign is None:
        if magnitude(old.threshold)[0] != magnitude(new.threshold)[0]:
            why = (
                "business time counts only the hours inside the calendar, so whether the new target "
                "is easier depends on when the work happens"
            )
        else:
            why = "the target now bounds the other side: a different test rather than a looser or tighter one"
        return Verdict(UNCLEAR, text, why)
    return Verdict(favour(sign, PROVIDER), text)


def _window(old: Side, new: Side) -> Verdict:
    a, b = old.clause.window, new.clause.window
    if a.period != b.period:
        text = f"measured {b.period.adverb} instead of {a.period.adverb}"
        why = (
            "longer windows let good periods offset bad ones but each breach covers more time, "
            "so whether breaches become likelier depends on how misses are spread"
        )
        return Verdict(UNCLEAR, text, why)
    text = f"windows now run {format_window(b)} instead of {format_window(a)}"
    return Verdict(
        UNCLEAR, text, "the same measurements fall into other windows, which can move a breach either way"
    )


def _filter(old_clause: ast.Clause, new_clause: ast.Clause) -> Verdict:
    """A filter is a conjunction: more tests narrow it. Either way the effect depends on the data."""
    old = {_test_key(t) for t in old_clause.filter}
    new = {_test_key(t) for t in new_clause.filter}
    if new > old:
        text, scope = "the filter is narrowed", "fewer"
    elif new < old:
        text, scope = "the filter is widened", "more"
    else:
        text, scope = "the filter changes", "other"
    why = f"{scope} measurements count, and whether that hides or reveals breaches depends on the data"
    return Verdict(UNCLEAR, text, why)


def added_or_removed(side: Side, added: bool) -> Change:
    """A clause present in only one version.

    Added, a clause with credits or a chronic-failure right favours the client,
    one whose only consequence is a bonus favours the provider; removed, the reverse.
    """
    clause = side.clause
    text = "clause " + ("added: " if added else "removed: ") + f"`{format_clause(clause)}`"
    bonus = clause.option(ast.Bonus) is not None
    obligation = clause.credit is not None or clause.option(ast.Chronic) is not None
    if obligation and bonus:
        verdict = Verdict(UNCLEAR, text, "it carries both credits and a bonus, so it depends on the data")
    elif obligation or bonus:
        verdict = Verdict(favour(1 if added else -1, CLIENT if obligation else PROVIDER), text)
    else:
        verdict = Verdict(UNCLEAR, text, "it carries no credit or other consequence")
    old, new = (None, format_clause(side.clause)) if added else (format_clause(side.clause), None)
    return record(side.id, "clause", old, new, verdict, side.subject, side.policy)
