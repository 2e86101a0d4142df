"""Rows invalid against the policy are refused with a code, the 1-based row and the field."""

from __future__ import annotations

import pytest

from engine import MeasurementError
from tests.engine.helpers import evaluate, micros

DAY = "2026-01-05T10:00:00Z"


def _error(policy: str, rows: list[dict[str, object]]) -> MeasurementError:
    with pytest.raises(MeasurementError) as caught:
        evaluate(policy, rows)
    return caught.value


def test_a_ratio_outside_zero_to_one_is_refused_with_a_hint() -> None:
    """Row 2 sends 99.95 for 99.95%."""
    error = _error(
        "sla a mean >= 99.9% monthly",
        [{"metric": "a", "time": DAY, "value": 0.9995}, {"metric": "a", "time": DAY, "value": 99.95}],
    )
    assert (error.code, error.row, error.field) == ("E621", 2, "value")
    assert error.hint is not None and "0.9995" in error.hint


def test_an_undeclared_ratio_metric_is_checked_too() -> None:
    error = _error("sla a mean >= 99.9% monthly", [{"metric": "a", "time": DAY, "value": -0.1}])
    assert (error.code, error.row) == ("E621", 1)


def test_a_negative_duration_is_refused() -> None:
    error = _error(
        "metric t duration\nsla t p95 < 4h monthly",
        [{"metric": "other", "time": DAY, "value": -5}, {"metric": "t", "time": DAY, "value": -1}],
    )
    assert (error.code, error.row, error.field) == ("E622", 2, "value")


def test_counts_and_numbers_may_be_negative() -> None:
    report = evaluate(
        "sla o sum >= 0 monthly",
        [{"metric": "o", "time": DAY, "value": 3}, {"metric": "o", "time": DAY, "value": -1}],
    )
    assert report["clauses"][0]["windows"][0]["value"] == 2.0


def test_a_row_with_both_value_and_start_end_is_refused() -> None:
    row = {
        "metric": "t",
        "time": DAY,
        "value": 5,
        "start": micros("2026-01-05T09:00:00Z"),
        "end": micros(DAY),
    }
    error = _error("sla t p95 < 4h monthly", [row])
    assert (error.code, error.row, error.field) == ("E623", 1, "value")


def test_the_first_invalid_row_is_named() -> None:
    """Row 3 is a bad ratio, row 2 a negative duration: row 2 is reported."""
    error = _error(
        "sla a mean >= 99% monthly\nsla t max <= 1h monthly",
        [
            {"metric": "a", "time": DAY, "value": 0.5},
            {"metric": "t", "time": DAY, "value": -3},
            {"metric": "a", "time": DAY, "value": 3},
        ],
    )
    assert error.row == 2


def test_rows_of_metrics_the_policy_does_not_use_are_not_judged() -> None:
    report = evaluate(
        "sla t max <= 1h monthly",
        [{"metric": "t", "time": DAY, "value": 1}, {"metric": "z", "time": DAY, "value": -7}],
    )
    assert report["unused_rows"] == 1
