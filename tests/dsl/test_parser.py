"""The rules of language.md that the parser owns: lexical rules, statements, clauses, options."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import dsl
from dsl import ast


def clause(text: str) -> ast.Clause:
    (only,) = dsl.parse(text).clauses
    return only


def threshold(text: str) -> ast.Quantity:
    return clause(f"x max < {text} daily").condition.threshold


# --- lexical rules ------------------------------------------------------------------


def test_lexical_comment_runs_to_end_of_line_and_is_kept_for_the_formatter() -> None:
    policy = dsl.parse('# Schedule 3\npolicy "A" # the name\nx p95 < 4h daily # P1 only\n')
    assert policy.name == ast.TextHeader("policy", "A")
    assert policy.name is not None and policy.name.comments == ("Schedule 3", "the name")
    assert policy.clauses[0].comments == ("P1 only",)


def test_lexical_hash_inside_a_string_is_not_a_comment() -> None:
    assert dsl.parse('policy "Lot #3"').name == ast.TextHeader("policy", "Lot #3")


def test_lexical_line_ending_with_comma_continues() -> None:
    assert clause("x p95 < 4h monthly,\ncredit 5%").credit == ast.FixedCredit(ast.Ratio(Decimal("0.05")))


def test_lexical_more_indented_next_line_continues() -> None:
    parsed = clause('x p95 < 4h monthly\n    where priority = "P1"')
    assert parsed.filter == (ast.DimensionTest("priority", ast.FilterOp.EQ, ("P1",)),)


def test_lexical_continuation_skips_comment_lines() -> None:
    parsed = clause("x p95 < 4h monthly,\n  # the credit\n  credit 5%")
    assert parsed.credit is not None and parsed.comments == ("the credit",)


def test_lexical_a_line_at_the_same_indentation_is_a_new_statement() -> None:
    assert len(dsl.parse("x p95 < 4h monthly\ny p95 < 4h monthly").clauses) == 2


def test_lexical_names_are_lower_case_with_digits_and_underscores() -> None:
    assert clause("_p1_resolution_2 p95 < 4h daily").metric == "_p1_resolution_2"


def test_lexical_string_escapes_quote_and_backslash() -> None:
    assert dsl.parse(r'policy "a \"b\" \\ c"').name == ast.TextHeader("policy", 'a "b" \\ c')


def test_lexical_numbers_with_underscores_and_decimals() -> None:
    assert threshold("120_000") == ast.Number(Decimal(120000))
    assert threshold("12.5") == ast.Number(Decimal("12.5"))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("500ms", "0.5"),
        ("30s", "30"),
        ("30m", "1800"),
        ("30min", "1800"),
        ("4h", "14400"),
        ("2d", "172800"),
        ("1w", "604800"),
        ("1h30m", "5400"),
        ("1.5h", "5400"),
        ("30 minutes", "1800"),
        ("1 hour", "3600"),
        ("2 days", "172800"),
        ("250 milliseconds", "0.25"),
        ("3 weeks", "1814400"),
        ("45 seconds", "45"),
    ],
)
def test_lexical_durations_are_seconds(text: str, seconds: str) -> None:
    assert threshold(text) == ast.Duration(Decimal(seconds))


def test_lexical_business_durations() -> None:
    assert threshold("8 business hours") == ast.BusinessDuration(Decimal(8), ast.BusinessUnit.HOURS)
    assert threshold("1 business day") == ast.BusinessDuration(Decimal(1), ast.BusinessUnit.DAYS)


def test_lexical_ratio_is_a_fraction() -> None:
    assert threshold("99.9%") == ast.Ratio(Decimal("0.999"))


def test_lexical_money_is_amount_and_iso_code() -> None:
    assert dsl.parse("fee 5000 EUR monthly").fee == ast.Fee(ast.Money(Decimal(5000), "EUR"), ast.Period.MONTH)


# --- header statements ----------------------------------------------------------------


def test_header_every_statement_optional_a_single_clause_is_a_policy() -> None:
    policy = dsl.parse("resolution_time p95 < 4h monthly, credit 5% per breach")
    assert policy.name is None and policy.fee is None and len(policy.clauses) == 1


def test_header_statements_may_stand_among_clauses_and_in_any_order() -> None:
    policy = dsl.parse('x p95 < 4h daily\ncap 10%\npolicy "P"\nfee 10 EUR quarterly')
    assert policy.name == ast.TextHeader("policy", "P")
    assert policy.cap == ast.Cap(ast.Ratio(Decimal("0.1")))
    assert policy.fee is not None and policy.fee.period is ast.Period.QUARTER


def test_header_at_risk_is_a_cap() -> None:
    assert dsl.parse("at risk 12%").cap == dsl.parse("cap 12%").cap


def test_header_cap_as_money() -> None:
    assert dsl.parse("cap 20000 EUR").cap == ast.Cap(ast.Money(Decimal(20000), "EUR"))


def test_header_annual_cap() -> None:
    assert dsl.parse("annual cap 10%").annual_cap == ast.AnnualCap(ast.Ratio(Decimal("0.1")))


def test_header_fee_yearly_and_annually_are_the_same() -> None:
    assert dsl.parse("fee 1 EUR yearly").fee == dsl.parse("fee 1 EUR annually").fee


def test_header_calendar_with_holidays_and_several_ranges() -> None:
    (calendar,) = dsl.parse(
        'calendar "Mon-Fri 08:00-20:00, Sat 09:00-13:00" holidays "2026-12-28", "2026-12-25"'
    ).calendars
    assert calendar.hours == (ast.HoursRange(0, 4, 480, 1200), ast.HoursRange(5, 5, 540, 780))
    assert calendar.holidays == (date(2026, 12, 25), date(2026, 12, 28))


def test_header_named_calendars_beside_the_default_default_first() -> None:
    policy = dsl.parse('calendar support "Mon-Sun 07:00-22:00"\ncalendar "Mon-Fri 09:00-17:30"')
    assert [c.name for c in policy.calendars] == [None, "support"]


def test_header_calendar_24_00_ends_the_day_and_ranges_may_wrap() -> None:
    (calendar,) = dsl.parse('calendar "Fri-Mon 00:00-24:00"').calendars
    assert calendar.hours[0].days == (4, 5, 6, 0)
    assert calendar.hours[0].end_minute == 1440


def test_header_metric_with_kind_and_definition() -> None:
    (metric,) = dsl.parse('metric availability ratio "Share of usable minutes"').metrics
    assert metric == ast.MetricDecl("availability", ast.MetricKind.RATIO, "Share of usable minutes")


# --- clauses ----------------------------------------------------------------------------


def test_clause_without_keyword_is_an_sla() -> None:
    assert clause("x p95 < 4h daily").kind is ast.ClauseKind.SLA


def test_clause_kpi_keyword_and_name() -> None:
    parsed = clause('kpi "Handle time": handle_time mean <= 6m monthly')
    assert parsed.kind is ast.ClauseKind.KPI and parsed.name == "Handle time"


@pytest.mark.parametrize(
    ("text", "label"),
    [("p95", "p95"), ("p99.9", "p99.9"), ("median", "median"), ("mean", "mean"), ("avg", "mean"),
     ("average", "mean"), ("min", "min"), ("max", "max"), ("sum", "sum"), ("count", "count")],
)  # fmt: skip
def test_clause_aggregations(text: str, label: str) -> None:
    assert clause(f"x {text} < 4 daily").condition.aggregation.label == label  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("words", "op"),
    [("<", "<"), ("<=", "<="), (">", ">"), (">=", ">="), ("below", "<"), ("under", "<"), ("above", ">"),
     ("over", ">"), ("at most", "<="), ("within", "<="), ("at least", ">=")],
)  # fmt: skip
def test_clause_comparator_words_mean_their_symbol(words: str, op: str) -> None:
    assert clause(f"x p95 {words} 4h daily").condition.op is ast.Op(op)


def test_clause_share_form() -> None:
    assert clause("95% of resolution_time <= 8h monthly").condition == ast.ShareCondition(
        ast.Ratio(Decimal("0.95")), "resolution_time", ast.Op.LE, ast.Duration(Decimal(28800))
    )


@pytest.mark.parametrize(
    ("text", "period"),
    [("daily", "day"), ("weekly", "week"), ("monthly", "month"), ("quarterly", "quarter"),
     ("yearly", "year"), ("annually", "year"), ("per day", "day"), ("per week", "week"),
     ("per month", "month"), ("per quarter", "quarter"), ("per year", "year")],
)  # fmt: skip
def test_window_words(text: str, period: str) -> None:
    assert clause(f"x p95 < 4h {text}").window == ast.Window(ast.Period(period))


def test_window_monthly_from_day_16() -> None:
    assert clause("x p95 < 4h monthly from day 16").window == ast.Window(ast.Period.MONTH, 16)


def test_window_quarterly_from_day_1_of_february() -> None:
    assert clause("x p95 < 4h quarterly from day 1 of February").window == ast.Window(
        ast.Period.QUARTER, 1, 2
    )


def test_window_from_day_1_is_the_default_window() -> None:
    assert clause("x p95 < 4h monthly from day 1").window == ast.Window(ast.Period.MONTH)


def test_filter_tests_joined_with_and() -> None:
    parsed = clause('x p95 < 4h daily where a = "1" and b != "2" and c in ("3", "4") and d not in ("5")')
    assert [(t.dimension, t.op, t.values) for t in parsed.filter] == [
        ("a", ast.FilterOp.EQ, ("1",)),
        ("b", ast.FilterOp.NE, ("2",)),
        ("c", ast.FilterOp.IN, ("3", "4")),
        ("d", ast.FilterOp.NOT_IN, ("5",)),
    ]


# --- options ------------------------------------------------------------------------------


def test_option_min_samples() -> None:
    assert clause("x p95 < 4h daily, min 20 samples").option(ast.MinSamples) == ast.MinSamples(20)


def test_option_credit_per_breach_is_the_plain_credit() -> None:
    assert clause("x p95 < 4h daily, credit 5% per breach") == clause("x p95 < 4h daily, credit 5%")


def test_option_money_credit() -> None:
    assert clause("x p95 < 4h daily, credit 500 EUR").credit == ast.FixedCredit(
        ast.Money(Decimal(500), "EUR")
    )


def test_option_tiers_keep_their_order() -> None:
    parsed = clause("a mean >= 99.9% monthly, credit 5%, 10% if < 99.5%, 20% if < 99%")
    assert [t.amount for t in parsed.tiers] == [ast.Ratio(Decimal("0.1")), ast.Ratio(Decimal("0.2"))]


def test_option_linear_credit() -> None:
    assert clause("b max <= 50 weekly, credit 1% per 10 over").credit == ast.LinearCredit(
        ast.Ratio(Decimal("0.01")), ast.Number(Decimal(10)), ast.Direction.OVER
    )


@pytest.mark.parametrize(("word", "direction"), [("over", "over"), ("above", "over"), ("under", "under"),
                                                 ("below", "under")])  # fmt: skip
def test_option_linear_credit_directions(word: str, direction: str) -> None:
    parsed = clause(f"b max <= 50 weekly, credit 1% per 10 {word}").credit
    assert isinstance(parsed, ast.LinearCredit) and parsed.direction is ast.Direction(direction)


def test_option_pool_credit() -> None:
    assert clause("x p95 < 4h daily, credit 40% of pool").credit == ast.PoolCredit(ast.Ratio(Decimal("0.4")))


def test_option_max_earn_back_chronic_bonus_calendar_owner() -> None:
    parsed = clause(
        'x p95 < 4h daily, owner "Ops", calendar support, bonus 2% if < 1h, chronic 3 of 6, '
        "earn back after 2 met, max 5%, credit 1%"
    )
    assert [type(o).__name__ for o in parsed.options] == [
        "FixedCredit", "MaxCredit", "EarnBack", "Chronic", "Bonus", "UseCalendar", "Owner",
    ]  # fmt: skip
    assert parsed.option(ast.Chronic) == ast.Chronic(3, 6)
    assert parsed.option(ast.EarnBack) == ast.EarnBack(2)
    assert parsed.option(ast.Owner) == ast.Owner("Ops")


def test_equality_ignores_spans_and_comments() -> None:
    assert dsl.parse("x p95 < 4h daily") == dsl.parse("# note\n\n   x   p95<4h   daily  ")


def test_spans_locate_nodes() -> None:
    parsed = dsl.parse('policy "P"\n\nsla "A": x p95 < 4h daily, credit 5%').clauses[0]
    assert parsed.span == ast.Span(3, 1, 3, 37)
    assert parsed.condition.threshold.span == ast.Span(3, 18, 3, 20)
