"""The contract diff: clause matching (identity, rename, similarity), reordering, the record shape."""

from __future__ import annotations

from pathlib import Path

import pytest

import dsl
from engine.diff import Change, diff

POLICIES = sorted((Path(__file__).parents[2] / "policies").glob("*.sla"))

BASE = """\
policy "Acme Service Desk"
client "Acme Ltd"
provider "ServiceCo plc"
fee 120000 EUR monthly
cap 12%
sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1", credit 5%
sla "Availability": availability mean >= 99.9% monthly, credit 5%, 10% if < 99.5%
kpi "Handle time": handle_time mean <= 6m monthly
"""


def checked(text: str) -> dsl.CheckedPolicy:
    return dsl.check(dsl.parse(text))


def changes(old: str, new: str) -> tuple[Change, ...]:
    return diff(checked(old), checked(new)).changes


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_a_policy_diffed_with_itself_has_no_changes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert changes(text, text) == ()


def test_reordering_clauses_and_headers_is_no_change() -> None:
    lines = BASE.splitlines()
    shuffled = "\n".join([lines[6], lines[4], lines[7], lines[0], lines[5], lines[2], lines[1], lines[3]])
    assert changes(BASE, shuffled) == ()


def test_reformatting_is_no_change() -> None:
    loose = BASE.replace("p95 < 4h monthly", "p95 under 4 hours per month").replace(
        "mean <= 6m", "average at most 6 minutes"
    )
    tiers = ",\n    credit 5% per breach,\n    10% if below 99.5%"
    loose = loose.replace(", credit 5%, 10% if < 99.5%", tiers)
    assert changes(BASE, loose) == ()


def test_filter_tests_and_tiers_in_another_order_are_no_change() -> None:
    old = 'x p95 < 4h monthly where a = "1" and b in ("x", "y"), credit 5%, 10% if >= 8h, 20% if >= 12h\n'
    new = 'x p95 < 4h monthly where b in ("y", "x") and a = "1", credit 5%, 20% if >= 12h, 10% if >= 8h\n'
    assert changes(old, new) == ()


def test_median_is_p50_and_day_1_anchor_is_the_plain_window() -> None:
    assert changes("x median < 4h monthly\n", "x p50 < 4h monthly from day 1\n") == ()


def test_a_changed_target_is_one_record_with_the_interface_shape() -> None:
    """interfaces.md: {"clause": "p1-resolution", "field": "target", "old": "< 4h", "new": "< 6h", ...}."""
    (change,) = changes(BASE, BASE.replace("p95 < 4h", "p95 < 6h"))
    data = change.to_dict()
    assert {k: data[k] for k in ("clause", "field", "old", "new", "favours")} == {
        "clause": "p1-resolution",
        "field": "target",
        "old": "< 4h",
        "new": "< 6h",
        "favours": "provider",
    }
    assert data["summary"] == (
        "P1 resolution: p95 target loosened from < 4h to < 6h, in favour of the provider (ServiceCo plc)."
    )
    assert diff(checked(BASE), checked(BASE)).to_dict() == {"changes": []}


def test_a_renamed_clause_with_unchanged_content_is_a_rename_not_removal_and_addition() -> None:
    (change,) = changes(BASE, BASE.replace('"P1 resolution"', '"Priority 1 resolution"'))
    assert (change.clause, change.field, change.old, change.new) == (
        "p1-resolution",
        "name",
        "P1 resolution",
        "Priority 1 resolution",
    )
    assert change.favours == "unclear" and "favours neither party" in change.summary


def test_naming_an_unnamed_clause_is_a_rename() -> None:
    (change,) = changes("x p95 < 4h monthly, credit 5%\n", 'sla "Speed": x p95 < 4h monthly, credit 5%\n')
    assert (change.clause, change.field, change.old, change.new) == ("x-p95", "name", None, "Speed")


def test_a_renamed_and_changed_clause_is_matched_by_similarity() -> None:
    new = BASE.replace('"P1 resolution": resolution_time p95 < 4h', '"P1 fix time": resolution_time p95 < 6h')
    found = {(c.clause, c.field, c.old, c.new) for c in changes(BASE, new)}
    assert found == {
        ("p1-resolution", "name", "P1 resolution", "P1 fix time"),
        ("p1-resolution", "target", "< 4h", "< 6h"),
    }


def test_an_unnamed_clause_whose_id_changes_with_one_term_is_matched_not_replaced() -> None:
    """An unnamed clause's id is made from its aggregation: p95 -> p99 changes it, yet it is one clause."""
    (change,) = changes("x p95 < 4h monthly, credit 5%\n", "x p99 < 4h monthly, credit 5%\n")
    assert (change.clause, change.field, change.old, change.new, change.favours) == (
        "x-p95",
        "aggregation",
        "p95",
        "p99",
        "client",
    )


def test_unrelated_clauses_are_a_removal_and_an_addition() -> None:
    old = 'sla "A": resolution_time p95 < 4h monthly where priority = "P1", credit 5%\n'
    new = 'sla "B": orders_processed sum >= 12000 weekly, bonus 2% if >= 13000\n'
    found = [(c.clause, c.field, c.favours) for c in changes(old, new)]
    assert found == [("a", "clause", "provider"), ("b", "clause", "provider")]  # b only pays a bonus


def test_added_sla_with_credit_favours_client_and_removed_favours_provider() -> None:
    extra = 'sla "Backlog": backlog max <= 50 weekly, credit 1%\n'
    (added,) = changes(BASE, BASE + extra)
    (removed,) = changes(BASE + extra, BASE)
    assert (added.clause, added.field, added.old, added.favours) == ("backlog", "clause", None, "client")
    assert added.new == 'sla "Backlog": backlog max <= 50 weekly, credit 1%'
    assert (removed.clause, removed.new, removed.favours) == ("backlog", None, "provider")


def test_added_kpi_carries_no_consequence_so_it_is_unclear() -> None:
    (added,) = changes(BASE, BASE + 'kpi "Queue": backlog max <= 50 weekly\n')
    assert added.favours == "unclear" and "no credit or other consequence" in added.summary


def test_pairs_set_each_old_clause_beside_its_new_version() -> None:
    new = BASE.replace('"P1 resolution"', '"P1 fix"').replace(BASE.splitlines()[-1] + "\n", "")
    pairs = [(p.old, p.new) for p in diff(checked(BASE), checked(new)).pairs]
    assert pairs == [("p1-resolution", "p1-fix"), ("availability", "availability"), ("handle-time", None)]


def test_many_unmatched_clauses_are_weighed_only_against_clauses_on_the_same_metric(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the pair budget, a renamed and changed clause is still found among clauses on its own metric."""
    monkeypatch.setattr("engine.diff_match.MAX_PAIRS_COMPARED", 0)
    new = BASE.replace('"P1 resolution": resolution_time p95 < 4h', '"P1 fix time": resolution_time p95 < 6h')
    assert [c.field for c in changes(BASE, new)] == ["name", "target"]
    monkeypatch.setattr("engine.diff_match.MAX_PAIRS_PER_METRIC", 0)
    assert [(c.clause, c.field) for c in changes(BASE, new)] == [
        ("p1-resolution", "clause"),
        ("p1-fix-time", "clause"),
    ]


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_an_example_policy_against_its_canonical_text_has_no_changes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert changes(text, dsl.format_policy(dsl.parse(text))) == ()


def test_timezone_utc_is_the_default_so_writing_it_is_no_change() -> None:
    assert changes(BASE, BASE + 'timezone "UTC"\n') == ()
