"""The checker's error rules (E3xx, E4xx): one named test per rule of language.md.

Each test checks the code, the line and column, the key words of the message
and that a hint is given. The helpers here are shared with the other checker tests.
"""

from __future__ import annotations

import dataclasses
import textwrap
from decimal import Decimal

import pytest

import dsl
from dsl.errors import Diagnostic


def check_text(text: str) -> dsl.CheckedPolicy:
    """Parse and check a (dedented) policy text."""
    source = textwrap.dedent(text).lstrip("\n")
    return dsl.check(dsl.parse(source, "p.sla"), source=source, filename="p.sla")


def errors(text: str) -> tuple[Diagnostic, ...]:
    """Every error of a policy that must fail the check."""
    with pytest.raises(dsl.PolicyCheckError) as raised:
        check_text(text)
    return raised.value.diagnostics


def only_error(text: str, code: str) -> Diagnostic:
    """The one error of a policy, which must have ``code``."""
    found = errors(text)
    assert [d.code for d in found] == [code], [str(d) for d in found]
    return found[0]


def at(diagnostic: Diagnostic, line: int, column: int, *words: str) -> None:
    """Assert the diagnostic's place and that its message holds ``words``."""
    assert (diagnostic.line, diagnostic.column) == (line, column), str(diagnostic)
    for word in words:
        assert word in diagnostic.message, str(diagnostic)
    assert diagnostic.hint, "every check diagnostic gives a hint"
    assert diagnostic.snippet is not None


FEE = "fee 100000 EUR monthly\ncap 12%\n"


# --- types (E30x) ------------------------------------------------------------


def test_target_of_declared_metric_must_have_its_kind() -> None:
    d = only_error("metric availability ratio\navailability mean >= 4h monthly\n", "E301")
    at(d, 2, 22, "`availability` is declared a ratio metric on line 1", "percentage", "4h")
    assert d.width == 2


def test_count_target_is_a_bare_number_whatever_the_metric() -> None:
    d = only_error("metric resolution_time duration\nresolution_time count <= 4h monthly\n", "E301")
    at(d, 2, 26, "`count` yields a number", "4h")
    check_text("metric resolution_time duration\nresolution_time count <= 400 monthly\n")


def test_count_and_number_metrics_are_compared_with_bare_numbers() -> None:
    checked = check_text("metric orders count\norders sum >= 100 monthly\n")
    assert checked.metric_kinds["orders"] is dsl.ast.MetricKind.COUNT
    d = only_error("metric orders count\norders sum >= 100% monthly\n", "E301")
    at(d, 2, 15, "count metric", "bare number", "100%")


def test_share_form_inner_target_has_the_metric_kind() -> None:
    d = only_error("metric answer_time duration\n80% of answer_time <= 20% daily\n", "E301")
    at(d, 2, 23, "`answer_time` is declared a duration metric", "20%")


def test_undeclared_metric_takes_kind_from_first_use_and_later_other_kind_is_error() -> None:
    d = only_error("x p95 < 4h monthly\nx mean >= 99% weekly\n", "E302")
    at(d, 2, 11, "`x` was first used as a duration metric on line 1", "percentage (99%)")


def test_undeclared_metric_kind_is_not_settled_by_count() -> None:
    """`count` says nothing of the metric: the later duration use settles it; count alone is a number."""
    checked = check_text("x count >= 5 monthly\nx p95 < 4h monthly\ny count >= 1 daily\n")
    assert checked.metric_kinds == {"x": dsl.ast.MetricKind.DURATION, "y": dsl.ast.MetricKind.NUMBER}
    assert list(check_text("z count >= 1 daily\ny count >= 1 daily\n").metric_kinds) == ["z", "y"]


def test_business_duration_counts_as_a_duration_for_the_metric_kind() -> None:
    checked = check_text(
        'calendar "Mon-Fri 09:00-17:00"\nx p95 < 8 business hours monthly\nx max < 3d monthly\n'
    )
    assert checked.metric_kinds["x"] is dsl.ast.MetricKind.DURATION


def test_tier_threshold_must_have_the_kind_of_the_clause_value() -> None:
    d = only_error(FEE + "availability mean >= 99.9% monthly, credit 5%, 10% if < 4h\n", "E303")
    at(d, 3, 57, "the tier compares the window's value", "percentage", "a duration (4h)")


