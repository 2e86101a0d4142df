"""Rules of language.md that had no test naming them: text, header statements, ids, canonical form.

Each test names the rule it checks; docs/rules.md maps every rule of
language.md to its tests. These tests read policies only through
``dsl.parse``, ``dsl.check`` and ``dsl.format_policy``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import dsl
from dsl import ast


def first_error(text: str) -> dsl.Diagnostic:
    """The first diagnostic that parsing then checking ``text`` raises."""
    with pytest.raises(dsl.PolicyError) as raised:
        dsl.check(dsl.parse(text, "rules.sla"))
    return raised.value.diagnostics[0]


def ids(text: str) -> tuple[str, ...]:
    return dsl.check(dsl.parse(text)).clause_ids


# --- the file and lexical rules -----------------------------------------------------------


def test_rule_policy_is_utf8_text_and_quoted_text_keeps_any_character() -> None:
    """language.md: a policy is a UTF-8 text file; names in quotes keep accents, dashes and symbols."""
    policy = dsl.parse('policy "Société Générale – Zürich"\nclient "Ωmega Α.Ε."\nx p95 < 4h monthly')
    assert policy.name == ast.TextHeader("policy", "Société Générale – Zürich")
    assert dsl.parse(dsl.format_policy(policy)) == policy


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("x p95 < 4h MONTHLY", "MONTHLY"),
        ('Sla "a": x p95 < 4h monthly', "Sla"),
        ('SLA "a": x p95 < 4h monthly', "SLA"),
        ("KPI x p95 < 4h monthly", "KPI"),
        ("fee 5 EUR MONTHLY", "MONTHLY"),
        ("x p95 < 4h monthly, Credit 5%", "Credit"),
    ],
)
def test_rule_keywords_are_lower_case_and_the_error_says_so(text: str, word: str) -> None:
    """language.md, Lexical rules: keywords are lower case. An upper-case keyword is E105 with the
    lower-case word as the suggestion (also `SLA` and `KPI`, which look like currency codes)."""
    error = first_error(text)
    assert (error.code, f"`{word}`" in error.message) == ("E105", True), str(error)
    assert error.hint is not None and f"`{word.lower()}`" in error.hint


@pytest.mark.parametrize(
    ("text", "column"),
    [("x p95 < -4h monthly", 9), ("x p95 < +4h monthly", 9), ("x p95 < 4h monthly, credit +5%", 28)],
)
def test_rule_a_number_never_has_a_sign(text: str, column: int) -> None:
    """language.md, Lexical rules: a number never has a sign, neither `-` nor `+` (E104 at the sign)."""
    error = first_error(text)
    assert (error.code, error.line, error.column) == ("E104", 1, column), str(error)
    assert "sign" in error.message


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1 millisecond", "0.001"),
        ("2ms", "0.002"),
        ("1 second", "1"),
        ("1 minute", "60"),
        ("4 hours", "14400"),
        ("1 day", "86400"),
        ("1 week", "604800"),
        ("1d", "86400"),
        ("1h30m", "5400"),
        ("2h15m30s", "8130"),
    ],
)
def test_rule_duration_units_singular_plural_and_compound_are_seconds(text: str, seconds: str) -> None:
    """language.md, Lexical rules: the unit words in singular and plural, and compound forms such as
    1h30m = 3600 + 1800 = 5400 s; 2h15m30s = 7200 + 900 + 30 = 8130 s."""
    (clause,) = dsl.parse(f"x max < {text} daily").clauses
    assert clause.condition.threshold == ast.Duration(Decimal(seconds))


def test_rule_a_bare_number_is_a_count_or_plain_number() -> None:
    """language.md, Lexical rules: `50` has no unit; it is the target of a count or number metric."""
    (clause,) = dsl.parse("backlog max <= 50 weekly").clauses
    assert clause.condition.threshold == ast.Number(Decimal(50))
    assert dsl.check(dsl.parse("backlog max <= 50 weekly")).metric_kinds["backlog"] is ast.MetricKind.NUMBER


# --- header statements ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('policy "a"\npolicy "b"', "E201"),
        ('client "a"\nclient "b"', "E201"),
        ('provider "a"\nprovider "b"', "E201"),
        ("fee 1 EUR monthly\nfee 1 EUR quarterly", "E201"),
        ("fee 1 EUR monthly\ncap 5%\ncap 6%", "E201"),
        ("fee 1 EUR monthly\ncap 5%\nat risk 6%", "E201"),
        ("fee 1 EUR monthly\nannual cap 5%\nannual cap 6%", "E201"),
        ('timezone "UTC"\ntimezone "UTC"', "E201"),
        ('calendar s "Mon 09:00-10:00"\ncalendar s "Tue 09:00-10:00"', "E202"),
    ],
)
def test_rule_each_header_statement_may_appear_at_most_once(text: str, code: str) -> None:
    """language.md, Header statements: each at most once; `at risk` is another spelling of `cap`;
    calendars once per name. The error points at the second statement."""
    error = first_error(text)
    assert (error.code, error.line) == (code, text.count("\n") + 1), str(error)
    assert "twice" in error.message


def test_rule_calendars_may_appear_once_per_name() -> None:
    """language.md, Header statements: the default calendar and two named ones stand side by side."""
    policy = dsl.parse(
        'calendar "Mon-Fri 09:00-17:30"\ncalendar support "Mon-Sun 07:00-22:00"\n'
        'calendar night "Mon-Fri 22:00-24:00"\nx p95 < 8 business hours monthly, calendar night'
    )
    assert [c.name for c in policy.calendars] == [None, "support", "night"]
    dsl.check(policy)


@pytest.mark.parametrize(
    ("text", "keyword"),
    [("monthly p95 < 4h monthly", "monthly"), ('x p95 < 4h daily where credit = "a"', "credit")],
)
def test_rule_keyword_cannot_be_a_metric_or_dimension_name_and_a_name_is_suggested(
    text: str, keyword: str
) -> None:
    """language.md, Header statements: keywords cannot be metric or dimension names; the error says
    so and suggests a name."""
    error = first_error(text)
    assert error.code == "E102" and "keyword" in error.message, str(error)
    assert error.hint is not None and f"{keyword}_value" in error.hint


# --- clause ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("P1 resolution", "p1-resolution"),
        ("Availability (core) - 99.9%!", "availability-core-99-9"),
        ("  Handle   time  ", "handle-time"),
        ("Disponibilité", "disponibilite"),
        ("Straße Verfügbarkeit", "strasse-verfugbarkeit"),
    ],
)
def test_rule_clause_id_is_the_slug_of_its_name(name: str, slug: str) -> None:
    """language.md, Clauses: `"P1 resolution"` -> `p1-resolution`; runs of other characters are one `-`;
    accents are dropped rather than the letter (`é` -> `e`, not `disponibilit`), `ß` is `ss`."""
    assert ids(f'sla "{name}": x p95 < 4h monthly') == (slug,)


def test_rule_a_name_whose_slug_is_empty_takes_the_id_of_an_unnamed_clause() -> None:
    """language.md, Clauses: the id is the slug of the name, or made from metric, aggregation and
    filter. `"可用性"` and `"!!!"` leave no letter a-z or digit, so an empty id would be no id: they
    take `availability-mean` and `resolution_time-p95-priority-P1`; the names are kept."""
    checked = dsl.check(
        dsl.parse(
            'sla "可用性": availability mean >= 99.9% monthly\n'
            'sla "!!!": resolution_time p95 < 4h monthly where priority = "P1"'
        )
    )
    assert checked.clause_ids == ("availability-mean", "resolution_time-p95-priority-P1")
    assert [c.name for c in checked.policy.clauses] == ["可用性", "!!!"]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("x p95 < 4h monthly", "x-p95"),
        ("x avg < 4h monthly", "x-mean"),
        ("x p99.9 < 4h monthly", "x-p99.9"),
        ('resolution_time p95 < 4h monthly where priority = "P1"', "resolution_time-p95-priority-P1"),
        ('x p95 < 4h monthly where priority != "P1"', "x-p95-priority-not-P1"),
        ('x p95 < 4h monthly where priority in ("P1", "P2")', "x-p95-priority-in-P1-P2"),
        ('x p95 < 4h monthly where priority not in ("P1", "P2")', "x-p95-priority-not-in-P1-P2"),
        ('x count >= 1 monthly where a = "1" and b != "2"', "x-count-a-1-b-not-2"),
        ("95% of x <= 8h monthly", "x-share-95"),
        ('99.5% of x <= 8h monthly where region = "EU"', "x-share-99.5-region-EU"),
    ],
)
def test_rule_unnamed_clause_id_is_metric_aggregation_then_each_filter_in_order(
    clause: str, expected: str
) -> None:
    """language.md, Precise readings (Ids): `METRIC-AGG` or `METRIC-share-P`, then per filter
    `-DIM-VALUE`, `-DIM-not-VALUE`, `-DIM-in-V1-V2`, `-DIM-not-in-V1-V2`; values keep their case."""
    assert ids(clause) == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        'sla "P1 resolution": x p95 < 4h monthly\nsla "p1-resolution": y p95 < 4h monthly',
        'sla "x-p95": y p95 < 4h monthly\nx p95 < 4h monthly',
        "x p95 < 4h monthly\nkpi x p95 < 4h monthly",
    ],
)
def test_rule_two_clauses_with_the_same_id_are_an_error_however_the_id_arises(text: str) -> None:
    """language.md, Clauses: a name whose slug equals another name's slug, or an unnamed clause's id,
    clashes (E310 on the second clause); the kind (sla/kpi) is not part of the id."""
    error = first_error(text)
    assert (error.code, error.line) == ("E310", 2), str(error)


def test_rule_percentile_with_one_decimal_below_one_is_a_percentile() -> None:
    """language.md, Conditions: `pNN.N` with 0 < NN.N < 100: p0.5 is accepted (the rank of p0.5 over
    n values is ceil(0.005 n), i.e. the smallest value for n <= 200)."""
    (clause,) = dsl.check(dsl.parse("x p0.5 < 4h monthly")).policy.clauses
    assert clause.condition.aggregation.label == "p0.5"  # type: ignore[union-attr]


# --- canonical form -----------------------------------------------------------------------------

SCRAMBLED = """\
x p95 within 90m monthly where priority in ("P1", "P2"), credit 5% per breach
kpi "K": y mean at least 99.5% monthly
metric y ratio "def"
calendar support "Mon-Sun 07:00-22:00"
timezone "Europe/London"
annual cap 20%
cap 12%
fee 1000 EUR monthly
provider "P"
client "C"
policy "N"
calendar "Mon-Fri 09:00-17:30"
z max under 240 minutes daily, credit 1%
w count above 5 weekly
"""

CANONICAL = """\
policy "N"
client "C"
provider "P"
fee 1000 EUR monthly
cap 12%
annual cap 20%
timezone "Europe/London"
calendar "Mon-Fri 09:00-17:30"
calendar support "Mon-Sun 07:00-22:00"

