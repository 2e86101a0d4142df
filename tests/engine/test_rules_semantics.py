"""Rules of language.md (Semantics, Precise readings) that had no test naming them.

Policies are built from text (``dsl.parse`` + ``dsl.check``), measurements
read from CSV bytes with ``engine.readers.read_measurements``, and the report
read through ``to_dict()``. Every figure is worked by hand in the docstring.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import engine
from engine.readers import read_measurements
from tests.engine.helpers import compiled


def run(policy: str, csv: str, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
    """Evaluate the policy text over the CSV text; the report as a dict."""
    report = engine.evaluate(compiled(policy), read_measurements(csv.encode(), "csv"), start=start, end=end)
    return report.to_dict()


def rows(metric: str, *cells: tuple[str, object]) -> str:
    """CSV ``metric,time,value`` with one row per (time, value)."""
    return "metric,time,value\n" + "".join(f"{metric},{t},{v}\n" for t, v in cells)


def one_row_each(time: str, value: object, *metrics: str) -> str:
    """CSV ``metric,time,value`` with one row of ``value`` at ``time`` for each metric."""
    return "metric,time,value\n" + "".join(f"{metric},{time},{value}\n" for metric in metrics)


def statuses(report: dict[str, Any], clause: int = 0) -> list[tuple[str, str, object]]:
    return [(w["start"][:10], w["status"], w["value"]) for w in report["clauses"][clause]["windows"]]


# --- a complete policy, header defaults ----------------------------------------------------------


def test_rule_a_single_clause_line_is_a_complete_policy_and_evaluates() -> None:
    """language.md, A complete example: `resolution_time p95 < 4h monthly, credit 5% per breach` alone.
    January: one value of 5h (18000 s) -> p95 = 5h, breached, 5%; February: 1h, met. No fee: the
    credit is a percentage only (credit null, periods [], totals null); no `policy`: policy null."""
    report = run(
        "resolution_time p95 < 4h monthly, credit 5% per breach",
        rows("resolution_time", ("2026-01-05T10:00:00Z", 18000), ("2026-02-05T10:00:00Z", 3600)),
    )
    (clause,) = report["clauses"]
    assert (clause["id"], clause["kind"], clause["breaches"]) == ("resolution_time-p95", "sla", 1)
    assert [(w["status"], w["credit_percent"], w["credit"]) for w in clause["windows"]] == [
        ("breached", 5, None),
        ("met", 0, None),
    ]
    assert (report["policy"], report["periods"], report["total_credit"]) == (None, [], None)


def test_rule_timezone_defaults_to_utc_so_days_start_at_utc_midnight() -> None:
    """language.md, Header statements: default `UTC`. 2026-01-05T23:30-01:00 is 2026-01-06T00:30Z,
    so without `timezone` it falls in the day of 6 January, which starts at 00:00+00:00."""
    report = run('policy "Acme"\nx max <= 5 daily', rows("x", ("2026-01-05T23:30:00-01:00", 1)))
    (window,) = report["clauses"][0]["windows"]
    assert (window["start"], window["end"]) == ("2026-01-06T00:00:00+00:00", "2026-01-07T00:00:00+00:00")
    assert report["policy"] == "Acme"


def test_rule_metric_definition_and_clause_owner_are_shown_in_the_report() -> None:
    """language.md, Header statements (metric ... "definition": kept and shown in reports) and Options
    (`owner`: shown in reports, allowed on kpi too)."""
    report = run(
        'metric rt duration "From ticket logged to ticket resolved"\n'
        'sla "S": rt p95 < 4h monthly, owner "Service Desk"\n'
        'kpi "K": rt p95 < 2h monthly, owner "Ops"\n'
        'sla "U": other max <= 5 monthly',
        rows("rt", ("2026-01-05T10:00:00Z", 60)),
    )
    got = [(c["id"], c["definition"], c["owner"]) for c in report["clauses"]]
    assert got == [
        ("s", "From ticket logged to ticket resolved", "Service Desk"),
        ("k", "From ticket logged to ticket resolved", "Ops"),
        ("u", None, None),
    ]


# --- rows ----------------------------------------------------------------------------------------


def test_rule_a_time_given_beside_start_and_end_is_the_instant_used_for_windowing() -> None:
    """language.md, Precise readings (Rows): `time` defaults to `end` and, when given, is the instant
    used for windowing. The ticket ran 31 Jan 10:00-20:00 (10h = 36000 s) but its time is 1 Feb 00:30:
    it belongs to February, and January (before the range) is not reported."""
    csv = "metric,time,value,start,end\nt,2026-02-01T00:30:00Z,,2026-01-31T10:00:00Z,2026-01-31T20:00:00Z\n"
    report = run("t max < 4h monthly, credit 5%", csv)
    assert statuses(report) == [("2026-02-01", "breached", 36000.0)]


def test_rule_an_empty_csv_cell_means_the_row_lacks_the_dimension() -> None:
    """language.md, Precise readings (Rows) with Filters: both rows have an empty `p` cell (plain and
    quoted), so they lack `p`: `!=` and `not in` count 2; `=` and `in` (even `in ("")`) count 0."""
    csv = 'metric,time,value,p\nx,2026-01-05T10:00:00Z,1,\nx,2026-01-06T10:00:00Z,1,""\n'
    report = run(
        'x count >= 1 monthly where p != "P1"\nx count >= 1 monthly where p not in ("P1")\n'
        'x count >= 1 monthly where p = "P1"\nx count >= 1 monthly where p in ("P1", "")',
        csv,
    )
    counts = [c["windows"][0]["value"] for c in report["clauses"]]
    assert counts == [2.0, 2.0, 0.0, 0.0]


# --- order of tests in a window ------------------------------------------------------------------


def test_rule_with_no_values_other_aggregations_are_no_data_even_under_min_samples() -> None:
    """language.md, Precise readings (Order of tests): with no values, count and sum are 0 (and
    insufficient under `min N samples`); every other aggregation, the share form included, is
    no_data. A `y` row makes January the range; `x` has no value there."""
    report = run(
        "x mean <= 5 monthly, min 3 samples\n50% of x <= 5 monthly, min 3 samples\n"
        "x sum <= 5 monthly, min 3 samples\nx count <= 5 monthly, min 3 samples\ny max <= 5 monthly",
        rows("y", ("2026-01-10T10:00:00Z", 1)),
    )
    got = [(c["windows"][0]["status"], c["windows"][0]["value"]) for c in report["clauses"][:4]]
    assert got == [("no_data", None), ("no_data", None), ("insufficient", 0.0), ("insufficient", 0.0)]


def test_rule_share_form_inner_comparison_counts_values_within_1e9_as_equal() -> None:
    """language.md, Comparison: 0.99899999999 differs from 99.9% by ~1e-11 relative, so it satisfies
    `>= 99.9%`; 0.5 does not: the share is 1 of 2 = 0.5, which meets `50% of`."""
    report = run(
        "50% of r >= 99.9% monthly",
        rows("r", ("2026-01-05T10:00:00Z", "0.99899999999"), ("2026-01-05T11:00:00Z", "0.5")),
    )
    assert statuses(report) == [("2026-01-01", "met", 0.5)]


def test_rule_share_form_measures_start_end_in_business_time_for_a_business_threshold() -> None:
    """language.md, Calendars: Mon-Fri 09:00-17:00. Fri 9 Jan 15:00 -> Mon 12 Jan 11:00 is 2h + 2h = 4h
    of business time (68h elapsed): within 4 business hours; Mon 09:00 -> 15:00 is 6h: not.
    Share 1 of 2 = 0.5 meets `50% of`; in elapsed time it would be 0 of 2."""
    csv = (
        "metric,time,value,start,end\n"
        "t,,,2026-01-09T15:00:00Z,2026-01-12T11:00:00Z\nt,,,2026-01-12T09:00:00Z,2026-01-12T15:00:00Z\n"
    )
    report = run('calendar "Mon-Fri 09:00-17:00"\n50% of t <= 4 business hours monthly', csv)
    assert statuses(report) == [("2026-01-01", "met", 0.5)]


# --- credits ------------------------------------------------------------------------------------


def test_rule_linear_credit_steps_in_business_hours_count_business_time() -> None:
    """language.md, Options (linear credit) with Calendars: Fri 9 Jan 15:00 -> Mon 12 Jan 11:30 is
    2h + 2h30 = 4h30 = 16200 s of business time; 2h30 over `<= 2 business hours`, steps of 1
    business hour: ceil(2.5) = 3 steps, 1% x 3 = 3% of 1000 EUR = 30.00 EUR."""
    csv = "metric,time,value,start,end\nt,,,2026-01-09T15:00:00Z,2026-01-12T11:30:00Z\n"
    report = run(
        'fee 1000 EUR monthly\ncalendar "Mon-Fri 09:00-17:00"\n'
        "t max <= 2 business hours monthly, credit 1% per 1 business hour over",
        csv,
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["value"], window["credit_percent"], window["credit"]) == (16200.0, 3, 30.0)


def test_rule_a_tier_that_holds_replaces_a_linear_base_credit() -> None:
    """language.md, Options (tiers replace the base) and Precise readings (Tiers): target <= 50,
    1% per 10 over, 5% if > 100. January 150: the tier holds and replaces the linear 10 steps = 10%:
    5% = 50.00 EUR. February 71: no tier, ceil(21/10) = 3 steps = 3% = 30.00 EUR."""
    report = run(
        "fee 1000 EUR monthly\nx max <= 50 monthly, credit 1% per 10 over, 5% if > 100",
        rows("x", ("2026-01-10T10:00:00Z", 150), ("2026-02-10T10:00:00Z", 71)),
    )
    got = [(w["credit_percent"], w["credit"]) for w in report["clauses"][0]["windows"]]
    assert got == [(5, 50.0), (3, 30.0)]


def test_rule_bonus_is_not_paid_on_a_breached_window_even_when_its_value_satisfies_the_bonus() -> None:
    """language.md, Precise readings (Bonus): only a met window. p95 = 4h30m (16200 s) breaches < 4h
    and satisfies `bonus 1% if < 5h`: no bonus, the credit 5% of 1000 = 50.00 EUR stands."""
    report = run(
        "fee 1000 EUR monthly\nt p95 < 4h monthly, credit 5%, bonus 1% if < 5h",
        rows("t", ("2026-01-05T10:00:00Z", 16200)),
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["status"], window["bonus_percent"], window["bonus"], window["credit"]) == (
        "breached",
        0,
        0.0,
        50.0,
    )
    assert report["total_bonus"] == 0.0


def test_rule_bonus_without_a_fee_sets_only_bonus_percent() -> None:
    """language.md, Precise readings (Bonus): without a fee only `bonus_percent` is set. sum 140 meets
    >= 100 and satisfies >= 130: bonus_percent 2, bonus null, total_bonus null."""
    report = run(
        "o sum >= 100 monthly, credit 5%, bonus 2% if >= 130", rows("o", ("2026-01-05T10:00:00Z", 140))
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["status"], window["bonus_percent"], window["bonus"]) == ("met", 2, None)
    assert report["total_bonus"] is None


# --- credit attribution ------------------------------------------------------------------------


def test_rule_a_monthly_window_from_day_16_is_credited_in_the_fee_month_of_its_start() -> None:
    """language.md, Credits: not longer than the fee period -> the period holding its start. A breach
    on 10 Feb lies in the window 16 Jan - 16 Feb: 5% of 1000 = 50.00 goes to January, a period before
    the range that is listed because it receives a credit; February (the range) is listed with 0."""
    report = run(
        "fee 1000 EUR monthly\nx max <= 5 monthly from day 16, credit 5%",
        rows("x", ("2026-02-10T10:00:00Z", 9)),
    )
    assert statuses(report) == [("2026-01-16", "breached", 9.0)]
    periods = [(p["start"][:10], p["credit"]) for p in report["periods"]]
    assert periods == [("2026-01-01", 50.0), ("2026-02-01", 0.0)]


def test_rule_an_anchored_quarter_under_a_monthly_fee_is_credited_in_the_month_of_its_last_instant() -> None:
    """language.md, Precise readings (Credit attribution): the quarter 1 Feb - 1 May is longer than a
    month; its last instant is in April, which receives 5% of 1000 = 50.00."""
    report = run(
        "fee 1000 EUR monthly\nx max <= 5 quarterly from day 1 of February, credit 5%",
        rows("x", ("2026-02-10T10:00:00Z", 9)),
    )
    periods = [(p["start"][:10], p["credit"]) for p in report["periods"]]
    assert periods == [("2026-02-01", 0.0), ("2026-04-01", 50.0)]


def test_rule_a_window_as_long_as_the_fee_period_is_credited_at_its_start() -> None:
    """language.md, Credits: only windows *longer* than the fee period go by their end. The quarter
    16 Feb - 16 May under a quarterly fee of 3000 is not longer: 5% = 150.00 goes to Q1 (its start),
    although the breach (10 April) and most of the window lie in Q2."""
    report = run(
        "fee 3000 EUR quarterly\nx max <= 5 quarterly from day 16 of February, credit 5%",
        rows("x", ("2026-04-10T10:00:00Z", 9)),
    )
    periods = [(p["start"][:10], p["credit"]) for p in report["periods"]]
    assert periods == [("2026-01-01", 150.0), ("2026-04-01", 0.0)]


# --- cap ----------------------------------------------------------------------------------------


def test_rule_a_positive_cap_remainder_goes_to_the_largest_credit_before_the_cap() -> None:
    """language.md, Precise readings (Cap): fee 1000, cap 10% = 100.00; credits a 25.00, b 25.00,
    c 70.00 = 120.00. Scaled by 100/120: 20.833 -> 20.83, 20.83, 58.333 -> 58.33; sum 99.99; the
    remainder +0.01 goes to the largest credit before the cap, c (the latest clause): 58.34."""
    csv = one_row_each("2026-01-05T10:00:00Z", 9, "a", "b", "c")
    report = run(
        'fee 1000 EUR monthly\ncap 10%\nsla "a": a max <= 5 monthly, credit 2.5%\n'
        'sla "b": b max <= 5 monthly, credit 2.5%\nsla "c": c max <= 5 monthly, credit 7%',
        csv,
    )
    assert [c["windows"][0]["credit"] for c in report["clauses"]] == [20.83, 20.83, 58.34]
    (period,) = report["periods"]
    assert (period["credit_before_cap"], period["credit"], period["capped"]) == (120.0, 100.0, True)


def test_rule_capped_is_false_when_credits_reach_the_cap_exactly() -> None:
    """language.md, Precise readings (Cap): `capped` is true only when credits were scaled. 6% + 4% of
    1000 = 100.00 equals the cap 10% = 100.00: nothing is scaled, capped false."""
    report = run(
        'fee 1000 EUR monthly\ncap 10%\nsla "a": x max <= 5 monthly, credit 6%\n'
        'sla "b": y max <= 5 monthly, credit 4%',
        rows("x", ("2026-01-05T10:00:00Z", 9)) + "y,2026-01-05T10:00:00Z,9\n",
    )
    (period,) = report["periods"]
    assert (period["credit_before_cap"], period["credit"], period["capped"]) == (100.0, 100.0, False)


def test_rule_credit_percent_is_the_contractual_figure_before_the_cap() -> None:
    """language.md, Precise readings (credit_percent): 5% of 1000 = 50.00 is cut by `cap 20 EUR` to
    20.00; the window keeps credit_percent 5, its credit is 20.00."""
    report = run(
        "fee 1000 EUR monthly\ncap 20 EUR\nx max <= 5 monthly, credit 5%",
        rows("x", ("2026-01-05T10:00:00Z", 9)),
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["credit_percent"], window["credit"]) == (5, 20.0)
    assert report["periods"][0]["capped"] is True


def test_rule_annual_cap_with_a_yearly_fee_limits_each_year() -> None:
    """language.md, Header statements (annual cap): fee 12000 yearly, annual cap 10% = 1200.00 a year.
    Monthly breaches of 5% = 600.00 in Jan, Feb, Mar 2026 = 1800 -> scaled to 1200 (400.00 each);
    January 2027 is in the next year: 600.00, not capped."""
    months = [(f"2026-0{m}-10T10:00:00Z", 9) for m in (1, 2, 3)] + [("2027-01-10T10:00:00Z", 9)]
    report = run("fee 12000 EUR yearly\nannual cap 10%\nx max <= 5 monthly, credit 5%", rows("x", *months))
    credits = [w["credit"] for w in report["clauses"][0]["windows"] if w["status"] == "breached"]
    assert credits == [400.0, 400.0, 400.0, 600.0]
    got = [(p["start"][:4], p["credit_before_cap"], p["credit"], p["capped"]) for p in report["periods"]]
    assert got == [("2026", 1800.0, 1200.0, True), ("2027", 600.0, 600.0, False)]


# --- earn-back and chronic together --------------------------------------------------------------


def test_rule_earn_back_and_chronic_are_judged_on_the_same_breaches() -> None:
    """language.md, Precise readings (Earn-back, Chronic): earn back after 1 met, chronic 2 of 3 over
    breached, met, breached, breached, met. January is earned back by February, April by May; March
    is followed by a breach and stays owed (50.00). Chronic: Jan-Mar holds 2 breaches, at March;
    breaches stays 3 and the clause's credit is March's 50.00 only."""
    values = [9, 1, 9, 9, 1]
    report = run(
        "fee 1000 EUR monthly\nx max <= 5 monthly, credit 5%, earn back after 1 met, chronic 2 of 3",
        rows("x", *[(f"2026-0{m}-10T10:00:00Z", v) for m, v in zip(range(1, 6), values, strict=True)]),
    )
    clause = report["clauses"][0]
    assert [w["earned_back"] for w in clause["windows"]] == [True, False, False, True, False]
    assert (clause["breaches"], clause["credit"], report["total_credit"]) == (3, 50.0, 50.0)
    assert clause["chronic"] == {"window_start": "2026-03-01T00:00:00+00:00", "breaches": 2, "of": 3}


# --- interfaces.md: the report -----------------------------------------------------------------


def test_rule_report_version_is_the_evaluated_version_or_null() -> None:
    """interfaces.md, The evaluation report: `version` names the policy version; null when none given."""
    policy = compiled("x max <= 5 monthly")
    batch = read_measurements(rows("x", ("2026-01-05T10:00:00Z", 1)).encode(), "csv")
    assert engine.evaluate(policy, batch).to_dict()["version"] is None
    assert engine.evaluate(policy, batch, version=3).to_dict()["version"] == 3
