"""Rules of language.md on windows, range, statuses and comparison that had no test naming them.

Same building blocks as test_rules_semantics: policy text -> ``dsl.check`` ->
``engine.compile``; CSV bytes -> ``read_measurements``; ``report.to_dict()``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.engine.test_rules_semantics import one_row_each, rows, run


def windows(report: dict[str, Any], clause: int = 0) -> list[tuple[str, str, str, object]]:
    return [(w["start"], w["end"], w["status"], w["value"]) for w in report["clauses"][clause]["windows"]]


# --- range --------------------------------------------------------------------------------------


def test_rule_without_bounds_the_last_measurement_counts_even_at_a_window_start() -> None:
    """language.md, Precise readings (Range): without bounds the range runs to the last measurement,
    which is included. The last row is at 1 Feb 00:00: February's window is reported with it (max 9,
    breached), though it starts at the very instant the range ends."""
    report = run("x max <= 5 monthly", rows("x", ("2026-01-10T10:00:00Z", 1), ("2026-02-01T00:00:00Z", 9)))
    assert [(s[:10], st, v) for s, _, st, v in windows(report)] == [
        ("2026-01-01", "met", 1.0),
        ("2026-02-01", "breached", 9.0),
    ]
    assert report["range"] == {"from": "2026-01-10T10:00:00+00:00", "to": "2026-02-01T00:00:00+00:00"}


def test_rule_explicit_to_is_exclusive_so_a_window_starting_there_is_not_reported() -> None:
    """language.md, Precise readings (Range): `--to` is exclusive. to = 1 Feb 00:00: the 9 at that
    instant does not count and February does not overlap [1 Jan, 1 Feb): only January, final."""
    report = run(
        "x max <= 5 monthly",
        rows("x", ("2026-01-10T10:00:00Z", 1), ("2026-02-01T00:00:00Z", 9)),
        start=datetime(2026, 1, 1, tzinfo=UTC),
        end=datetime(2026, 2, 1, tzinfo=UTC),
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["start"][:10], window["status"], window["value"], window["final"]) == (
        "2026-01-01",
        "met",
        1.0,
        True,
    )


def test_rule_a_weekly_window_across_a_daylight_saving_change_is_one_hour_short() -> None:
    """language.md, Windows: weeks start Monday 00:00 local. London, the week of Mon 23 March 2026
    runs 00:00+00:00 to Mon 30 March 00:00+01:00 (7 x 24 - 1 = 167 h)."""
    report = run('timezone "Europe/London"\nx max <= 5 weekly', rows("x", ("2026-03-25T10:00:00Z", 1)))
    assert windows(report) == [("2026-03-23T00:00:00+00:00", "2026-03-30T00:00:00+01:00", "met", 1.0)]


# --- statuses -----------------------------------------------------------------------------------


def test_rule_kpi_windows_take_every_status_including_insufficient_and_no_data() -> None:
    """language.md, Precise readings (kpi): same statuses as sla windows; `min N samples` allowed.
    min 2 samples: January 1 value (9) insufficient, February none (no_data), March 2 values (max 9
    > 5) breached; breaches counts 1; no credit (percent 0, money null without a fee)."""
    report = run(
        "kpi x max <= 5 monthly, min 2 samples",
        rows("x", ("2026-01-10T10:00:00Z", 9), ("2026-03-11T10:00:00Z", 9), ("2026-03-12T10:00:00Z", 9)),
    )
    clause = report["clauses"][0]
    assert [(s[:10], st, v) for s, _, st, v in windows(report)] == [
        ("2026-01-01", "insufficient", 9.0),
        ("2026-02-01", "no_data", None),
        ("2026-03-01", "breached", 9.0),
    ]
    assert (clause["kind"], clause["breaches"]) == ("kpi", 1)
    assert {w["credit_percent"] for w in clause["windows"]} == {0}


def test_rule_count_yields_a_bare_number_whatever_the_metric_kind() -> None:
    """language.md, Conditions: `count` of a ratio metric is the number of values: 1 value -> 1,
    compared with the bare number 2: breached."""
    report = run("metric a ratio\na count >= 2 monthly", rows("a", ("2026-01-10T10:00:00Z", 0.5)))
    assert [(st, v) for _, _, st, v in windows(report)] == [("breached", 1.0)]


def test_rule_earn_back_needs_met_windows_so_an_insufficient_one_does_not_earn_back() -> None:
    """language.md, Precise readings (Earn-back): insufficient is not met. January (2 values, max 9)
    breaches, 5% of 1000 = 50.00; February has 1 value under `min 2 samples`: insufficient, so
    January is not earned back and the 50.00 stays owed."""
    report = run(
        "fee 1000 EUR monthly\nx max <= 5 monthly, min 2 samples, credit 5%, earn back after 1 met",
        rows("x", ("2026-01-10T10:00:00Z", 9), ("2026-01-11T10:00:00Z", 9), ("2026-02-10T10:00:00Z", 1)),
    )
    clause = report["clauses"][0]
    assert [(w["status"], w["earned_back"]) for w in clause["windows"]] == [
        ("breached", False),
        ("insufficient", False),
    ]
    assert (clause["credit"], report["total_credit"]) == (50.0, 50.0)


# --- comparison tolerance beyond the target -----------------------------------------------------


def test_rule_tier_condition_uses_the_same_1e9_tolerance_as_the_target() -> None:
    """language.md, Comparison (docs/semantics.md: one comparison rule everywhere): target >= 99.9%,
    credit 5%, 10% if < 99.5%. January 0.99499999999 equals 99.5% within 1e-9, so `< 99.5%` does
    not hold: base 5% = 50.00. February 0.994 < 99.5%: tier 10% = 100.00."""
    report = run(
        "fee 1000 EUR monthly\nmetric a ratio\na mean >= 99.9% monthly, credit 5%, 10% if < 99.5%",
        rows("a", ("2026-01-10T10:00:00Z", "0.99499999999"), ("2026-02-10T10:00:00Z", "0.994")),
    )
    got = [(w["status"], w["credit_percent"], w["credit"]) for w in report["clauses"][0]["windows"]]
    assert got == [("breached", 5, 50.0), ("breached", 10, 100.0)]


def test_rule_bonus_condition_uses_the_same_1e9_tolerance() -> None:
    """language.md, Comparison: sum 129.9999999999 equals 130 within 1e-9 (relative ~8e-13), so it
    satisfies `bonus 2% if >= 130`: 2% of 1000 = 20.00."""
    report = run(
        "fee 1000 EUR monthly\no sum >= 100 monthly, credit 5%, bonus 2% if >= 130",
        rows("o", ("2026-01-10T10:00:00Z", "129.9999999999")),
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["status"], window["bonus_percent"], window["bonus"]) == ("met", 2, 20.0)
    assert report["total_bonus"] == 20.0


# --- money --------------------------------------------------------------------------------------


def test_rule_money_is_decimal_from_the_written_figures_and_rounds_half_up() -> None:
    """language.md, Credits: 0.5% of 1001 EUR is exactly 5.005, half up 5.01. In binary floats
    1001 * 0.005 rounds to 5.0 (round(1001 * 0.005, 2) == 5.0)."""
    report = run(
        "fee 1001 EUR monthly\nx max <= 5 monthly, credit 0.5%", rows("x", ("2026-01-10T10:00:00Z", 9))
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["credit_percent"], window["credit"]) == (0.5, 5.01)
    assert round(1001 * 0.005, 2) == 5.0  # the float path this rule forbids


def test_rule_pool_credit_under_a_money_cap_is_a_share_of_that_amount() -> None:
    """language.md, Options (credit X% of pool) and Precise readings (credit_percent): cap 200 EUR,
    40% of pool = 80.00 EUR; credit_percent is the share of the fee, 80 / 1000 x 100 = 8."""
    report = run(
        "fee 1000 EUR monthly\ncap 200 EUR\nx max <= 5 monthly, credit 40% of pool",
        rows("x", ("2026-01-10T10:00:00Z", 9)),
    )
    (window,) = report["clauses"][0]["windows"]
    assert (window["credit_percent"], window["credit"]) == (8, 80.0)


def test_rule_cap_remainder_ties_go_to_the_earliest_window_before_the_earlier_clause() -> None:
    """language.md, Precise readings (Cap): ties go to the earliest window, then the earlier clause.
    Fee 1000, cap 5% = 50.00; three breaches of 3% = 30.00: a (weekly, week of Mon 5 Jan), b and c
    (monthly, from 1 Jan). 30 x 50/90 = 16.67 each, 50.01 in all; the -0.01 goes to b: its window
    starts before a's week, and b is the earlier of b and c. a 16.67, b 16.66, c 16.67."""
    csv = one_row_each("2026-01-06T10:00:00Z", 9, "a", "b", "c")
    report = run(
        'fee 1000 EUR monthly\ncap 5%\nsla "a": a max <= 5 weekly, credit 3%\n'
        'sla "b": b max <= 5 monthly, credit 3%\nsla "c": c max <= 5 monthly, credit 3%',
        csv,
    )
    assert [c["windows"][0]["credit"] for c in report["clauses"]] == [16.67, 16.66, 16.67]
    assert report["periods"][0]["credit"] == 50.0


