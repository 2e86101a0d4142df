"""The report's JSON: fixed key order, money to the cent, deterministic bytes."""

from __future__ import annotations

import json

import engine
from tests.engine.helpers import REPORT_KEYS, compiled, frame

POLICY = """policy "Acme"
fee 120000 EUR monthly
cap 12%
timezone "Europe/London"
sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1", credit 5%, owner "Ops"
kpi "Handle": handle mean <= 6m monthly
"""
ROWS = [
    {"metric": "resolution_time", "time": "2026-01-05T10:00:00Z", "value": 3600 * h, "priority": "P1"}
    for h in (1, 5)
] + [{"metric": "handle", "time": "2026-01-05T10:00:00Z", "value": 300}]


def _report() -> engine.Report:
    return engine.evaluate(compiled(POLICY), frame(ROWS), version=3)


def test_report_keys_follow_the_interface_in_order() -> None:
    data = _report().to_dict()
    assert list(data) == REPORT_KEYS
    assert (data["policy"], data["version"], data["currency"]) == ("Acme", 3, "EUR")
    clause = data["clauses"][0]
    assert list(clause) == [
        "id",
        "kind",
        "text",
        "metric",
        "definition",
        "owner",
        "aggregation",
        "target",
        "windows",
        "breaches",
        "credit",
        "chronic",
    ]
    head = 'sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1"'
    assert clause["text"] == head + ', credit 5%, owner "Ops"'
    assert list(clause["windows"][0]) == [
        "start",
        "end",
        "samples",
        "value",
        "status",
        "credit_percent",
        "credit",
        "bonus_percent",
        "bonus",
        "earned_back",
        "final",
        "explanation",
    ]
    assert list(data["periods"][0]) == ["start", "end", "credit_before_cap", "credit", "capped", "bonus"]


def test_money_is_written_with_two_decimals_and_parses_to_the_dict() -> None:
    """p95 of 1h, 5h is 5h (rank 2 of 2): breached, 5% of 120000 = 6000.00."""
    report = _report()
    text = report.to_json()
    assert '"credit": 6000.00' in text
    assert '"total_credit": 6000.00' in text
    assert json.loads(text) == report.to_dict()


def test_explanation_states_figure_rank_target_and_arithmetic() -> None:
    window = _report().to_dict()["clauses"][0]["windows"][0]
    assert window["explanation"] == (
        "p95 of 2 values is 5h (rank 2 of 2); target < 4h: breached; credit 5%; "
        "5% of the fee 120000.00 EUR = 6000.00 EUR"
    )


def test_times_carry_the_policy_offset() -> None:
    data = _report().to_dict()
    assert data["clauses"][0]["windows"][0]["start"] == "2026-01-01T00:00:00+00:00"
    summer = engine.evaluate(
        compiled(POLICY), frame([{"metric": "handle", "time": "2026-07-05T10:00:00Z", "value": 1}])
    ).to_dict()
    assert summer["clauses"][1]["windows"][0]["start"] == "2026-07-01T00:00:00+01:00"
