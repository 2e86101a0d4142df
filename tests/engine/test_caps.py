"""Fee periods, attribution, the cap with its remainder rule, money caps and the annual cap."""

from __future__ import annotations

from tests.engine.helpers import at, evaluate, windows


def _breach(time: str, metric: str = "x") -> dict[str, object]:
    return {"metric": metric, "time": time, "value": 9}


def test_cap_scales_credits_pro_rata_and_gives_the_remainder_to_the_largest() -> None:
    """Credits 50 + 50 + 20 = 120 exceed the cap of 10% of 1000 = 100: each x 100/120 gives
    41.67, 41.67, 16.67 = 100.01; the -0.01 goes to the largest credit, a tie of 50 and 50 in the
    same window decided for the earlier clause: 41.66, 41.67, 16.67."""
    policy = (
        "fee 1000 EUR monthly\ncap 10%\n"
        'sla "a": x max <= 5 monthly, credit 5%\n'
        'sla "b": y max <= 5 monthly, credit 5%\n'
        'sla "c": z max <= 5 monthly, credit 2%\n'
    )
    rows = [_breach("2026-01-05T10:00:00Z", m) for m in ("x", "y", "z")]
    report = evaluate(policy, rows)
    assert [c["credit"] for c in report["clauses"]] == [41.66, 41.67, 16.67]
    assert [windows(report, i)[0]["credit_percent"] for i in range(3)] == [5, 5, 2]
    (period,) = report["periods"]
    assert (period["credit_before_cap"], period["credit"], period["capped"]) == (120.0, 100.0, True)
    assert report["total_credit"] == 100.0
    assert "reduced by the cap to 41.66 EUR" in windows(report, 0)[0]["explanation"]


def test_remainder_ties_go_to_the_earliest_window() -> None:
    """Three weekly breaches of 3% (30 EUR) in January against a cap of 5% (50): 30 x 50/90 = 16.67
    each, 50.01 in all; the -0.01 goes to the earliest week: 16.66, 16.67, 16.67."""
    policy = "fee 1000 EUR monthly\ncap 5%\nsla x max <= 5 weekly, credit 3%"
    rows = [_breach(t) for t in ("2026-01-06T10:00:00Z", "2026-01-13T10:00:00Z", "2026-01-20T10:00:00Z")]
    report = evaluate(policy, rows)
    assert [w["credit"] for w in windows(report)] == [16.66, 16.67, 16.67]


def test_credits_under_the_cap_are_not_capped() -> None:
    report = evaluate(
        "fee 1000 EUR monthly\ncap 10%\nsla x max <= 5 monthly, credit 5%", [_breach("2026-01-05T10:00:00Z")]
    )
    (period,) = report["periods"]
    assert (period["credit"], period["capped"]) == (50.0, False)


def test_money_cap_limits_each_fee_period() -> None:
    """5% of 1000 = 50 against a cap of 20 EUR: 20.00, capped."""
    report = evaluate(
        "fee 1000 EUR monthly\ncap 20 EUR\nsla x max <= 5 monthly, credit 5%",
        [_breach("2026-01-05T10:00:00Z")],
    )
    assert (report["periods"][0]["credit"], report["periods"][0]["capped"], report["total_credit"]) == (
        20.0,
        True,
        20.0,
    )


def test_a_window_is_credited_in_the_fee_period_of_its_start() -> None:
    """The week of Monday 2025-12-29 starts in December: its credit goes to December, a period
    outside the range (which starts on 2 January) that is listed because it receives a credit."""
    report = evaluate(
        "fee 1000 EUR monthly\nsla x max <= 5 weekly, credit 1%", [_breach("2026-01-02T10:00:00Z")]
    )
    assert [(p["start"][:10], p["credit"]) for p in report["periods"]] == [
        ("2025-12-01", 10.0),
        ("2026-01-01", 0.0),
    ]


def test_a_window_longer_than_the_fee_period_is_credited_in_the_period_of_its_last_instant() -> None:
    """A Q1 breach under a monthly fee is credited in March; January (the range) is listed too."""
    report = evaluate(
        "fee 1000 EUR monthly\nsla x max <= 5 quarterly, credit 1%", [_breach("2026-01-05T10:00:00Z")]
    )
    assert [(p["start"][:10], p["credit"]) for p in report["periods"]] == [
        ("2026-01-01", 0.0),
        ("2026-03-01", 10.0),
    ]