metric y ratio "def"

sla x p95 <= 1h30m monthly where priority in ("P1", "P2"), credit 5%

kpi "K": y mean >= 99.5% monthly

sla z max < 4h daily, credit 1%
sla w count > 5 weekly
"""


def test_rule_canonical_form_headers_in_table_order_then_metrics_then_clauses_in_their_order() -> None:
    """language.md, Canonical form: headers in the order of the header table (policy, client,
    provider, fee, cap, annual cap, timezone, calendar), then metrics, then clauses as written;
    comparator words as symbols (within -> <=, at least -> >=, under -> <, above -> >); short units
    (90m -> 1h30m, 240 minutes -> 4h); `sla` written on unnamed clauses; `per breach` dropped."""
    assert dsl.format_policy(dsl.parse(SCRAMBLED)) == CANONICAL


def test_rule_canonical_form_means_the_same_and_formatting_twice_changes_nothing() -> None:
    """language.md, Canonical form: parse(format(p)) == p and format is idempotent."""
    policy = dsl.parse(SCRAMBLED)
    text = dsl.format_policy(policy)
    assert dsl.parse(text) == policy
    assert dsl.format_policy(dsl.parse(text)) == text


@pytest.mark.parametrize("day", [29, 30, 31])
def test_rule_a_window_cannot_start_from_day_29_to_31(day: int) -> None:
    """language.md, Windows: days 29 to 31 are an error in `monthly from day N` (E121), since not
    every month has them; day 28 is the last allowed."""
    error = first_error(f"x p95 < 4h monthly from day {day}")
    assert (error.code, error.column) == ("E121", 29), str(error)
    dsl.check(dsl.parse("x p95 < 4h monthly from day 28"))


def test_rule_unnamed_ids_join_values_literally_so_different_filters_can_share_an_id() -> None:
    """language.md, Precise readings (Ids), read literally: `in ("a-b")` and `in ("a", "b")` both give
    `x-p95-p-in-a-b`, so the two clauses clash (E310) and must be named (docs/rules.md, Design notes)."""
    error = first_error('x p95 < 4h monthly where p in ("a-b")\nx p95 < 4h monthly where p in ("a", "b")')
    assert (error.code, error.line) == ("E310", 2)
    assert "x-p95-p-in-a-b" in error.message


def test_rule_policy_is_utf8_text_also_with_a_byte_order_mark_and_crlf_line_ends() -> None:
    """language.md: a policy is a UTF-8 text file. Windows editors save UTF-8 with a byte order mark
    (U+FEFF) and CRLF line ends: the text means what it means without them, and errors keep their
    columns as the editor shows them (`montly` at line 2, column 12)."""
    plain = 'policy "A"\nx p95 < 4h monthly\n'
    windows = "\ufeff" + plain.replace("\n", "\r\n")
    assert dsl.parse(windows) == dsl.parse(plain)
    error = first_error(windows.replace("monthly", "montly"))
    assert (error.code, error.line, error.column) == ("E100", 2, 12), str(error)


EVERY_CONSTRUCT = """\
# Every construct of the language once
policy "Sink \\"quoted\\" \\\\ name"
client "C"
provider "P"
fee 120_000.50 EUR quarterly
at risk 12.5%
annual cap 10%
timezone "Europe/London"
calendar "Mon-Fri 08:00-12:00, Mon-Fri 13:00-17:30, Sat 09:00-13:00" holidays "2026-12-25", "2026-12-28"
calendar night "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00"
metric rt duration "From logged to resolved"
metric av ratio
metric orders count "Orders"
metric score number
sla "P1": rt p99.9 under 1h30m per month where priority = "P1" and region not in ("EU", "UK"),
  min 20 samples, credit 5% per breach, 10% if above 2 hours, max 15%, earn back after 2 met,
  chronic 3 of 6, owner "Desk"