def test_share_form_value_is_a_percentage_for_tiers_and_bonus() -> None:
    d = only_error(FEE + "95% of x <= 4h monthly, credit 2%, 5% if > 8h\n", "E303")
    at(d, 3, 44, "share of values", "a duration (8h)")
    check_text(FEE + "95% of x <= 4h monthly, credit 2%, 5% if < 90%, bonus 1% if >= 99%\n")


def test_tier_on_count_is_a_bare_number() -> None:
    d = only_error(FEE + "x count <= 400 monthly, credit 2%, 5% if > 10m\n", "E303")
    at(d, 3, 44, "`count` of `x`", "bare number", "10m")


def test_bonus_threshold_must_have_the_kind_of_the_clause_value() -> None:
    d = only_error(FEE + "orders sum >= 100 monthly, bonus 2% if >= 99%\n", "E303")
    at(d, 3, 43, "the bonus compares", "bare number", "99%")


def test_business_time_clause_needs_business_tiers() -> None:
    text = (
        'calendar "Mon-Fri 09:00-17:00"\n'
        + FEE
        + "x p95 <= 8 business hours monthly, credit 2%, 5% if > 16h\n"
    )
    d = only_error(text, "E303")
    at(d, 4, 55, "in business time", "a duration (16h)")


def test_linear_step_must_have_the_kind_of_the_clause_value() -> None:
    d = only_error(FEE + "backlog max <= 50 weekly, credit 1% per 10% over\n", "E304")
    at(d, 3, 27, "step 10% is a percentage", "bare number")
    assert d.width == len("credit 1% per 10% over")


# --- ids and declarations (E31x) -------------------------------------------------


def test_two_clauses_with_the_same_id_are_an_error() -> None:
    d = only_error('sla "P1": x p95 < 4h monthly\nkpi "p1": y mean < 2h daily\n', "E310")
    at(d, 2, 1, "`p1`", "line 1")


def test_metric_declared_twice_is_an_error() -> None:
    d = only_error("metric x duration\nmetric x duration\n", "E311")
    at(d, 2, 1, "`x` is declared twice", "line 1")


# --- consequences (E32x) ------------------------------------------------------------


def test_consequence_on_kpi_is_an_error_that_says_so() -> None:
    d = only_error('kpi "K": x p95 < 4h monthly, credit 5%\n', "E320")
    at(d, 1, 30, "a kpi carries no consequence", "credit 5%")
    assert d.width == len("credit 5%")
    assert "sla" in (d.hint or "")


def test_every_consequence_on_kpi_is_reported_but_owner_min_and_calendar_are_allowed() -> None:
    text = (
        'calendar support "Mon-Sun 07:00-22:00"\n'
        'kpi x p95 < 4h monthly, min 5 samples, calendar support, owner "Ops",\n'
        "    credit 5%, 10% if > 8h, max 8%, earn back after 2 met, chronic 3 of 6, bonus 1% if < 1h\n"
    )
    found = errors(text)
    assert [d.code for d in found] == ["E320"] * 6
    assert [d.column for d in found] == [5, 16, 29, 37, 60, 76]


def test_pool_credit_needs_a_cap() -> None:
    d = only_error("fee 1000 EUR monthly\nx p95 < 4h monthly, credit 40% of pool\n", "E321")
    at(d, 2, 21, "pool credit", "no `cap`")
    assert d.width == len("credit 40% of pool")


def test_percentage_cap_without_fee_is_an_error() -> None:
    d = only_error("cap 12%\nx p95 < 4h monthly, credit 5%\n", "E322")
    at(d, 1, 1, "`cap 12%`", "no `fee`")


def test_annual_cap_without_fee_is_an_error() -> None:
    d = only_error("annual cap 10%\nx p95 < 4h monthly, credit 5%\n", "E322")
    at(d, 1, 1, "`annual cap 10%`", "no `fee`")


def test_money_credit_needs_a_fee() -> None:
    d = only_error("x p95 < 4h monthly, credit 5000 EUR\n", "E323")
    at(d, 1, 28, "5000 EUR needs a `fee`")


def test_money_cap_needs_a_fee() -> None:
    d = only_error("cap 20000 EUR\n", "E323")
    at(d, 1, 5, "20000 EUR needs a `fee`")


def test_money_must_be_in_the_fee_currency() -> None:
    text = (
        "fee 1000 EUR monthly\ncap 200 GBP\n"
        "x p95 < 4h monthly, credit 50 USD, max 60 EUR, bonus 5 CHF if < 1h\n"
    )
    found = errors(text)
    assert [(d.code, d.line, d.column) for d in found] == [("E324", 2, 5), ("E324", 3, 28), ("E324", 3, 54)]
    assert "not in the fee's currency, EUR" in found[0].message


