"""The engine agrees with the simple reference evaluator on generated policies and measurements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dsl
import engine
from tests.engine import reference
from tests.engine.helpers import frame

BASE = datetime(2026, 1, 1, tzinfo=UTC)
OPS = ("<", "<=", ">", ">=")
AGGREGATIONS = ("p50", "p90", "p95", "p99.9", "p7", "median", "mean", "min", "max", "sum", "count")


@st.composite
def clauses(draw: st.DrawFn, index: int, pool: bool) -> str:
    kpi = draw(st.booleans()) and index > 0
    metric = draw(st.sampled_from(["x", "y"]))
    op = draw(st.sampled_from(OPS))
    target = draw(st.integers(2, 18))
    share = draw(st.booleans())
    if share:
        percent = draw(st.sampled_from([50, 80, 95, 100]))
        condition = f"{percent}% of {metric} {op} {target}"
    else:
        condition = f"{metric} {draw(st.sampled_from(AGGREGATIONS))} {op} {target}"
    window = draw(st.sampled_from(["daily", "weekly", "monthly", "monthly from day 16", "quarterly"]))
    text = f'{"kpi" if kpi else "sla"} "c{index}": {condition} {window}'
    text += draw(
        st.sampled_from(
            ["", ' where p = "a"', ' where p != "a"', ' where p in ("a", "b")', ' where p not in ("b")']
        )
    )
    options = []
    if draw(st.booleans()):
        options.append(f"min {draw(st.integers(1, 4))} samples")
    if kpi:
        return text + "".join(", " + o for o in options)
    upper = op in ("<", "<=")
    kind = draw(st.sampled_from(["fixed", "linear", "pool", "none"] if pool else ["fixed", "linear", "none"]))
    if kind == "linear" and share:
        kind = "fixed"
    if kind == "fixed":
        options.append(f"credit {draw(st.integers(1, 30))}%")
        if not share and draw(st.booleans()):
            beyond = target + 3 if upper else target - 1
            options.append(f"{draw(st.integers(1, 40))}% if {'>' if upper else '<'} {beyond}")
    elif kind == "linear":
        options.append(
            f"credit {draw(st.integers(1, 5))}% per {draw(st.sampled_from(['1', '2', '0.5']))} "
            f"{'over' if upper else 'under'}"
        )
    elif kind == "pool":
        options.append(f"credit {draw(st.sampled_from([10, 40, 100]))}% of pool")
    if kind != "none" and draw(st.booleans()):
        options.append(f"max {draw(st.integers(5, 25))}%")
    if kind != "none" and draw(st.booleans()):
        options.append(f"earn back after {draw(st.integers(1, 2))} met")
    if draw(st.booleans()):
        options.append(f"chronic {draw(st.integers(1, 3))} of {draw(st.integers(3, 5))}")
    if not share and draw(st.booleans()) and (not upper or target >= 3):
        bonus = target - 2 if upper else target + 2
        options.append(f"bonus {draw(st.integers(1, 5))}% if {op} {bonus}")
    return text + "".join(", " + o for o in options)


@st.composite
def policies(draw: st.DrawFn) -> str:
    lines = []
    fee = draw(st.booleans())
    cap = fee and draw(st.booleans())
    if fee:
        lines.append(f"fee {draw(st.sampled_from(['1000', '85000', '999.99']))} EUR monthly")
        if cap:
            lines.append(f"cap {draw(st.integers(1, 20))}%")
        if draw(st.booleans()):
            lines.append(f"annual cap {draw(st.integers(5, 30))}%")
    lines.append(f'timezone "{draw(st.sampled_from(["UTC", "Europe/London", "America/New_York"]))}"')
    lines.append("metric x number\nmetric y number")
    count = draw(st.integers(1, 3))
    lines += [draw(clauses(i, cap)) for i in range(count)]
    return "\n".join(lines) + "\n"


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "metric": st.sampled_from(["x", "y", "z"]),
            "day": st.sampled_from([0, 1, 2, 8, 15, 16, 30, 31, 33, 45, 59, 60, 61, 62, 70]),
            "minutes": st.integers(0, 60 * 24 - 1),
            "value": st.one_of(st.integers(-2, 22), st.sampled_from([0.1, 0.2, 0.3, 2.5, 17.75])),
            "p": st.sampled_from(["a", "b", None]),
        }
    ),
    min_size=10,
    max_size=120,
)


def _rows(drawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "metric": r["metric"],
            "time": BASE + timedelta(days=r["day"], minutes=r["minutes"]),
            "value": r["value"],
            "dims": {"p": r["p"]},
        }
        for r in drawn
    ]


def _frame(rows: list[dict[str, Any]]) -> engine.Measurements:
    return frame(
        {"metric": r["metric"], "time": r["time"].isoformat(), "value": r["value"], **r["dims"]} for r in rows
    )


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies(), rows_strategy, st.sampled_from([None, 10, 40, 70]))
def test_engine_agrees_with_the_reference(
    text: str, drawn: list[dict[str, Any]], end_day: int | None
) -> None:
    policy = dsl.parse(text)
    rows = _rows(drawn)
    end = None if end_day is None else BASE + timedelta(days=end_day, hours=7)
    start = None if end is None else BASE
    report = engine.evaluate(engine.compile(dsl.check(policy)), _frame(rows), start=start, end=end).to_dict()
    expected, periods = reference.evaluate(policy, rows, start, end)
    for clause, want in zip(report["clauses"], expected, strict=True):
        got = clause["windows"]
        assert [w["start"] for w in got] == [_iso(w.start, policy) for w in want.windows]
        for g, w in zip(got, want.windows, strict=True):
            assert (g["samples"], g["status"], g["final"], g["earned_back"]) == (
                w.samples,
                w.status,
                w.final,
                w.earned_back,
            ), (g, w)
            assert _close(g["value"], w.value), (g, w)
            assert float(g["credit_percent"]) == float(w.credit_percent), (g, w)
            if w.credit is None:
                assert g["credit"] is None
            else:
                assert Decimal(str(g["credit"])) == w.credit, (g, w)
                assert Decimal(str(g["bonus"])) == w.bonus, (g, w)
        chronic = clause["chronic"]
        assert (chronic["window_start"] if chronic else None) == (
            _iso(want.chronic_start, policy) if want.chronic_start else None
        )
    got_periods = {p["start"]: Decimal(str(p["credit"])) for p in report["periods"]}
    for start_of, credit in periods:
        assert got_periods.get(_iso(start_of, policy), Decimal(0)) == credit
    if report["total_credit"] is not None:
        assert Decimal(str(report["total_credit"])) == sum((c for _, c in periods), Decimal(0))


def _iso(moment: datetime, policy: dsl.ast.Policy) -> str:
    return moment.astimezone(ZoneInfo(policy.zone)).isoformat()
