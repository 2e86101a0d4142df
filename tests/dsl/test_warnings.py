"""The checker's warnings (W5xx): valid policies that are almost certainly not what was meant.

Warnings are returned in ``CheckedPolicy.warnings`` only when the policy has no
error; the example policies in policies/ must raise none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dsl
from tests.dsl.test_checker import at, check_text

POLICIES = sorted((Path(__file__).parents[2] / "policies").glob("*.sla"))


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_example_policies_check_without_warnings(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    checked = dsl.check(dsl.parse(source, str(path)), source=source, filename=str(path))
    assert [str(w) for w in checked.warnings] == []


def test_there_are_six_example_policies() -> None:
    assert len(POLICIES) == 6


FEE = "fee 100000 EUR monthly\ncap 50%\n"


def warn(text: str) -> tuple[dsl.Diagnostic, ...]:
    return check_text(text).warnings


def only(text: str, code: str) -> dsl.Diagnostic:
    found = warn(text)
    assert [w.code for w in found] == [code], [str(w) for w in found]
    assert found[0].severity is dsl.Severity.WARNING and found[0].hint
    return found[0]


def test_tiers_that_rise_with_the_miss_give_no_warning() -> None:
    assert warn(FEE + "availability mean >= 99.9% monthly, credit 5%, 10% if < 99.5%, 20% if < 99%\n") == ()


def test_tier_that_holds_only_while_target_met_never_applies() -> None:
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 8% if < 2h\n", "W501")
    at(d, 3, 32, "`8% if < 2h` can never apply", "only while the target `< 4h` is met")
    assert d.width == len("8% if < 2h")


def test_tier_that_never_holds_never_applies() -> None:
    """A percentage is never below 0%, so `10% if < 0%` never holds."""
    d = only(FEE + "a mean >= 99.9% monthly, credit 5%, 10% if < 0%\n", "W501")
    at(d, 3, 37, "never holds")


def test_tier_under_a_larger_tier_everywhere_never_applies() -> None:
    """Values above 6h are also above 5h, where 20% > 10%: the 10% tier never applies."""
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 20% if > 5h, 10% if > 6h\n", "W501")
    at(d, 3, 45, "`10% if > 6h` can never apply", "`20% if > 5h` holds wherever it holds")


def test_tier_that_holds_while_target_met_replaces_base_on_every_breach() -> None:
    """`>= 3h` holds for met values 3h..4h and for every breach (>= 4h): the base 5% never applies."""
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 8% if >= 3h\n", "W502")
    at(d, 3, 32, "also holds while the target `< 4h` is met", "on every breach")


def test_tier_smaller_than_base_credit_warns_since_it_replaces_the_base() -> None:
    """language.md: the largest tier that holds replaces the base, also when smaller (5% -> 2% over 8h)."""
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 2% if > 8h\n", "W503")
    at(d, 3, 32, "smaller than the base credit `credit 5%`", "lowers the credit")


def test_tier_smaller_than_money_base_compares_as_share_of_fee() -> None:
    """5000 EUR of a 100000 EUR fee is 5%; a 2% tier is smaller."""
    d = only(FEE + "x p95 < 4h monthly, credit 5000 EUR, 2% if > 8h\n", "W503")
    at(d, 3, 38, "smaller than the base credit `credit 5000 EUR`")
    assert warn(FEE + "x p95 < 4h monthly, credit 5000 EUR, 6% if > 8h\n") == ()


def test_tiers_that_leave_a_gap_warn() -> None:
    """Breaches 4h..6h get 15%, but a worse miss of 6h or more falls back to the base 5%."""
    found = warn(FEE + "x p95 < 4h monthly, credit 5%, 15% if < 6h\n")
    assert [w.code for w in found] == ["W502", "W504"]
    at(found[1], 3, 32, "the tiers leave a gap", "a value of 6h gets less credit than 4h")


def test_tiers_with_a_band_between_two_tails_leave_a_gap() -> None:
    """Target >= 99.9%: 10% below 99.5%, and 20% only at or above 99.7% (a band 99.7%..99.9%)."""
    found = warn(FEE + "a mean >= 99.9% monthly, credit 5%, 10% if < 99.5%, 20% if >= 99.7%\n")
    assert "W504" in [w.code for w in found]


def test_bonus_paid_on_every_met_window_warns() -> None:
    d = only(FEE + "orders sum >= 12000 monthly, bonus 2% if >= 10000\n", "W505")
    at(d, 3, 30, "paid on every met window", "no better than the target `>= 12000`")


def test_bonus_that_can_never_be_paid_warns() -> None:
    d = only(FEE + "x p95 < 4h monthly, bonus 2% if < 0s\n", "W506")
    at(d, 3, 21, "can never be paid")


def test_bonus_beyond_the_target_gives_no_warning() -> None:
    assert warn(FEE + "orders sum >= 12000 monthly, bonus 2% if >= 13000\n") == ()


def test_kpi_looser_than_sla_on_same_metric_window_and_filter_conflicts() -> None:
    text = (
        FEE
        + 'sla "P1": x p95 < 4h monthly where priority = "P1", credit 5%\n'
        + 'kpi "P1 ops": x p95 < 6h monthly where priority = "P1"\n'
    )
    d = only(text, "W510")
    at(d, 4, 15, "`< 6h` conflicts with the target `< 4h`", 'sla "P1"', "meet the kpi while it breaches")


def test_kpi_with_opposite_target_conflicts() -> None:
    d = only('sla "S": orders sum >= 100 monthly\nkpi "K": orders sum <= 50 monthly\n', "W510")
    at(d, 2, 10, "opposite ways")


def test_kpi_stricter_than_sla_or_on_other_scope_is_no_conflict() -> None:
    assert warn('sla "S": x p95 < 4h monthly\nkpi "K": x p95 < 3h monthly\n') == ()
    assert warn('sla "S": x p95 < 4h monthly\nkpi "K": x p95 < 6h weekly\n') == ()
    assert warn('sla "S": x p95 < 4h monthly\nkpi "K": x p95 < 6h monthly where a = "b"\n') == ()
    assert warn('sla "S": x p95 < 4h monthly\nkpi "K": x mean < 6h monthly\n') == ()


def test_kpi_share_form_with_lower_share_conflicts() -> None:
    d = only('sla "S": 95% of x <= 4h monthly\nkpi "K": 90% of x <= 4h monthly\n', "W510")
    at(d, 2, 10, "`90% <= 4h` conflicts")


def test_pool_allocations_past_100_percent_warn() -> None:
    """60% + 50% = 110% of the pool; the warning is on the clause that passes 100%."""
    text = FEE + "a mean < 4h monthly, credit 60% of pool\nb mean < 4h monthly, credit 50% of pool\n"
    d = only(text, "W520")
    at(d, 4, 22, "add up to 110%")
    assert d.width == len("credit 50% of pool")


def test_pool_allocations_of_exactly_100_percent_are_fine() -> None:
    text = FEE + "a mean < 4h monthly, credit 60% of pool\nb mean < 4h monthly, credit 40% of pool\n"
    assert warn(text) == ()


def test_min_samples_beyond_plausible_volume_warns_scaled_by_window() -> None:
    """1,000,000 a day: a daily window may ask for 1,000,000, a weekly one for 7,000,000."""
    d = only("x p95 < 4h daily, min 1_000_001 samples\n", "W530")
    at(d, 1, 19, "`min 1,000,001 samples` in a daily window", "1,000,000")
    assert warn("x p95 < 4h daily, min 1_000_000 samples\n") == ()
    assert warn("x p95 < 4h weekly, min 7_000_000 samples\n") == ()
    assert [w.code for w in warn("x p95 < 4h weekly, min 7_000_001 samples\n")] == ["W530"]
    assert warn("x p95 < 4h monthly, min 31_000_000 samples\n") == ()


def test_filter_value_cased_differently_in_another_clause_warns() -> None:
    text = 'x p95 < 4h monthly where priority = "P1"\ny p95 < 8h monthly where priority = "p1"\n'
    d = only(text, "W540")
    at(d, 2, 26, '`priority` is "p1" here but "P1" in another clause on line 1')
    assert d.width == len('priority = "p1"')


def test_filter_values_in_lists_and_other_dimensions_are_compared_per_dimension() -> None:
    text = (
        'x p95 < 4h monthly where priority in ("P1", "P2")\n'
        'y p95 < 8h monthly where region = "p1" and priority not in ("p2")\n'
    )
    d = only(text, "W540")
    assert d.line == 2 and '"p2"' in d.message
    assert warn('x p95 < 4h monthly where priority = "P1"\ny mean < 8h monthly where priority = "P1"\n') == ()


def test_warnings_are_not_returned_with_errors() -> None:
    text = (
        'x p95 < 4h monthly where priority = "P1"\ny p95 < 8h monthly where priority = "p1", min 0 samples\n'
    )
    with pytest.raises(dsl.PolicyCheckError) as raised:
        check_text(text)
    assert [d.code for d in raised.value.diagnostics] == ["E362"]


def test_undeclared_metric_close_to_a_declared_one_warns() -> None:
    text = "metric resolution_time duration\nresolution_tme p95 < 4h monthly\n"
    d = only(text, "W550")
    at(d, 2, 1, "`resolution_tme` is not declared, but `resolution_time` is")
    assert d.hint is not None and "did you mean `resolution_time`?" in d.hint
    assert warn("metric resolution_time duration\nbacklog max <= 50 weekly\n") == ()


def test_credit_or_tier_above_the_maximum_warns() -> None:
    """`max 8%` cuts the 10% tier to 8% on every window it applies to; the 5% base is below it."""
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 10% if > 8h, max 8%\n", "W507")
    at(d, 3, 32, "tier `10% if > 8h` is more than `max 8%`", "cuts it to 8%")
    d = only(FEE + "x p95 < 4h monthly, credit 5000 EUR, max 4%\n", "W507")
    at(d, 3, 21, "base credit `credit 5000 EUR` is more than `max 4%`")
    assert warn(FEE + "backlog max <= 50 weekly, credit 1% per 10 over, max 5%\n") == ()


def test_clause_listing_both_spellings_is_deliberate() -> None:
    text = 'x p95 < 4h monthly where priority in ("P1", "p1")\ny p95 < 8h monthly where priority = "p1"\n'
    assert warn(text) == ()


def test_tier_that_holds_on_every_breach_leaves_the_base_dead() -> None:
    """Target < 4h is breached exactly at 4h or more, where `8% if >= 4h` holds: 5% never applies."""
    d = only(FEE + "x p95 < 4h monthly, credit 5%, 8% if >= 4h\n", "W508")
    at(d, 3, 32, "holds on every breach of `< 4h`", "base credit `credit 5%` never applies")


def test_w560_a_fee_in_a_currency_that_is_not_iso_4217_is_warned_with_the_nearest_common_code() -> None:
    """`EUD` is one letter from EUR (and from other codes): the common currency is suggested.
    A warning, not an error: ISO adds codes, and the policy stays usable."""
    source = "fee 5000 EUD monthly\nx p95 < 4h monthly, credit 5%\n"
    (warning,) = dsl.check(dsl.parse(source), source=source).warnings
    assert (warning.code, warning.line, warning.column) == ("W560", 1, 5)
    assert "`EUD` is not an ISO 4217 currency code" in warning.message
    assert warning.hint == "did you mean `EUR`?"


def test_w560_is_silent_for_iso_4217_codes_old_and_new() -> None:
    for code in ("EUR", "GBP", "NOK", "XCG", "ZWG", "CHF"):
        source = f"fee 5000 {code} monthly\nx p95 < 4h monthly, credit 5%\n"
        assert dsl.check(dsl.parse(source), source=source).warnings == ()


def test_w570_a_filter_on_the_empty_text_matches_nothing_and_is_warned() -> None:
    """language.md, Filters and Rows: an empty cell means the row lacks the dimension, and a row
    lacking it does not match `=`; so `site = ""` can never match and the clause has no data."""
    source = 'x p95 < 4h monthly where site = ""\ny p95 < 4h monthly where site not in ("", "B")\n'
    first, second = dsl.check(dsl.parse(source), source=source).warnings
    assert (first.code, first.line, first.column) == ("W570", 1, 26)
    assert "`=` matches no row" in first.message
    assert (second.code, second.line) == ("W570", 2) and "keeps no row out of `not in`" in second.message
