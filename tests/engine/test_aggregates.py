"""Aggregations, statuses and the order of tests in a window (language.md, Semantics)."""

from __future__ import annotations

from typing import Any

from tests.engine.helpers import evaluate, windows

DAY = "2026-01-05T10:00:00Z"


def _one(policy: str, values: list[float], **extra: Any) -> dict[str, Any]:
    rows = [{"metric": "x", "time": DAY, "value": v, **extra} for v in values]
    (window,) = windows(evaluate(policy, rows))
    return window


def test_percentile_is_nearest_rank_with_an_integer_rank() -> None:
    """p95 of 1..412 is rank (95*412+99)//100 = 392, the value 392."""
    window = _one("sla x p95 <= 400 monthly", list(range(1, 413)))
    assert window["value"] == 392.0
    assert "rank 392 of 412" in window["explanation"]


def test_percentile_rank_is_not_computed_in_floating_point() -> None:
    """p7 of 1..100: 7/100*100 in floats is 7.000000000000001, whose ceiling 8 is wrong; the
    integer rank (7*100+99)//100 = 7 gives the value 7."""
    assert _one("sla x p7 <= 400 monthly", list(range(1, 101)))["value"] == 7.0


def test_decimal_percentile_uses_an_exact_rank() -> None:
    """p99.9 of 1..1000 is rank (999*1000+999)//1000 = 999; of 1..1001 it is ceil(999.999) = 1000."""
    assert _one("sla x p99.9 <= 5000 monthly", list(range(1, 1001)))["value"] == 999.0
    assert _one("sla x p99.9 <= 5000 monthly", list(range(1, 1002)))["value"] == 1000.0


def test_median_is_p50_an_observed_value() -> None:
    """median of 1, 2, 3, 4 is rank (50*4+99)//100 = 2, the value 2 (not the midpoint 2.5)."""
    assert _one("sla x median <= 5 monthly", [4, 1, 3, 2])["value"] == 2.0


def test_mean_min_max_sum_count() -> None:
    values = [3, 1, 2, 6]
    assert _one("sla x mean <= 5 monthly", values)["value"] == 3.0
    assert _one("sla x min <= 5 monthly", values)["value"] == 1.0
    assert _one("sla x max <= 5 monthly", values)["value"] == 6.0
    assert _one("sla x sum <= 5 monthly", values)["value"] == 12.0
    assert _one("sla x count <= 5 monthly", values)["value"] == 4.0


def test_share_form_reports_the_fraction_and_both_comparisons() -> None:
    """3 of 4 values are <= 8h: 0.75 against >= 80%: breached."""
    rows = [{"metric": "t", "time": DAY, "value": v} for v in (3600, 7200, 28800, 30000)]
    report = evaluate("sla 80% of t <= 8h monthly", rows)
    clause = report["clauses"][0]
    assert clause["aggregation"] == "share"
    assert clause["target"] == {"op": ">=", "value": 0.8}
    assert clause["threshold"] == {"op": "<=", "value": 28800}
    (window,) = clause["windows"]
    assert (window["value"], window["status"]) == (0.75, "breached")


def test_count_and_sum_of_nothing_are_zero_and_compared() -> None:
    """A window with no values: count 0 >= 1 is breached; sum 0 <= 5 is met; mean is no_data."""
    rows = [
        {"metric": "x", "time": "2026-01-01T10:00:00Z", "value": 1},
        {"metric": "x", "time": "2026-01-03T10:00:00Z", "value": 1},
    ]
    empty_day = 1
    count = windows(evaluate("sla x count >= 1 daily", rows))[empty_day]
    assert (count["samples"], count["value"], count["status"]) == (0, 0.0, "breached")
    total = windows(evaluate("sla x sum <= 5 daily", rows))[empty_day]
    assert (total["value"], total["status"]) == (0.0, "met")
    mean = windows(evaluate("sla x mean <= 5 daily", rows))[empty_day]
    assert (mean["value"], mean["status"]) == (None, "no_data")


def test_empty_window_with_min_samples_is_insufficient_even_for_count() -> None:
    rows = [
        {"metric": "x", "time": "2026-01-01T10:00:00Z", "value": 1},
        {"metric": "x", "time": "2026-01-03T10:00:00Z", "value": 1},
    ]
    window = windows(evaluate("sla x count >= 1 daily, min 1 sample", rows))[1]
    assert (window["value"], window["status"]) == (0.0, "insufficient")


def test_too_few_samples_is_insufficient_and_the_value_is_still_reported() -> None:
    """2 values under `min 3 samples`: insufficient, no credit, max 9 still shown."""
    window = _one("fee 1000 EUR monthly\nsla x max <= 5 monthly, min 3 samples, credit 5%", [9, 1])
    assert (window["value"], window["status"], window["credit"]) == (9.0, "insufficient", 0.0)


def test_values_within_a_relative_1e9_of_the_target_count_as_equal() -> None:
    """0.99899999999 differs from 0.999 by about 1e-11 relative: it meets >= 99.9%, and fails > 99.9%."""
    assert _one("sla x mean >= 99.9% monthly", [0.99899999999])["status"] == "met"
    assert _one("sla x mean > 99.9% monthly", [0.99899999999])["status"] == "breached"
    assert _one("sla x mean >= 99.9% monthly", [0.9989999])["status"] == "breached"


def test_statuses_met_and_breached() -> None:
    assert _one("sla x max < 5 monthly", [4])["status"] == "met"
    assert _one("sla x max < 5 monthly", [5])["status"] == "breached"
    assert _one("sla x max <= 5 monthly", [5])["status"] == "met"