def test_tier_max_and_earn_back_need_a_credit() -> None:
    found = errors(FEE + "x p95 < 4h monthly, 10% if > 8h, max 5%, earn back after 2 met\n")
    assert [(d.code, d.column) for d in found] == [("E325", 21), ("E325", 34), ("E325", 42)]
    assert "refines a credit, but the clause has none" in found[0].message


def test_tier_cannot_follow_a_pool_credit() -> None:
    d = only_error(FEE + "x p95 < 4h monthly, credit 40% of pool, 60% if > 8h\n", "E326")
    at(d, 3, 41, "pool credit")


def test_two_options_of_one_kind_are_an_error() -> None:
    text = (
        FEE
        + "x p95 < 4h monthly, credit 5%, credit 2% per 1h over, max 8%, max 9%,"
        + " min 2 samples, min 3 samples\n"
    )
    found = errors(text)
    assert [(d.code, d.column) for d in found] == [("E330", 32), ("E330", 63), ("E330", 86)]
    assert "second credit" in found[0].message
    assert "second maximum" in found[1].message


# --- linear credit, counts (E34x, E36x) ---------------------------------------------


def test_linear_credit_direction_that_can_never_apply_is_an_error() -> None:
    d = only_error(FEE + "orders sum >= 12000 monthly, credit 2% per 1000 over\n", "E340")
    at(d, 3, 30, "misses it by being under", "can never apply")
    assert "per 1000 under" in (d.hint or "")


def test_linear_credit_on_share_form_accrues_under() -> None:
    d = only_error(FEE + "95% of x <= 4h monthly, credit 1% per 1% over\n", "E340")
    at(d, 3, 25, "at least 95%", "under")
    check_text(FEE + "95% of x <= 4h monthly, credit 1% per 1% under\n")


def test_linear_credit_step_must_be_above_zero() -> None:
    d = only_error(FEE + "backlog max <= 50 weekly, credit 1% per 0 over\n", "E341")
    at(d, 3, 27, "more than zero")


def test_chronic_needs_breaches_no_more_than_windows() -> None:
    d = only_error(FEE + "x p95 < 4h monthly, credit 5%, chronic 7 of 6\n", "E360")
    at(d, 3, 32, "7 breaches cannot happen within 6 windows")
    assert d.width == len("chronic 7 of 6")


def test_chronic_with_zero_is_an_error() -> None:
    d = only_error(FEE + "x p95 < 4h monthly, chronic 0 of 6\n", "E360")
    at(d, 3, 21, "at least 1")


def test_earn_back_after_zero_is_an_error() -> None:
    d = only_error(FEE + "x p95 < 4h monthly, credit 5%, earn back after 0 met\n", "E361")
    at(d, 3, 32, "earn back after 0 met")
    assert d.width == len("earn back after 0 met")


def test_min_zero_samples_is_an_error() -> None:
    d = only_error("x p95 < 4h monthly, min 0 samples\n", "E362")
    at(d, 1, 21, "min 0 samples")


# --- references (E4xx) and calendars -------------------------------------------------


def test_unknown_calendar_name_is_an_error_with_did_you_mean() -> None:
    text = 'calendar support "Mon-Sun 07:00-22:00"\nx p95 < 8 business hours monthly, calendar suport\n'
    d = only_error(text, "E401")
    at(d, 2, 35, "no calendar named `suport`")
    assert d.hint == "did you mean `calendar support`?"


def test_business_duration_without_calendar_is_an_error() -> None:
    d = only_error("x p95 < 8 business hours monthly\n", "E402")
    at(d, 1, 9, "8 business hours needs a calendar", "has none")
    assert d.width == len("8 business hours")


def test_business_duration_without_default_calendar_suggests_named_one() -> None:
    d = only_error('calendar support "Mon-Sun 07:00-22:00"\nx p95 < 1 business day monthly\n', "E402")
    at(d, 2, 9, "no default calendar")
    assert "calendar support" in (d.hint or "")
    check_text('calendar support "Mon-Sun 07:00-22:00"\nx p95 < 1 business day monthly, calendar support\n')


def test_business_duration_without_calendar_is_reported_once_per_clause() -> None:
    d = only_error(FEE + "x p95 < 8 business hours monthly, credit 2%, 5% if > 2 business days\n", "E402")
    at(d, 3, 9, "8 business hours needs a calendar")


