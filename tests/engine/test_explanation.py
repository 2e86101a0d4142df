"""Each window's explanation lets a reader check the verdict by hand, in the clause's own units."""

from __future__ import annotations

from tests.engine.helpers import at, evaluate, windows

DAY = "2026-01-05T10:00:00Z"


def _explain(policy: str, values: list[float], metric: str = "x") -> str:
    rows = [{"metric": metric, "time": DAY, "value": v} for v in values]
    return str(windows(evaluate(policy, rows))[0]["explanation"])


def test_percentile_explanation_gives_the_rank_and_the_duration_in_short_units() -> None:
    """p95 of 10 values is rank (95*10+99)//100 = 10: the largest, 13200 s = 3h40m."""
    values = [600.0] * 9 + [13200.0]
    assert _explain("sla t p95 < 4h monthly", values, "t") == (
        "p95 of 10 values is 3h40m (rank 10 of 10); target < 4h: met"
    )


def test_share_explanation_counts_the_values_that_satisfy_the_inner_test() -> None:
    text = _explain("sla 95% of t <= 8h monthly", [3600, 7200, 36000], "t")
    assert text == "2 of 3 values (66.666667%) are <= 8h; target >= 95%: breached"


def test_ratio_figures_are_shown_as_percentages() -> None:
    text = _explain("fee 1000 EUR monthly\nsla a mean >= 99.9% monthly, credit 5%", [0.998, 0.999], "a")
    assert text == (
        "mean of 2 values is 99.85%; target >= 99.9%: breached; "
        "credit 5%; 5% of the fee 1000.00 EUR = 50.00 EUR"
    )


def test_linear_credit_explanation_shows_the_steps() -> None:
    """71 against <= 50 in steps of 10: 21 over, 3 started steps, 1% x 3 = 3%."""
    text = _explain("sla x max <= 50 monthly, credit 1% per 10 over", [71])
    assert text == (
        "max of 1 value is 71; target <= 50: breached; "
        "21 over the target is 3 started steps of 10: 1% x 3 = 3%"
    )


def test_tier_and_max_are_named() -> None:
    text = _explain("fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 1%, 8% if > 8, max 5%", [9])
    assert "tier 8% applies (> 8)" in text
    assert "limited to the maximum 5% per window" in text
    assert text.endswith("5% of the fee 1000.00 EUR = 50.00 EUR")


def test_insufficient_and_no_data_explanations() -> None:
    assert _explain("sla x max <= 5 monthly, min 3 samples", [9, 1]) == (
        "max of 2 values is 9; 2 of the minimum 3 samples; target <= 5: insufficient"
    )
    report = evaluate(
        "sla x max <= 5 monthly",
        [{"metric": "x", "time": DAY, "value": 1}],
        end=at("2026-02-10T00:00:00Z"),
    )
    assert windows(report)[1]["explanation"] == (
        "no values in this window; target <= 5: no_data; provisional: the range ends before the window does"
    )
