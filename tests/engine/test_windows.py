"""Calendar windows in the policy's time zone (language.md, Windows)."""

from __future__ import annotations

from tests.engine.helpers import evaluate, windows


def _starts(policy: str, first: str, last: str) -> list[tuple[str, str]]:
    rows = [{"metric": "x", "time": first, "value": 1}, {"metric": "x", "time": last, "value": 1}]
    return [(w["start"], w["end"]) for w in windows(evaluate(policy, rows))]


def test_daily_windows_on_daylight_saving_days_last_23_and_25_hours() -> None:
    """London: 2026-03-29 runs 00:00+00:00 to 00:00+01:00 (23 h); 2026-10-25 runs
    00:00+01:00 to 00:00+00:00 (25 h)."""
    policy = 'timezone "Europe/London"\nsla x max <= 5 daily'
    spring = _starts(policy, "2026-03-29T12:00:00Z", "2026-03-29T12:00:00Z")
    assert spring == [("2026-03-29T00:00:00+00:00", "2026-03-30T00:00:00+01:00")]
    autumn = _starts(policy, "2026-10-25T12:00:00Z", "2026-10-25T12:00:00Z")
    assert autumn == [("2026-10-25T00:00:00+01:00", "2026-10-26T00:00:00+00:00")]


def test_weekly_windows_run_monday_to_monday() -> None:
    """2026-01-01 is a Thursday: its ISO week starts Monday 2025-12-29; the next on 2026-01-05."""
    got = _starts("sla x max <= 5 weekly", "2026-01-01T10:00:00Z", "2026-01-05T00:00:00Z")
    assert got == [
        ("2025-12-29T00:00:00+00:00", "2026-01-05T00:00:00+00:00"),
        ("2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00"),
    ]


def test_quarters_start_in_january_april_july_october() -> None:
    got = _starts("sla x max <= 5 quarterly", "2026-03-31T23:00:00Z", "2026-11-01T00:00:00Z")
    assert [s for s, _ in got] == [
        "2026-01-01T00:00:00+00:00",
        "2026-04-01T00:00:00+00:00",
        "2026-07-01T00:00:00+00:00",
        "2026-10-01T00:00:00+00:00",
    ]


def test_monthly_from_day_16_runs_from_the_16th_to_the_next_16th() -> None:
    """A time on 2026-02-15 belongs to the month that began on 2026-01-16."""
    got = _starts("sla x max <= 5 monthly from day 16", "2026-02-15T10:00:00Z", "2026-02-16T00:00:00Z")
    assert got == [
        ("2026-01-16T00:00:00+00:00", "2026-02-16T00:00:00+00:00"),
        ("2026-02-16T00:00:00+00:00", "2026-03-16T00:00:00+00:00"),
    ]


def test_quarterly_from_day_1_of_february_starts_in_february_may_august_november() -> None:
    got = _starts(
        "sla x max <= 5 quarterly from day 1 of February", "2026-01-10T00:00:00Z", "2026-05-01T00:00:00Z"
    )
    assert got == [
        ("2025-11-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"),
        ("2026-02-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00"),
        ("2026-05-01T00:00:00+00:00", "2026-08-01T00:00:00+00:00"),
    ]


def test_yearly_from_day_1_of_april_runs_april_to_april() -> None:
    got = _starts("sla x max <= 5 yearly from day 1 of April", "2026-03-31T12:00:00Z", "2026-04-01T00:00:00Z")
    assert got == [
        ("2025-04-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00"),
        ("2026-04-01T00:00:00+00:00", "2027-04-01T00:00:00+00:00"),
    ]


def test_windows_align_in_the_policy_time_zone() -> None:
    """23:30Z on 31 January is 00:30 on 1 February in Europe/Paris (UTC+1): it belongs to February."""
    report = evaluate(
        'timezone "Europe/Paris"\nsla x count >= 1 monthly',
        [{"metric": "x", "time": "2026-01-31T23:30:00Z", "value": 1}],
    )
    assert [(w["start"], w["samples"]) for w in windows(report)] == [("2026-02-01T00:00:00+01:00", 1)]


def test_a_day_that_skips_midnight_starts_at_its_first_instant() -> None:
    """Santiago, 2020-09-06: clocks jump from 23:59:59 -04:00 to 01:00 -03:00, so the day starts at
    01:00-03:00 (04:00Z) and the day before is 23 hours long."""
    got = _starts(
        'timezone "America/Santiago"\nsla x max <= 5 daily', "2020-09-05T12:00:00Z", "2020-09-06T12:00:00Z"
    )
    assert got == [
        ("2020-09-05T00:00:00-04:00", "2020-09-06T01:00:00-03:00"),
        ("2020-09-06T01:00:00-03:00", "2020-09-07T00:00:00-03:00"),
    ]
