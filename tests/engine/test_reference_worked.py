"""The reference evaluator itself redoes the worked examples of docs/calendars.md and docs/semantics.md.

A yardstick must be right on its own: these examples are worked by hand in the
docs, and the reference (not the engine) must reproduce them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import dsl
from tests.engine import reference
from tests.engine.reference import Row

LONDON = ZoneInfo("Europe/London")


def _calendar(hours: str, holidays: str = "") -> dsl.ast.Calendar:
    policy = dsl.parse(f'calendar "{hours}"{holidays}\n')
    return policy.calendars[0]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("hours", "start", "end", "expected_hours"),
    [
        ("Mon-Fri 09:00-17:00", "2026-01-09T15:00+00:00", "2026-01-12T11:00+00:00", 4),
        ("Mon-Fri 09:00-17:00", "2026-01-12T07:00+00:00", "2026-01-12T10:30+00:00", 1.5),
        ("Mon-Fri 09:00-17:00", "2026-01-12T20:00+00:00", "2026-01-13T10:00+00:00", 1),
        ("Mon-Fri 09:00-17:00", "2026-01-10T10:00+00:00", "2026-01-11T12:00+00:00", 0),
        ("Mon-Fri 09:00-17:00", "2026-01-05T09:00+00:00", "2026-01-26T09:00+00:00", 120),
        (
            "Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00, Sat 09:00-13:00",
            "2026-01-09T11:00+00:00",
            "2026-01-12T14:00+00:00",
            14,
        ),
        ("Mon-Fri 09:00-17:00", "2026-03-27T16:00+00:00", "2026-03-30T10:00+01:00", 2),
        ("Sun 00:00-06:00", "2026-03-29T00:00+00:00", "2026-03-29T12:00+01:00", 5),
        ("Sun 00:00-06:00", "2026-10-25T00:00+01:00", "2026-10-25T12:00+00:00", 7),
        ("Sun 01:30-04:00", "2026-03-29T00:00+00:00", "2026-03-29T12:00+01:00", 2),
        ("Sun 01:00-01:30", "2026-10-25T00:00+01:00", "2026-10-25T12:00+00:00", 1),
    ],
)
def test_reference_business_time_redoes_the_calendar_examples(
    hours: str, start: str, end: str, expected_hours: float
) -> None:
    """calendars.md, Worked examples and Daylight saving (Europe/London)."""
    seconds = reference.business_seconds(_calendar(hours), LONDON, _at(start), _at(end))
    assert seconds == expected_hours * 3600


def test_reference_business_time_skips_holidays_in_the_policy_zone() -> None:
    """Mon-Fri 09:00-17:30, holidays Fri 25 and Mon 28 December 2026: Thu 24 Dec 16:00 to Tue 29 Dec
    10:00 is Thursday 1h30 + Tuesday 1h = 2h30."""
    calendar = _calendar("Mon-Fri 09:00-17:30", ' holidays "2026-12-25", "2026-12-28"')
    seconds = reference.business_seconds(
        calendar, LONDON, _at("2026-12-24T16:00+00:00"), _at("2026-12-29T10:00+00:00")
    )
    assert seconds == 2.5 * 3600


def test_reference_business_time_over_half_a_year_in_new_york_is_whole_days() -> None:
    """Mon-Sun 00:00-24:00 from 1 October 2026 to 1 April 2027 in New York: 182 x 24 hours."""
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 10, 1, tzinfo=zone)
    end = datetime(2027, 4, 1, tzinfo=zone)
    assert reference.business_seconds(_calendar("Mon-Sun 00:00-24:00"), zone, start, end) == 182 * 24 * 3600


@pytest.mark.parametrize(
    ("hours", "expected_hours"),
    [
        ("Mon-Fri 09:00-17:30", 8.5),
        ("Mon-Fri 09:00-17:30, Sat 09:00-13:00", 8.5),
        ("Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:00, Sat 09:00-13:00", 8),
        ("Mon 09:00-18:00, Tue-Fri 09:00-13:00", 4),
        ("Mon-Wed 09:00-17:00, Thu-Sat 09:00-15:00", 8),
        ("Mon-Sun 00:00-24:00", 24),
    ],
)
def test_reference_business_day_is_the_most_common_working_day(hours: str, expected_hours: float) -> None:
    """calendars.md, One business day."""
    assert reference.day_length(_calendar(hours)) == expected_hours * 3600


def test_reference_cap_gives_the_remainder_to_the_earlier_clause_of_a_tie() -> None:
    """semantics.md section 11: fee 1000, cap 10% = 100.00; credits 50, 50, 20 in January, total 120;
    scaled 41.67, 41.67, 16.67 = 100.01; the -0.01 goes to clause a: 41.66, 41.67, 16.67."""
    policy = dsl.parse(
        "fee 1000 EUR monthly\ncap 10%\n"
        'sla "a": x max <= 1 monthly, credit 5%\n'
        'sla "b": y max <= 1 monthly, credit 5%\n'
        'sla "c": z max <= 1 monthly, credit 2%\n'
    )
    rows = [Row(m, datetime(2026, 1, 10, tzinfo=LONDON), 9.0) for m in "xyz"]
    report = reference.evaluate(policy, rows)
    assert [c.windows[0].credit for c in report.clauses] == [
        Decimal("41.66"),
        Decimal("41.67"),
        Decimal("16.67"),
    ]
    assert [(p.credit_before_cap, p.credit, p.capped) for p in report.periods] == [
        (Decimal("120.00"), Decimal("100.00"), True)
    ]


def test_reference_annual_cap_limits_the_third_month() -> None:
    """semantics.md section 12: fee 1000 monthly, annual cap 10% = 1200.00; 500.00 in each of January,
    February and March: March may receive only 200.00."""
    policy = dsl.parse("fee 1000 EUR monthly\nannual cap 10%\nx max <= 1 monthly, credit 50%\n")
    rows = [Row("x", datetime(2026, month, 10, tzinfo=LONDON), 9.0) for month in (1, 2, 3)]
    report = reference.evaluate(policy, rows)
    assert [p.credit for p in report.periods] == [Decimal("500.00"), Decimal("500.00"), Decimal("200.00")]
    assert [p.capped for p in report.periods] == [False, False, True]


def test_reference_credits_a_quarter_in_the_month_of_its_last_instant() -> None:
    """language.md, Credit attribution: a Q1 window, which ends at 1 April 00:00, is credited in March;
    a week that began on 29 December is credited in December, a period outside the range."""
    policy = dsl.parse(
        "fee 1000 EUR monthly\nx max <= 1 quarterly, credit 5%\ny max <= 1 weekly, credit 1%\n"
    )
    rows = [
        Row("x", datetime(2026, 1, 2, tzinfo=LONDON), 9.0),
        Row("y", datetime(2026, 1, 2, tzinfo=LONDON), 9.0),
    ]
    report = reference.evaluate(
        policy, rows, datetime(2026, 1, 1, tzinfo=LONDON), datetime(2026, 4, 1, tzinfo=LONDON)
    )
    credited = {p.start.astimezone(LONDON).date(): p.credit for p in report.periods}
    assert credited[date(2026, 3, 1)] == Decimal("50.00")
    assert credited[date(2025, 12, 1)] == Decimal("10.00")
    assert credited[date(2026, 1, 1)] == credited[date(2026, 2, 1)] == Decimal(0)


def test_reference_rounds_money_half_up_per_window() -> None:
    """semantics.md section 6: 5% of 0.30 EUR is 0.015, which is 0.02."""
    policy = dsl.parse("fee 0.30 EUR monthly\nx max <= 1 monthly, credit 5%\n")
    report = reference.evaluate(policy, [Row("x", datetime(2026, 1, 2, tzinfo=LONDON), 9.0)])
    assert report.clauses[0].windows[0].credit == Decimal("0.02")
