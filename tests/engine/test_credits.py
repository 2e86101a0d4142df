"""Credits of breached windows: base, tiers, linear, pool, money, max, bonus (language.md, Options)."""

from __future__ import annotations

from typing import Any

from tests.engine.helpers import evaluate, windows

DAY = "2026-01-05T10:00:00Z"


def _window(policy: str, value: float, metric: str = "x") -> dict[str, Any]:
    (window,) = windows(evaluate(policy, [{"metric": metric, "time": DAY, "value": value}]))
    return window


def test_base_credit_is_a_share_of_one_fee_period() -> None:
    """5% of 1000 EUR = 50.00 EUR; credit_percent 5."""
    window = _window("fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 5%", 9)
    assert (window["status"], window["credit_percent"], window["credit"]) == ("breached", 5, 50.0)
    assert "50.00 EUR" in window["explanation"]


def test_money_is_rounded_half_up_per_window() -> None:
    """5% of 0.30 EUR is 0.015, rounded half up to 0.02 (binary floats would give 0.01)."""
    assert _window("fee 0.30 EUR monthly\nsla x max <= 5 monthly, credit 5%", 9)["credit"] == 0.02


def test_met_window_earns_no_credit() -> None:
    window = _window("fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 5%", 1)
    assert (window["credit_percent"], window["credit"]) == (0, 0.0)


def test_the_largest_tier_that_holds_replaces_the_base() -> None:
    """credit 5%, 10% if > 8, 20% if > 10: 9 -> 10%; 11 -> both hold, the larger 20%; 6 -> base 5%."""
    policy = "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 5%, 10% if > 8, 20% if > 10"
    assert _window(policy, 9)["credit_percent"] == 10
    assert _window(policy, 11)["credit_percent"] == 20
    assert _window(policy, 6)["credit_percent"] == 5


def test_a_tier_replaces_the_base_also_when_smaller() -> None:
    """credit 10%, 2% if > 100: a miss of 150 credits 2% (the checker warns about such a tier)."""
    policy = "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 10%, 2% if > 100"
    assert (_window(policy, 150)["credit_percent"], _window(policy, 150)["credit"]) == (2, 20.0)


def test_linear_credit_counts_started_steps_at_least_one() -> None:
    """max <= 50, 1% per 10 over: 52 -> 1 step; 71 -> ceil(2.1) = 3 steps; 70 -> exactly 2 steps."""
    policy = "fee 1000 EUR monthly\nsla x max <= 50 monthly, credit 1% per 10 over"
    assert _window(policy, 52)["credit_percent"] == 1
    assert _window(policy, 71)["credit_percent"] == 3
    assert _window(policy, 70)["credit"] == 20.0


def test_a_breach_at_the_target_itself_counts_one_linear_step() -> None:
    """max < 50 with 50: distance 0, still breached, so one step: 1%."""
    assert _window("sla x max < 50 monthly, credit 1% per 10 over", 50)["credit_percent"] == 1


def test_linear_step_count_within_1e9_of_a_whole_number_is_that_number() -> None:
    """98% against >= 99% with steps of 1%: (0.99 - 0.98) / 0.01 = 1.0000000000000009 in floats: 1 step."""
    window = _window("sla a mean >= 99% monthly, credit 2% per 1% under", 0.98, metric="a")
    assert window["credit_percent"] == 2


def test_max_applies_after_tiers_and_linear_credit() -> None:
    """150 is 10 steps of 10 over 50 = 10%, limited by max 5%; max 20 EUR limits 5% of 1000 = 50."""
    linear = "fee 1000 EUR monthly\nsla x max <= 50 monthly, credit 1% per 10 over, max 5%"
    assert _window(linear, 150)["credit_percent"] == 5
    tiered = "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 1%, 5% if > 8, max 20 EUR"
    window = _window(tiered, 9)
    assert (window["credit_percent"], window["credit"]) == (2, 20.0)


def test_pool_credit_is_a_share_of_the_amount_at_risk() -> None:
    """40% of a 12% pool is 4.8% of 1000 EUR = 48.00 EUR."""
    window = _window("fee 1000 EUR monthly\ncap 12%\nsla x max <= 5 monthly, credit 40% of pool", 9)
    assert (window["credit_percent"], window["credit"]) == (4.8, 48.0)


def test_money_credit_percent_is_amount_over_fee() -> None:
    """credit 30 EUR under a 1000 EUR fee is 3%."""
    window = _window("fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 30 EUR", 9)
    assert (window["credit_percent"], window["credit"]) == (3, 30.0)


def test_without_a_fee_credits_are_percentages_only() -> None:
    report = evaluate("sla x max <= 5 monthly, credit 5%", [{"metric": "x", "time": DAY, "value": 9}])
    (window,) = windows(report)
    assert (window["credit_percent"], window["credit"], window["bonus"]) == (5, None, None)
    assert report["clauses"][0]["credit"] is None
    assert (report["periods"], report["total_credit"], report["total_bonus"], report["currency"]) == (
        [],
        None,
        None,
        None,
    )


def test_bonus_is_paid_on_met_windows_only_and_never_capped() -> None:
    """sum >= 100, bonus 2% if >= 130: 140 pays 2% of 1000 = 20.00 although the cap is 1%;
    120 pays nothing; an insufficient window of 140 pays nothing."""
    policy = "fee 1000 EUR monthly\ncap 1%\nsla o sum >= 100 monthly, credit 5%, bonus 2% if >= 130"
    paid = evaluate(policy, [{"metric": "o", "time": DAY, "value": 140}])
    (window,) = windows(paid)
    assert (window["bonus_percent"], window["bonus"]) == (2, 20.0)
    assert (paid["total_bonus"], paid["periods"][0]["bonus"]) == (20.0, 20.0)
    assert _window(policy, 120, metric="o")["bonus"] == 0.0
    few = "fee 1000 EUR monthly\nsla o sum >= 100 monthly, min 2 samples, credit 5%, bonus 2% if >= 130"
    insufficient = _window(few, 140, "o")
    assert (insufficient["status"], insufficient["bonus_percent"], insufficient["bonus"]) == (
        "insufficient",
        0,
        0.0,
    )


def test_kpi_windows_have_statuses_and_breaches_but_no_consequence() -> None:
    report = evaluate(
        "fee 1000 EUR monthly\nkpi x max <= 5 monthly", [{"metric": "x", "time": DAY, "value": 9}]
    )
    clause = report["clauses"][0]
    assert (clause["kind"], clause["breaches"], clause["credit"]) == ("kpi", 1, 0.0)
    (window,) = clause["windows"]
    assert (window["status"], window["credit_percent"], window["credit"]) == ("breached", 0, 0.0)