def test_rule_chronic_counts_consecutive_windows_including_those_without_data() -> None:
    """language.md, Options (chronic N of M consecutive windows): chronic 2 of 2 over breached,
    no_data, breached: no run of 2 consecutive windows holds 2 breaches, so chronic stays null."""
    report = run(
        "x max <= 5 monthly, credit 1%, chronic 2 of 2",
        rows("x", ("2026-01-06T10:00:00Z", 9), ("2026-03-06T10:00:00Z", 9)),
    )
    clause = report["clauses"][0]
    assert [w["status"] for w in clause["windows"]] == ["breached", "no_data", "breached"]
    assert (clause["breaches"], clause["chronic"]) == (2, None)


def test_rule_money_credit_tier_max_and_bonus_are_amounts_in_the_fee_currency() -> None:
    """language.md, Options: `credit AMOUNT CUR`, a money tier, `max AMOUNT CUR`, a money bonus.
    p95 10h > 8h: the tier 100 EUR replaces 50 EUR, max 80 EUR cuts it: 80.00 (8% of 1000).
    sum 140 >= 130 on a met window: bonus 25.00 EUR (2.5%)."""
    report = run(
        "fee 1000 EUR monthly\nt p95 < 4h monthly, credit 50 EUR, 100 EUR if > 8h, max 80 EUR\n"
        "o sum >= 100 monthly, bonus 25 EUR if >= 130",
        rows("t", ("2026-01-06T10:00:00Z", 36000)) + "o,2026-01-06T10:00:00Z,140\n",
    )
    credit, bonus = (c["windows"][0] for c in report["clauses"])
    assert (credit["credit_percent"], credit["credit"]) == (8, 80.0)
    assert (bonus["status"], bonus["bonus_percent"], bonus["bonus"]) == ("met", 2.5, 25.0)
    assert (report["total_credit"], report["total_bonus"]) == (80.0, 25.0)


def test_rule_a_month_whose_first_midnight_is_skipped_starts_at_its_first_instant() -> None:
    """language.md, Precise readings (Days that start at no midnight) for monthly windows: Asuncion
    skipped 1 Oct 2023 00:00-01:00 (-04:00 -> -03:00). October starts at 01:00-03:00 = 04:00Z:
    03:30Z (23:30-04:00 on 30 Sep) counts in September, 04:30Z in October."""
    report = run(
        'timezone "America/Asuncion"\nx max <= 5 monthly',
        rows("x", ("2023-09-30T12:00:00Z", 1), ("2023-10-01T03:30:00Z", 9), ("2023-10-01T04:30:00Z", 2)),
    )
    assert windows(report) == [
        ("2023-09-01T00:00:00-04:00", "2023-10-01T01:00:00-03:00", "breached", 9.0),
        ("2023-10-01T01:00:00-03:00", "2023-11-01T00:00:00-03:00", "met", 2.0),
    ]