def test_unknown_time_zone_is_an_error_with_hint() -> None:
    d = only_error('timezone "Europe/Londn"\n', "E403")
    at(d, 1, 10, '"Europe/Londn" is not an IANA time zone')
    assert d.hint == "did you mean `Europe/London`?"
    assert d.width == len('"Europe/Londn"')


def test_time_zone_names_are_case_sensitive() -> None:
    d = only_error('timezone "europe/london"\n', "E403")
    assert "case-sensitive" in (d.hint or "") and "Europe/London" in (d.hint or "")


def test_calendar_given_twice_in_a_built_tree_is_an_error() -> None:
    """The parser reports E202 for text; a tree built in code is checked the same way."""
    hours = (dsl.ast.HoursRange(0, 4, 540, 1020),)
    policy = dsl.ast.Policy(calendars=(dsl.ast.Calendar("a", hours), dsl.ast.Calendar("a", hours)))
    with pytest.raises(dsl.PolicyCheckError) as raised:
        dsl.check(policy)
    assert [d.code for d in raised.value.diagnostics] == ["E202"]


# --- all at once -----------------------------------------------------------------------


def test_every_error_of_a_file_is_reported_at_once() -> None:
    text = """\
        cap 12%
        timezone "Mars/Olympus"
        metric x duration
        kpi "K": x p95 < 4h monthly, credit 5%
        x mean >= 99% monthly, chronic 7 of 6
        y p95 < 8 business hours monthly, calendar nope
    """
    found = errors(text)
    assert [(d.code, d.line) for d in found] == [
        ("E322", 1),
        ("E403", 2),
        ("E320", 4),
        ("E301", 5),
        ("E360", 5),
        ("E401", 6),
    ]
    assert all(d.filename == "p.sla" for d in found)


# --- bonus (E350) ------------------------------------------------------------------------


def test_bonus_that_rewards_a_worse_value_is_an_error() -> None:
    d = only_error(FEE + "orders sum >= 12000 monthly, bonus 2% if < 13000\n", "E350")
    at(d, 3, 30, "target is `>= 12000`", "reward a worse value")
    assert d.width == len("bonus 2% if < 13000")
    assert "bonus 2% if >= ..." in (d.hint or "")


def test_bonus_on_share_form_rewards_a_higher_share() -> None:
    d = only_error(FEE + "95% of x <= 4h monthly, bonus 1% if <= 99%\n", "E350")
    at(d, 3, 25, "`>= 95%`")
    check_text(FEE + "95% of x <= 4h monthly, bonus 1% if >= 99%\n")


# --- parser rules, again, for trees built in code ---------------------------------------


def _built(clause: dsl.ast.Clause, **headers: object) -> tuple[str, ...]:
    policy = dsl.ast.Policy(clauses=(clause,), **headers)  # type: ignore[arg-type]
    with pytest.raises(dsl.PolicyCheckError) as raised:
        dsl.check(policy)
    return tuple(d.code for d in raised.value.diagnostics)


def _clause(threshold: dsl.ast.Quantity, *options: dsl.ast.Option, **window: object) -> dsl.ast.Clause:
    condition = dsl.ast.AggregateCondition("x", dsl.ast.Aggregation("mean"), dsl.ast.Op.LT, threshold)
    period = window.pop("period", dsl.ast.Period.MONTH)
    return dsl.ast.Clause(
        dsl.ast.ClauseKind.SLA,
        None,
        condition,
        dsl.ast.Window(period, **window),  # type: ignore[arg-type]
        options=options,
    )


def test_built_tree_with_percentage_above_100_is_an_error() -> None:
    assert _built(_clause(dsl.ast.Ratio(Decimal("1.5")))) == ("E111",)


def test_built_tree_with_signed_number_is_an_error() -> None:
    assert _built(_clause(dsl.ast.Number(Decimal(-1)))) == ("E104",)


def test_built_tree_with_anchor_day_29_or_anchored_week_is_an_error() -> None:
    assert _built(_clause(dsl.ast.Number(Decimal(1)), anchor_day=29)) == ("E121",)
    weekly = _clause(dsl.ast.Number(Decimal(1)), period=dsl.ast.Period.WEEK, anchor_day=3)
    assert _built(weekly) == ("E120",)