def test_every_fee_period_overlapping_the_range_is_listed() -> None:
    report = evaluate(
        "fee 1000 EUR monthly\nsla x max <= 5 monthly, credit 1%",
        [_breach("2026-01-05T10:00:00Z")],
        end=at("2026-03-15T00:00:00Z"),
    )
    assert [p["start"][:10] for p in report["periods"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]


def test_annual_cap_limits_any_twelve_consecutive_monthly_periods_in_time_order() -> None:
    """Annual cap 10% of 12 x 1000 = 1200. Breaches of 50% (500) in January, February, March:
    500, 500, then March may receive only 1200 - 1000 = 200, capped."""
    policy = "fee 1000 EUR monthly\nannual cap 10%\nsla x max <= 5 monthly, credit 50%"
    rows = [_breach(t) for t in ("2026-01-05T10:00:00Z", "2026-02-05T10:00:00Z", "2026-03-05T10:00:00Z")]
    report = evaluate(policy, rows)
    assert [(p["credit_before_cap"], p["credit"], p["capped"]) for p in report["periods"]] == [
        (500.0, 500.0, False),
        (500.0, 500.0, False),
        (500.0, 200.0, True),
    ]
    assert [w["credit"] for w in windows(report)] == [500.0, 500.0, 200.0]
    assert report["total_credit"] == 1200.0


def test_annual_cap_with_a_quarterly_fee_covers_four_quarters() -> None:
    """fee 3000 quarterly, annual cap 10%: 4 x 3000 x 10% = 1200 over any 4 quarters. Three monthly
    breaches of 20% (600 each) in Q1 = 1800 -> 1200 (400 each); a breach in Q2 then gets 0."""
    policy = "fee 3000 EUR quarterly\nannual cap 10%\nsla x max <= 5 monthly, credit 20%"
    rows = [_breach(f"2026-0{m}-05T10:00:00Z") for m in (1, 2, 3, 4)]
    report = evaluate(policy, rows)
    assert [(p["credit"], p["capped"]) for p in report["periods"]] == [(1200.0, True), (0.0, True)]
    assert [w["credit"] for w in windows(report)] == [400.0, 400.0, 400.0, 0.0]


def test_cap_applies_before_the_annual_cap() -> None:
    """Monthly cap 30% (300) cuts each 500 breach to 300; the annual limit 10% x 12 x 1000 = 1200
    is then reached in April: 300 + 300 + 300 + 300, and May receives 0."""
    policy = "fee 1000 EUR monthly\ncap 30%\nannual cap 10%\nsla x max <= 5 monthly, credit 50%"
    rows = [_breach(f"2026-0{m}-05T10:00:00Z") for m in (1, 2, 3, 4, 5)]
    report = evaluate(policy, rows)
    assert [p["credit"] for p in report["periods"]] == [300.0, 300.0, 300.0, 300.0, 0.0]


def test_fee_periods_align_in_the_policy_time_zone() -> None:
    """In London, July 2026 runs from 00:00+01:00; a breach at 23:30Z on 30 June is already 1 July."""
    report = evaluate(
        'fee 1000 EUR monthly\ntimezone "Europe/London"\nsla x max <= 5 monthly, credit 1%',
        [_breach("2026-06-30T23:30:00Z")],
    )
    assert [(p["start"], p["credit"]) for p in report["periods"]] == [("2026-07-01T00:00:00+01:00", 10.0)]


def test_a_year_under_a_quarterly_fee_is_credited_in_the_last_quarter() -> None:
    """A 2026 yearly window ends 2027-01-01: its last instant lies in Q4, which receives 1% of 3000 = 30."""
    report = evaluate(
        "fee 3000 EUR quarterly\nsla x max <= 5 yearly, credit 1%",
        [_breach("2026-02-05T10:00:00Z")],
    )
    assert [(p["start"][:10], p["credit"]) for p in report["periods"]] == [
        ("2026-01-01", 0.0),
        ("2026-10-01", 30.0),
    ]


def test_cap_remainder_never_makes_a_credit_negative() -> None:
    """Fee 1000 EUR monthly, annual cap 10% = 1200.00 a year. January: one clause credits 1199.95
    (a 119.995% tier cannot exist, so a money credit). February: ten clauses breach, 1.00 EUR each,
    but only 0.05 is left of the year. Each scales to 0.005, rounded half up 0.01: 0.10 in all, 0.05
    too much. The largest (the first clause, on ties) can give up only its 0.01; the rest comes
    from the next largest in turn: 0.00 x 5, 0.01 x 5 = 0.05, and no credit is negative."""
    lines = ["fee 1000 EUR monthly", "annual cap 10%", 'sla "big": big max <= 0 monthly, credit 1199.95 EUR']
    lines += [f'sla "c{i}": c{i} max <= 0 monthly, credit 1 EUR' for i in range(10)]
    rows = [_breach("2026-01-05T10:00:00Z", "big")]
    rows += [_breach("2026-02-05T10:00:00Z", f"c{i}") for i in range(10)]
    report = evaluate("\n".join(lines) + "\n", rows, start=at("2026-01-01T00:00:00Z"))
    february = [c["windows"][-1]["credit"] for c in report["clauses"][1:]]
    assert all(credit >= 0 for credit in february)
    assert sorted(february) == [0.0] * 5 + [0.01] * 5
    assert report["periods"][1]["credit"] == 0.05
