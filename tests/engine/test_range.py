"""The evaluated range and the measurement rows (language.md, Precise readings: Range, Rows)."""

from __future__ import annotations

import importlib

import pytest

from tests.engine.helpers import at, evaluate, windows


def test_range_start_is_inclusive_and_end_exclusive() -> None:
    """Rows at 10:00 and 11:00 with from 10:00 to 11:00: only the 10:00 row counts."""
    rows = [
        {"metric": "x", "time": "2026-01-05T09:59:59Z", "value": 100},
        {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1},
        {"metric": "x", "time": "2026-01-05T11:00:00Z", "value": 100},
    ]
    report = evaluate(
        "sla x count <= 5 daily", rows, start=at("2026-01-05T10:00:00Z"), end=at("2026-01-05T11:00:00Z")
    )
    assert report["range"] == {"from": "2026-01-05T10:00:00+00:00", "to": "2026-01-05T11:00:00+00:00"}
    (window,) = windows(report)
    assert window["samples"] == 1


def test_without_bounds_the_range_runs_over_the_used_metrics_and_every_window_is_final() -> None:
    """An unused metric's earlier row neither widens the range nor counts; the last row is included."""
    rows = [
        {"metric": "other", "time": "2025-12-01T00:00:00Z", "value": 1},
        {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1},
        {"metric": "x", "time": "2026-01-07T10:00:00Z", "value": 1},
    ]
    report = evaluate("sla x count <= 5 daily", rows)
    assert report["range"] == {"from": "2026-01-05T10:00:00+00:00", "to": "2026-01-07T10:00:00+00:00"}
    got = windows(report)
    assert [w["samples"] for w in got] == [1, 0, 1]
    assert all(w["final"] for w in got)
    assert report["unused_rows"] == 1


def test_every_window_overlapping_the_range_is_reported_also_without_data() -> None:
    report = evaluate(
        "sla x max <= 5 monthly",
        [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}],
        start=at("2026-01-01T00:00:00Z"),
        end=at("2026-04-01T00:00:00Z"),
    )
    assert [(w["start"][:10], w["status"]) for w in windows(report)] == [
        ("2026-01-01", "met"),
        ("2026-02-01", "no_data"),
        ("2026-03-01", "no_data"),
    ]


def test_a_window_the_explicit_end_cuts_is_not_final() -> None:
    """to = 15 February: January is final, February (ending 1 March) is not."""
    report = evaluate(
        "sla x max <= 5 monthly",
        [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}],
        start=at("2026-01-01T00:00:00Z"),
        end=at("2026-02-15T00:00:00Z"),
    )
    assert [w["final"] for w in windows(report)] == [True, False]
    assert "provisional" in windows(report)[1]["explanation"]


def test_a_window_ending_exactly_at_the_explicit_end_is_final() -> None:
    report = evaluate(
        "sla x max <= 5 monthly",
        [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}],
        end=at("2026-02-01T00:00:00Z"),
    )
    assert [w["final"] for w in windows(report)] == [True]


def test_no_measurements_and_no_bounds_report_no_windows() -> None:
    report = evaluate("fee 100 EUR monthly\nsla x max <= 5 monthly, credit 5%", [])
    assert report["range"] == {"from": None, "to": None}
    assert windows(report) == []
    assert report["periods"] == []
    assert report["total_credit"] == 0.0


def test_start_end_rows_take_elapsed_time_for_an_elapsed_threshold() -> None:
    """start 09:00, end 13:30: 4h30m elapsed, measured at its end (its time defaults to end)."""
    rows = [{"metric": "t", "start": "2026-01-05T09:00:00Z", "end": "2026-01-05T13:30:00Z"}]
    (window,) = windows(evaluate("sla t max <= 4h daily", rows))
    assert (window["value"], window["status"]) == (16200.0, "breached")
    assert "4h30m" in window["explanation"]


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        evaluate(
            "sla x max <= 5 daily",
            [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}],
            start=at("2026-01-06T00:00:00Z"),
            end=at("2026-01-05T00:00:00Z"),
        )


def test_a_start_after_every_measurement_gives_no_window() -> None:
    report = evaluate(
        "sla x max <= 5 daily",
        [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}],
        start=at("2026-02-01T00:00:00Z"),
    )
    assert windows(report) == []
    assert report["range"]["from"] == "2026-02-01T00:00:00+00:00"


def test_a_single_bound_beyond_every_measurement_gives_an_empty_range_shown_at_that_bound() -> None:
    """Only `to` = 1 January, one row on 5 January: nothing lies in the range, no window is
    reported, and the range is shown empty at the `to` that was given (it was once shown at the
    row's time, which no one asked about). The mirror case, only `from` after every row, is shown
    at `from`."""
    rows = [{"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1}]
    report = evaluate("sla x count <= 5 daily", rows, end=at("2026-01-01T00:00:00Z"))
    assert report["range"] == {"from": "2026-01-01T00:00:00+00:00", "to": "2026-01-01T00:00:00+00:00"}
    assert windows(report) == []
    report = evaluate("sla x count <= 5 daily", rows, start=at("2026-02-01T00:00:00Z"))
    assert report["range"] == {"from": "2026-02-01T00:00:00+00:00", "to": "2026-02-01T00:00:00+00:00"}
    assert windows(report) == []


def test_the_threaded_path_gives_the_same_report_as_the_single_threaded_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From PARALLEL_ROWS rows on, metrics and groupings are worked on side by side; forcing that
    path on a small batch must not change a byte of the report."""
    # `engine.evaluate` is the function; the module is reached through importlib.
    evaluation = importlib.import_module("engine.evaluate")
    policy = (
        "fee 1000 EUR monthly\ncap 10%\n"
        'sla "a": x p95 <= 5 daily where site = "A", credit 1%\n'
        'sla "b": x mean <= 5 monthly, credit 2%\n'
        'sla "c": 90% of y <= 3 weekly, credit 1%\n'
        "kpi y sum >= 10 monthly\n"
    )
    rows = [
        {"metric": m, "time": f"2026-01-{d:02d}T{h:02d}:00:00Z", "value": (d * h) % 9, "site": s}
        for m in ("x", "y")
        for d in range(1, 29)
        for h in (3, 11, 19)
        for s in ("A", "B")
    ]
    single = evaluate(policy, rows)
    monkeypatch.setattr(evaluation, "PARALLEL_ROWS", 0)
    assert evaluate(policy, rows) == single