def test_built_tree_with_percentile_100_is_an_error() -> None:
    condition = dsl.ast.AggregateCondition(
        "x", dsl.ast.Aggregation("percentile", Decimal(100)), dsl.ast.Op.LT, dsl.ast.Number(Decimal(1))
    )
    clause = dsl.ast.Clause(dsl.ast.ClauseKind.SLA, None, condition, dsl.ast.Window(dsl.ast.Period.DAY))
    assert _built(clause) == ("E110",)


def test_consequence_on_kpi_is_reported_once_not_judged_further() -> None:
    """The money needs no fee and the chronic rule is not checked: the option must go anyway."""
    found = errors('kpi "K": x p95 < 4h monthly, credit 500 EUR, chronic 9 of 2, 5% if > 2%, credit 1%\n')
    assert [d.code for d in found] == ["E320"] * 4


# --- valid policies ------------------------------------------------------------------------

ACME = """\
# Acme Service Desk, Schedule 3: Service Levels
policy "Acme Service Desk"
client "Acme Ltd"
provider "ServiceCo plc"
fee 120000 EUR monthly
cap 12%
timezone "Europe/London"
calendar "Mon-Fri 09:00-17:30" holidays "2026-12-25", "2026-12-28"

metric resolution_time duration "From ticket logged to ticket resolved"
metric availability ratio "Share of minutes in which the service was usable"

sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1", credit 5% per breach
sla "P2 resolution": 95% of resolution_time <= 8 business hours monthly where priority = "P2",
    min 20 samples, credit 2%
sla "Availability": availability mean >= 99.9% monthly,
    credit 5%, 10% if < 99.5%, 20% if < 99%, chronic 3 of 6
sla "Backlog": backlog max <= 50 weekly, credit 1% per 10 over, max 5%
sla "Accuracy": accuracy mean >= 98% quarterly, credit 3%, earn back after 2 met
sla "Orders": orders_processed sum >= 12000 monthly, bonus 2% if >= 13000
kpi "Handle time": handle_time mean <= 6m monthly
"""


def test_complete_example_of_language_md_checks_without_error_or_warning() -> None:
    checked = check_text(ACME)
    assert checked.warnings == ()
    assert checked.clause_ids[:3] == ("p1-resolution", "p2-resolution", "availability")
    assert checked.metric_kinds["backlog"] is dsl.ast.MetricKind.NUMBER
    assert checked.metric_kinds["accuracy"] is dsl.ast.MetricKind.RATIO


def test_limits_that_are_allowed() -> None:
    """100% credits and pool shares, `chronic 1 of 1`, `min 1 sample`, money in the fee's currency."""
    text = (
        "fee 1000 EUR monthly\ncap 500 EUR\nannual cap 100%\n"
        "a p95 < 4h monthly, credit 100%, chronic 1 of 1, min 1 sample\n"
        "b p95 < 4h monthly, credit 100% of pool\n"
        "c p95 < 4h monthly, credit 50 EUR, 80 EUR if > 8h, max 100 EUR, bonus 10 EUR if < 1h\n"
    )
    assert check_text(text).warnings == ()


def test_error_on_a_continuation_line_points_at_that_line() -> None:
    text = (
        "fee 1000 EUR monthly\n"
        'sla "A": availability mean >= 99.9% monthly,\n'
        "    credit 5%, 10% if < 99.5%,\n"
        "    chronic 7 of 6\n"
    )
    d = only_error(text, "E360")
    at(d, 4, 5, "chronic 7 of 6")
    assert d.snippet == "    chronic 7 of 6" and d.width == len("chronic 7 of 6")


def test_built_tree_with_a_number_that_is_not_finite_is_an_error() -> None:
    assert _built(_clause(dsl.ast.Number(Decimal("NaN")))) == ("E106",)
    assert _built(_clause(dsl.ast.Duration(Decimal("Infinity")))) == ("E106",)


def test_a_built_tree_with_a_number_of_a_million_digits_is_checked_without_overflow() -> None:
    """Text refuses figures over 15 digits (E113); a tree built in code may still hold one,
    and Decimal arithmetic on 10**1000000 would overflow the default context."""
    big = dsl.ast.Number(Decimal("9" * 1_000_001))
    policy = dsl.parse(FEE + "x sum >= 5 monthly, credit 5%, 10% if < 7\n")
    clause = policy.clauses[0]
    tier = clause.tiers[0]
    options = tuple(dataclasses.replace(tier, threshold=big) if o is tier else o for o in clause.options)
    built = dataclasses.replace(policy, clauses=(dataclasses.replace(clause, options=options),))
    checked = dsl.check(built)
    assert [w.code for w in checked.warnings] == ["W502"]
