"""Every example policy has sample measurements whose evaluation matches the checked-in, hand-reviewed report.

A change to the engine that moves any figure, status or credit of these
reports fails here; if the change is intended, regenerate the report with
``sla eval policies/NAME.sla policies/examples/NAME.csv --format json |
python -m json.tool --indent 2`` and review the difference. The files are
indented so that a reviewer reads a change line by line; the comparison is
of the parsed JSON, and the report's bytes are pinned by the engine's
determinism tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dsl
import engine
from engine.readers import read_measurements

ROOT = Path(__file__).resolve().parents[2]
POLICIES = sorted((ROOT / "policies").glob("*.sla"))


def sample_of(policy: Path) -> Path:
    for suffix in (".csv", ".json", ".ndjson", ".parquet", ".arrow"):
        candidate = ROOT / "policies" / "examples" / f"{policy.stem}{suffix}"
        if candidate.exists():
            return candidate
    raise AssertionError(f"no sample measurements for {policy.name} in policies/examples/")


def evaluate(policy: Path) -> engine.Report:
    source = policy.read_text(encoding="utf-8")
    checked = dsl.check(dsl.parse(source, filename=str(policy)), source=source, filename=str(policy))
    return engine.evaluate(engine.compile(checked), read_measurements(sample_of(policy)))


def test_there_are_example_policies() -> None:
    assert len(POLICIES) >= 6


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.stem)
def test_example_report_matches_the_reviewed_one(policy: Path) -> None:
    expected = (ROOT / "policies" / "examples" / f"{policy.stem}.report.json").read_text(encoding="utf-8")
    assert json.loads(evaluate(policy).to_json()) == json.loads(expected)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.stem)
def test_example_exercises_breaches_and_credits(policy: Path) -> None:
    """Each sample is chosen to breach some sla clause and earn a credit, not only to pass."""
    report = evaluate(policy).to_dict()
    statuses = {w["status"] for c in report["clauses"] for w in c["windows"]}
    assert {"met", "breached"} <= statuses
    assert report["total_credit"] > 0


def test_cap_scales_the_it_service_desk_may_credits_with_the_remainder_to_the_largest() -> None:
    """May: 2% + 8% + 3% + 2% + 1% = 16% of 85,000 GBP = 13,600 > cap 15% = 12,750; scale 0.9375:
    1593.75 + 6375.00 + 2390.63 + 1593.75 + 796.88 = 12,750.01, so the largest (P1 resolution) gives
    up the cent: 6374.99."""
    report = evaluate(ROOT / "policies" / "it-service-desk.sla").to_dict()
    may = {c["id"]: c["windows"][4] for c in report["clauses"] if c["kind"] == "sla"}
    assert {k: w["credit"] for k, w in may.items()} == {
        "p1-response": 1593.75,
        "p1-resolution": 6374.99,
        "p2-resolution": 2390.63,
        "p3-resolution": 1593.75,
        "out-of-hours-response": 796.88,
    }
    assert report["periods"][4]["credit"] == 12750.0 and report["periods"][4]["capped"]


def test_linear_credit_counts_started_steps_and_stops_at_max() -> None:
    """Feb 37,500 orders: 2,500 under 40,000 = 3 started steps of 1,000 = 6% of 150,000 = 9,000;
    Mar 30,000: 10 steps = 20%, held to max 10% = 15,000; Jan 47,000 >= 46,000 earns the 3% bonus."""
    report = evaluate(ROOT / "policies" / "business-outcomes.sla").to_dict()
    orders = report["clauses"][0]["windows"]
    assert [w["credit"] for w in orders] == [0.0, 9000.0, 15000.0]
    assert orders[0]["bonus"] == 4500.0


def test_annual_cap_holds_twelve_months_of_cloud_credits_to_ten_percent() -> None:
    """10% of 12 x 42,000 EUR = 50,400; the months before December credit 49,100, so December keeps 1,300."""
    report = evaluate(ROOT / "policies" / "cloud-hosting.sla").to_dict()
    assert report["total_credit"] == 50400.0
    assert report["periods"][-1]["credit"] == 1300.0


def test_example_reports_are_valid_json_with_the_documented_keys() -> None:
    for path in sorted((ROOT / "policies" / "examples").glob("*.report.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        assert {"policy", "range", "clauses", "periods", "total_credit", "total_bonus"} <= report.keys()
