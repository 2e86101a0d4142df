"""Business durations: start/end rows measured on the calendar for business thresholds only."""

from __future__ import annotations

from tests.engine.helpers import evaluate, windows

POLICY = """calendar "Mon-Fri 09:00-17:00"
sla "business": t max <= 1 business day monthly
sla "elapsed": t max <= 3h monthly
"""
# Friday 16:00 to Monday 10:00 (UTC): 66h elapsed, 1h on Friday + 1h on Monday = 2h of business time.
TICKET = {"metric": "t", "start": "2026-01-09T16:00:00Z", "end": "2026-01-12T10:00:00Z"}


def test_start_end_is_measured_in_business_time_for_a_business_threshold() -> None:
    """2h of business time against 1 business day (the calendar's 8h day = 28800 s): met."""
    report = evaluate(POLICY, [TICKET])
    clause = report["clauses"][0]
    assert clause["target"] == {"op": "<=", "value": 28800}
    (window,) = clause["windows"]
    assert (window["value"], window["status"]) == (7200.0, "met")
    assert "2h of business time" in window["explanation"]


def test_start_end_is_measured_in_elapsed_time_otherwise() -> None:
    """66h elapsed against 3h: breached."""
    (window,) = windows(evaluate(POLICY, [TICKET]), 1)
    assert (window["value"], window["status"]) == (237600.0, "breached")


def test_a_value_is_taken_as_already_measured_in_the_clause_units() -> None:
    """A value of 36000 s (10h) against 1 business day (8h): breached, whatever the calendar."""
    (window,) = windows(evaluate(POLICY, [{"metric": "t", "time": "2026-01-10T12:00:00Z", "value": 36000}]))
    assert (window["value"], window["status"]) == (36000.0, "breached")


def test_a_named_calendar_is_used_by_the_clause_that_chooses_it() -> None:
    """With `calendar weekend "Sat-Sun 00:00-24:00"`, Friday 16:00 to Monday 10:00 holds 48h of
    business time: above 8 business hours."""
    policy = (
        'calendar "Mon-Fri 09:00-17:00"\ncalendar weekend "Sat-Sun 00:00-24:00"\n'
        "sla t max <= 8 business hours monthly, calendar weekend\n"
    )
    (window,) = windows(evaluate(policy, [TICKET]))
    assert (window["value"], window["status"]) == (172800.0, "breached")
