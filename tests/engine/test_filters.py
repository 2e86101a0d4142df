"""Filters and rows that lack a dimension (language.md, Filters)."""

from __future__ import annotations

from tests.engine.helpers import evaluate, windows

ROWS = [
    {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1, "priority": "P1"},
    {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1, "priority": "P2"},
    {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1},  # lacks the dimension
]


def _count(where: str, rows: list[dict[str, object]] = ROWS) -> int:
    (window,) = windows(evaluate(f"sla x count >= 0 monthly where {where}", rows))
    return int(window["samples"])


def test_a_row_lacking_the_dimension_fails_equals_and_in() -> None:
    assert _count('priority = "P1"') == 1
    assert _count('priority in ("P1", "P2")') == 2


def test_a_row_lacking_the_dimension_passes_not_equals_and_not_in() -> None:
    assert _count('priority != "P1"') == 2
    assert _count('priority not in ("P1", "P2")') == 1


def test_a_dimension_no_row_has_at_all_follows_the_same_rules() -> None:
    """No column `region`: = matches none of the 3 rows, != matches all 3."""
    assert _count('region = "EU"') == 0
    assert _count('region != "EU"') == 3
    assert _count('region not in ("EU")') == 3


def test_filters_joined_with_and_must_all_hold() -> None:
    rows = [
        *ROWS,
        {"metric": "x", "time": "2026-01-05T10:00:00Z", "value": 1, "priority": "P1", "channel": "phone"},
    ]
    assert _count('priority = "P1" and channel = "phone"', rows) == 1


def test_values_compare_with_their_case() -> None:
    assert _count('priority = "p1"') == 0


def test_long_value_lists_follow_the_same_rules() -> None:
    """Nine listed values (another code path): P1 and P2 match `in`, the row lacking it `not in`."""
    listed = ", ".join(f'"P{i}"' for i in range(1, 10))
    assert _count(f"priority in ({listed})") == 2
    assert _count(f"priority not in ({listed})") == 1
