"""Smoke test of the whole pipeline on an example policy (detailed rules live in their own tests)."""

from __future__ import annotations

from tests.engine.helpers import REPORT_KEYS, evaluate, windows


def test_example_policy_evaluates_to_the_report_shape() -> None:
    """Seven P1 tickets of 1h..7h in January: p95 rank (95*7+99)//100 = 7 -> 7h, breaching < 4h;
    credit 5% of 85000 GBP = 4250.00."""
    rows = [
        {"metric": "resolution_time", "time": "2026-01-05T10:00:00Z", "value": 3600 * i, "priority": "P1"}
        for i in range(1, 8)
    ]
    with open("policies/it-service-desk.sla") as source:
        report = evaluate(source.read(), rows)
    assert list(report) == REPORT_KEYS
    p1 = next(i for i, c in enumerate(report["clauses"]) if c["id"] == "p1-resolution")
    (window,) = windows(report, p1)
    assert window["status"] == "breached"
    assert window["value"] == 25200.0
    assert window["credit"] == 4250.0
    assert report["total_credit"] == 4250.0
