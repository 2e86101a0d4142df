"""Earn-back and chronic failure (language.md, Precise readings)."""

from __future__ import annotations

from typing import Any

from tests.engine.helpers import at, evaluate, windows


def _months(values: list[float | None]) -> list[dict[str, Any]]:
    """One row per month from January 2026 (None: no row that month)."""
    return [
        {"metric": "x", "time": f"2026-{m:02d}-05T10:00:00Z", "value": v}
        for m, v in enumerate(values, start=1)
        if v is not None
    ]


def _run(policy: str, values: list[float | None]) -> dict[str, Any]:
    return evaluate(
        policy,
        _months(values),
        start=at("2026-01-01T00:00:00Z"),
        end=at(f"2026-{len(values) + 1:02d}-01T00:00:00Z"),
    )


EARN = "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 5%, earn back after 2 met"


def test_earn_back_when_the_next_windows_are_all_met() -> None:
    """Breach in January (50.00), met in February and March: January is earned back, keeps its figures,
    and leaves the clause's, the period's and the total credit."""
    report = _run(EARN, [9, 1, 1])
    january = windows(report)[0]
    assert (january["status"], january["earned_back"], january["credit"], january["credit_percent"]) == (
        "breached",
        True,
        50.0,
        5,
    )
    assert "earned back" in january["explanation"]
    clause = report["clauses"][0]
    assert (clause["credit"], clause["breaches"]) == (0.0, 1)
    assert report["periods"][0]["credit"] == 0.0
    assert report["total_credit"] == 0.0


def test_no_earn_back_when_a_following_window_has_no_data() -> None:
    """February met, March without data: no_data is not met, so January's 50.00 stays owed."""
    report = _run(EARN, [9, 1, None])
    assert windows(report)[0]["earned_back"] is False
    assert report["total_credit"] == 50.0


def test_no_earn_back_before_the_following_windows_exist() -> None:
    """Breach in February, met in March, no April in the range: not (yet) earned back."""
    report = _run(EARN, [1, 9, 1])
    assert [w["earned_back"] for w in windows(report)] == [False, False, False]
    assert report["total_credit"] == 50.0


def test_chronic_is_reported_at_the_first_window_completing_n_of_m() -> None:
    """chronic 2 of 3 over breached, met, met, breached, breached: the runs ending at April hold 1
    breach, the run Mar-May holds 2: reported at May."""
    report = _run("sla x max <= 5 monthly, credit 1%, chronic 2 of 3", [9, 1, 1, 9, 9])
    assert report["clauses"][0]["chronic"] == {
        "window_start": "2026-05-01T00:00:00+00:00",
        "breaches": 2,
        "of": 3,
    }


def test_chronic_can_happen_before_m_windows_exist() -> None:
    report = _run("sla x max <= 5 monthly, credit 1%, chronic 2 of 6", [9, 9])
    assert report["clauses"][0]["chronic"] == {
        "window_start": "2026-02-01T00:00:00+00:00",
        "breaches": 2,
        "of": 6,
    }


def test_no_chronic_without_enough_breaches() -> None:
    assert (
        _run("sla x max <= 5 monthly, credit 1%, chronic 2 of 2", [9, 1, 9])["clauses"][0]["chronic"] is None
    )


def test_an_earned_back_breach_still_counts_for_chronic() -> None:
    """earn back after 1 met with breached, met, breached, met: both breaches earned back, and
    chronic 2 of 6 is still reached at March."""
    policy = "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 5%, earn back after 1 met, chronic 2 of 6"
    report = _run(policy, [9, 1, 9, 1])
    assert [w["earned_back"] for w in windows(report)] == [True, False, True, False]
    assert report["clauses"][0]["chronic"]["window_start"] == "2026-03-01T00:00:00+00:00"
    assert report["total_credit"] == 0.0


def test_earned_back_credit_is_taken_out_before_the_cap() -> None:
    """Cap 5% (50): January has an earned-back 50 and an owed 40; only 40 counts, so nothing is capped."""
    policy = (
        "fee 1000 EUR monthly\ncap 5%\n"
        'sla "a": x max <= 5 monthly, credit 5%, earn back after 1 met\n'
        'sla "b": y max <= 5 monthly, credit 4%\n'
    )
    rows = [*_months([9, 1]), {"metric": "y", "time": "2026-01-06T10:00:00Z", "value": 9}]
    report = evaluate(policy, rows, start=at("2026-01-01T00:00:00Z"), end=at("2026-03-01T00:00:00Z"))
    january = report["periods"][0]
    assert (january["credit_before_cap"], january["credit"], january["capped"]) == (40.0, 40.0, False)
