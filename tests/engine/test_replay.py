"""Replay: both versions of a policy evaluated on the same measurements, compared by clause and fee period.

Figures are worked by hand: a fee of 100,000 EUR a month, so a 5% credit is
5,000 EUR and 8% is 8,000 EUR.
"""

from __future__ import annotations

from datetime import UTC, datetime

import dsl
from engine.measurements import Measurements
from engine.readers import read_measurements
from engine.replay import replay

HEAD = "fee 100000 EUR monthly\n"
P1 = 'sla "P1": resolution_time p95 < 4h monthly, credit 5%\n'

# January and March miss 4h (every ticket takes 5h = 18000 s); February meets it (3h = 10800 s).
ROWS = """metric,time,value
resolution_time,2026-01-10T10:00:00Z,18000
resolution_time,2026-01-20T10:00:00Z,18000
resolution_time,2026-02-10T10:00:00Z,10800
resolution_time,2026-03-10T10:00:00Z,18000
"""


def checked(text: str) -> dsl.CheckedPolicy:
    return dsl.check(dsl.parse(text))


def batch(text: str = ROWS) -> Measurements:
    return read_measurements(text.encode(), "csv")


def test_looser_target_replays_to_less_credit_per_clause_and_period() -> None:
    """Old: January and March breach < 4h, 2 x 5,000 = 10,000 EUR. New (< 6h): nothing breaches, 0 EUR."""
    result = replay(checked(HEAD + P1), checked(HEAD + P1.replace("< 4h", "< 6h")), batch()).to_dict()
    assert (result["old_total_credit"], result["new_total_credit"], result["difference"]) == (
        10000.0,
        0.0,
        -10000.0,
    )
    assert result["currency"] == "EUR"
    assert [
        (c["clause"], c["old"], c["new"], c["old_breaches"], c["new_breaches"]) for c in result["by_clause"]
    ] == [("p1", 10000.0, 0.0, 2, 0)]
    assert [(p["start"][:10], p["old"], p["new"], p["difference"]) for p in result["by_period"]] == [
        ("2026-01-01", 5000.0, 0.0, -5000.0),
        ("2026-02-01", 0.0, 0.0, 0.0),
        ("2026-03-01", 5000.0, 0.0, -5000.0),
    ]


def test_renamed_clause_is_replayed_beside_its_old_version() -> None:
    """Renamed and raised to 8%: two breaches are 2 x 8,000 = 16,000 EUR against 10,000 EUR."""
    new = HEAD + P1.replace('"P1"', '"Priority 1"').replace("credit 5%", "credit 8%")
    result = replay(checked(HEAD + P1), checked(new), batch()).to_dict()
    (clause,) = result["by_clause"]
    assert (clause["old_clause"], clause["new_clause"], clause["old"], clause["new"]) == (
        "p1",
        "priority-1",
        10000.0,
        16000.0,
    )
    assert result["difference"] == 6000.0


def test_removed_and_added_clauses_have_no_figure_on_the_missing_side() -> None:
    """The added backlog clause breaches once (60 > 50) in February: 1% = 1,000 EUR."""
    rows = ROWS + "backlog,2026-02-15T00:00:00Z,60\n"
    added = 'sla "Backlog": backlog max <= 50 monthly, credit 1%\n'
    result = replay(checked(HEAD + P1), checked(HEAD + added), batch(rows)).to_dict()
    found = [(c["clause"], c["old"], c["new"]) for c in result["by_clause"]]
    assert found == [("p1", 10000.0, None), ("backlog", None, 1000.0)]
    assert (result["old_total_credit"], result["new_total_credit"]) == (10000.0, 1000.0)


def test_both_versions_start_at_the_first_measurement_either_uses() -> None:
    """The new version also measures backlog, first seen in December: the old one's range starts there too."""
    rows = "metric,time,value\nbacklog,2025-12-15T00:00:00Z,10\n" + ROWS.split("\n", 1)[1]
    new = HEAD + P1 + 'sla "Backlog": backlog max <= 50 monthly, credit 1%\n'
    result = replay(checked(HEAD + P1), checked(new), batch(rows)).to_dict()
    assert result["range"]["old"]["from"] == result["range"]["new"]["from"] == "2025-12-15T00:00:00+00:00"
    assert result["by_period"][0]["start"][:7] == "2025-12"


def test_explicit_bounds_apply_to_both_versions() -> None:
    """Only January is inside the range: one breach, 5,000 EUR old, 0 EUR new."""
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    result = replay(
        checked(HEAD + P1), checked(HEAD + P1.replace("< 4h", "< 6h")), batch(), start=start, end=end
    ).to_dict()
    assert (result["old_total_credit"], result["new_total_credit"]) == (5000.0, 0.0)
    assert len(result["by_period"]) == 1


def test_without_a_fee_money_is_null_and_breaches_still_compare() -> None:
    result = replay(checked(P1), checked(P1.replace("< 4h", "< 6h")), batch()).to_dict()
    assert (result["old_total_credit"], result["new_total_credit"], result["difference"]) == (
        None,
        None,
        None,
    )
    assert result["by_period"] == []
    (clause,) = result["by_clause"]
    assert (clause["old"], clause["new"], clause["old_breaches"], clause["new_breaches"]) == (
        None,
        None,
        2,
        0,
    )


def test_another_fee_period_lists_both_sets_of_periods_with_null_where_absent() -> None:
    """Quarterly fee of 300,000 EUR: 5% is 15,000 EUR per breached month, all in Q1 (2 x 15,000 = 30,000)."""
    new = HEAD.replace("100000 EUR monthly", "300000 EUR quarterly") + P1
    result = replay(checked(HEAD + P1), checked(new), batch()).to_dict()
    assert (result["old_total_credit"], result["new_total_credit"]) == (10000.0, 30000.0)
    periods = [(p["start"][:10], p["end"][:10], p["old"], p["new"]) for p in result["by_period"]]
    assert periods == [
        ("2026-01-01", "2026-02-01", 5000.0, None),
        ("2026-01-01", "2026-04-01", None, 30000.0),
        ("2026-02-01", "2026-03-01", 0.0, None),
        ("2026-03-01", "2026-04-01", 5000.0, None),
    ]


def test_bonuses_are_totalled_apart_from_credits() -> None:
    """February's p95 of 3h meets `< 4h`; a bonus of 1% if < 3h30m pays 1,000 EUR on it only."""
    new = HEAD + P1.replace("credit 5%", "credit 5%, bonus 1% if < 3h30m")
    result = replay(checked(HEAD + P1), checked(new), batch()).to_dict()
    assert (result["old_total_bonus"], result["new_total_bonus"]) == (0.0, 1000.0)
    assert result["difference"] == 0.0