sla 95% of rt within 8 business hours monthly from day 16 where channel != "email",
  credit 2% per 1% under, max 10%, calendar night
sla av average at least 99.9% quarterly from day 1 of February, credit 40% of pool
sla orders sum >= 12000 annually, credit 1000 EUR, bonus 2% if >= 13000
sla score median > 3.5 weekly where team in ("a"), credit 1% per 0.5 under
kpi "Handle": rt mean <= 6m daily, min 5 samples, owner "Ops"
orders count >= 1 yearly from day 1 of April, credit 500.25 EUR, max 2000 EUR
"""


def test_rule_canonical_form_round_trips_every_construct_of_the_language() -> None:
    """language.md, Canonical form, on one policy using every header, kind, aggregation alias,
    comparator word, window form, filter form and option: it checks clean, parse(format(p)) == p,
    format is idempotent, and the formatter writes the canonical spellings (`at risk` -> `cap`,
    `under` -> `<`, `per month` -> `monthly`, `average` -> `mean`, `annually` -> `yearly`)."""
    policy = dsl.parse(EVERY_CONSTRUCT)
    assert dsl.check(policy).warnings == ()
    text = dsl.format_policy(policy)
    assert dsl.parse(text) == policy
    assert dsl.format_policy(dsl.parse(text)) == text
    for canonical in ("cap 12.5%", "rt p99.9 < 1h30m monthly", "av mean >= 99.9%", "sum >= 12000 yearly"):
        assert canonical in text
    for spelling in ("at risk", " under 1h30m", "per month", "average", "annually", "per breach"):
        assert spelling not in text


@pytest.mark.parametrize(
    ("text", "column", "fix"),
    [
        ("x p95 < 4 h monthly", 11, "`4h`"),
        ("x p95 < 2 ms monthly", 11, "`2ms`"),
        ("x p95 < 1.5 m monthly", 13, "`1.5m`"),
        ("x p95 < 4h monthly, credit 1% per 2 h over", 37, "`2h`"),
    ],
)
def test_rule_a_short_unit_is_written_next_to_its_number(text: str, column: int, fix: str) -> None:
    """language.md, Lexical rules: quantities are a number and a unit; the short units are written
    `4h`, `30m` (the words take a space: `4 hours`). `4 h` is refused at the unit, and the hint
    joins it to its number rather than suggesting another word (`2 ms` once suggested `mins`)."""
    error = first_error(text)
    assert (error.code, error.column) == ("E100", column), str(error)
    assert error.hint is not None and fix in error.hint and "mins" not in error.hint
