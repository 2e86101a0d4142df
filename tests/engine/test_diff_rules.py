"""Every row of the rules table in docs/diff.md: one change, its field, and whom it favours.

Each case is a policy before and after one edit; the header gives a fee of
100,000 EUR a month and a cap of 12%, so money and percentages compare
(6000 EUR is 6% of the fee; 40% of a 12% pool is 4.8%).
"""

from __future__ import annotations

import pytest

import dsl
from engine.diff import diff

HEAD = """\
client "Acme Ltd"
provider "ServiceCo plc"
fee 100000 EUR monthly
cap 12%
calendar "Mon-Fri 09:00-17:00" holidays "2026-12-25"
"""
P1 = "resolution_time p95 < 4h monthly"
AV = "availability mean >= 99.5% monthly"
BL = "backlog max <= 50 weekly"

# (rule, old clause line(s), new clause line(s), field, favours); header rows replace HEAD lines instead.
ROWS = [
    (
        "target looser",
        f"{P1}, credit 5%",
        "resolution_time p95 < 6h monthly, credit 5%",
        "target",
        "provider",
    ),
    ("target tighter", f"{P1}, credit 5%", "resolution_time p95 < 2h monthly, credit 5%", "target", "client"),
    (
        "lower bound raised",
        f"{AV}, credit 5%",
        "availability mean >= 99.9% monthly, credit 5%",
        "target",
        "client",
    ),
    (
        "comparator < to <=",
        f"{P1}, credit 5%",
        "resolution_time p95 <= 4h monthly, credit 5%",
        "target",
        "provider",
    ),
    (
        "comparator >= to >",
        f"{AV}, credit 5%",
        "availability mean > 99.5% monthly, credit 5%",
        "target",
        "client",
    ),
    (
        "target flips side",
        f"{P1}, credit 5%",
        "resolution_time p95 > 4h monthly, credit 5%",
        "target",
        "unclear",
    ),
    (
        "elapsed to business time",
        f"{P1}",
        "resolution_time p95 < 4 business hours monthly",
        "target",
        "unclear",
    ),
    (
        "higher percentile, upper bound",
        f"{P1}, credit 5%",
        "resolution_time p99 < 4h monthly, credit 5%",
        "aggregation",
        "client",
    ),
    (
        "higher percentile, lower bound",
        "speed p5 >= 100 monthly, credit 5%",
        "speed p10 >= 100 monthly, credit 5%",
        "aggregation",
        "provider",
    ),
    (
        "max is the top rank",
        f"{P1}, credit 5%",
        "resolution_time max < 4h monthly, credit 5%",
        "aggregation",
        "client",
    ),
    (
        "mean against percentile",
        f"{P1}, credit 5%",
        "resolution_time mean < 4h monthly, credit 5%",
        "aggregation",
        "unclear",
    ),
    (
        "share raised",
        "90% of rt <= 8h monthly, credit 2%",
        "95% of rt <= 8h monthly, credit 2%",
        "share",
        "client",
    ),
    (
        "share lowered",
        "90% of rt <= 8h monthly, credit 2%",
        "85% of rt <= 8h monthly, credit 2%",
        "share",
        "provider",
    ),
    ("share threshold looser", "90% of rt <= 8h monthly", "90% of rt <= 10h monthly", "target", "provider"),
    ("percentile to share", "rt p90 <= 8h monthly", "90% of rt <= 8h monthly", "condition", "unclear"),
    ("metric", f"{P1}", "response_time p95 < 4h monthly", "metric", "unclear"),
    (
        "window longer",
        f"{P1}, credit 5%",
        "resolution_time p95 < 4h quarterly, credit 5%",
        "window",
        "unclear",
    ),
    (
        "service-month anchor",
        f"{P1}, credit 5%",
        "resolution_time p95 < 4h monthly from day 16, credit 5%",
        "window",
        "unclear",
    ),
    (
        "filter narrower",
        f'{P1} where priority = "P1"',
        f'{P1} where priority = "P1" and channel = "phone"',
        "filter",
        "unclear",
    ),
    ("filter added", f"{P1}", f'{P1} where priority = "P1"', "filter", "unclear"),
    ("min samples raised", f"{P1}, min 5 samples", f"{P1}, min 20 samples", "min_samples", "provider"),
    ("min samples added", f"{P1}", f"{P1}, min 20 samples", "min_samples", "provider"),
    ("min samples removed", f"{P1}, min 20 samples", f"{P1}", "min_samples", "client"),
    ("credit raised", f"{P1}, credit 5%", f"{P1}, credit 8%", "credit", "client"),
    ("credit lowered", f"{P1}, credit 5%", f"{P1}, credit 3%", "credit", "provider"),
    ("credit added", f"{P1}", f"{P1}, credit 5%", "credit", "client"),
    ("credit removed", f"{P1}, credit 5%", f"{P1}", "credit", "provider"),
    ("percent to larger amount", f"{P1}, credit 5%", f"{P1}, credit 6000 EUR", "credit", "client"),
    ("percent to the same amount", f"{P1}, credit 5%", f"{P1}, credit 5000 EUR", "credit", "unclear"),
    ("pool share raised", f"{P1}, credit 40% of pool", f"{P1}, credit 50% of pool", "credit", "client"),
    ("pool to fixed", f"{P1}, credit 40% of pool", f"{P1}, credit 5%", "credit", "client"),
    (
        "linear rate raised",
        f"{BL}, credit 1% per 10 over",
        f"{BL}, credit 2% per 10 over",
        "credit",
        "client",
    ),
    (
        "linear step longer",
        f"{BL}, credit 1% per 10 over",
        f"{BL}, credit 1% per 20 over",
        "credit",
        "provider",
    ),
    ("linear against fixed", f"{BL}, credit 1% per 10 over", f"{BL}, credit 3%", "credit", "unclear"),
    ("tier added above base", f"{P1}, credit 5%", f"{P1}, credit 5%, 10% if >= 8h", "tiers", "client"),
    ("tier lowered", f"{P1}, credit 5%, 10% if >= 8h", f"{P1}, credit 5%, 8% if >= 8h", "tiers", "provider"),
    (
        "tier applies sooner",
        f"{P1}, credit 5%, 10% if >= 8h",
        f"{P1}, credit 5%, 10% if >= 6h",
        "tiers",
        "client",
    ),
    (
        "tier smaller but sooner",
        f"{P1}, credit 5%, 10% if >= 8h",
        f"{P1}, credit 5%, 8% if >= 6h",
        "tiers",
        "unclear",
    ),
    (
        "max raised",
        f"{BL}, credit 1% per 10 over, max 5%",
        f"{BL}, credit 1% per 10 over, max 8%",
        "max",
        "client",
    ),
    ("max added", f"{BL}, credit 1% per 10 over", f"{BL}, credit 1% per 10 over, max 5%", "max", "provider"),
    ("max removed", f"{BL}, credit 1% per 10 over, max 5%", f"{BL}, credit 1% per 10 over", "max", "client"),
    (
        "earn-back added",
        f"{P1}, credit 5%",
        f"{P1}, credit 5%, earn back after 2 met",
        "earn_back",
        "provider",
    ),
    (
        "earn-back removed",
        f"{P1}, credit 5%, earn back after 2 met",
        f"{P1}, credit 5%",
        "earn_back",
        "client",
    ),
    (
        "earn-back needs more",
        f"{P1}, credit 5%, earn back after 2 met",
        f"{P1}, credit 5%, earn back after 3 met",
        "earn_back",
        "client",
    ),
    ("chronic added", f"{P1}, credit 5%", f"{P1}, credit 5%, chronic 3 of 6", "chronic", "client"),
    ("chronic removed", f"{P1}, credit 5%, chronic 3 of 6", f"{P1}, credit 5%", "chronic", "provider"),
    (
        "chronic fewer breaches",
        f"{P1}, credit 5%, chronic 3 of 6",
        f"{P1}, credit 5%, chronic 2 of 6",
        "chronic",
        "client",
    ),
    (
        "chronic shorter run",
        f"{P1}, credit 5%, chronic 3 of 6",
        f"{P1}, credit 5%, chronic 3 of 4",
        "chronic",
        "provider",
    ),
    (
        "chronic both ways",
        f"{P1}, credit 5%, chronic 3 of 6",
        f"{P1}, credit 5%, chronic 2 of 3",
        "chronic",
        "unclear",
    ),
    (
        "bonus added",
        "orders sum >= 12000 monthly",
        "orders sum >= 12000 monthly, bonus 2% if >= 13000",
        "bonus",
        "provider",
    ),
    (
        "bonus removed",
        "orders sum >= 12000 monthly, bonus 2% if >= 13000",
        "orders sum >= 12000 monthly",
        "bonus",
        "client",
    ),
    (
        "bonus raised",
        "orders sum >= 12000 monthly, bonus 2% if >= 13000",
        "orders sum >= 12000 monthly, bonus 3% if >= 13000",
        "bonus",
        "provider",
    ),
    (
        "bonus harder to earn",
        "orders sum >= 12000 monthly, bonus 2% if >= 13000",
        "orders sum >= 12000 monthly, bonus 2% if >= 14000",
        "bonus",
        "client",
    ),
    ("sla to kpi", f"sla {P1}, credit 5%", f"kpi {P1}", "kind", "provider"),
    ("kpi to sla", f"kpi {P1}", f"sla {P1}, credit 5%", "kind", "client"),
    ("owner", f'{P1}, owner "Desk"', f'{P1}, owner "Major Incident Manager"', "owner", "unclear"),
    ("comparator <= to <", f"{P1.replace('<', '<=')}", f"{P1}", "target", "client"),
    ("share threshold tighter", "90% of rt <= 8h monthly", "90% of rt < 8h monthly", "target", "client"),
    (
        "linear rate and step both up",
        f"{BL}, credit 1% per 10 over",
        f"{BL}, credit 2% per 20 over",
        "credit",
        "unclear",
    ),
    (
        "max lowered",
        f"{BL}, credit 1% per 10 over, max 5%",
        f"{BL}, credit 1% per 10 over, max 3%",
        "max",
        "provider",
    ),
    (
        "earn-back needs fewer",
        f"{P1}, credit 5%, earn back after 3 met",
        f"{P1}, credit 5%, earn back after 1 met",
        "earn_back",
        "provider",
    ),
    (
        "tier raised over a linear base",
        f"{BL}, credit 1% per 10 over, 5% if >= 100",
        f"{BL}, credit 1% per 10 over, 8% if >= 100",
        "tiers",
        "client",
    ),
    ("kpi to sla without consequence", f"kpi {P1}", f"sla {P1}", "kind", "unclear"),
    ("kpi target tighter", f"kpi {P1}", "kpi resolution_time p95 < 2h monthly", "target", "client"),
]

HEADER_ROWS = [
    ("cap raised", "cap 12%\n", "cap 15%\n", "cap", "client"),
    ("cap lowered", "cap 12%\n", "cap 10%\n", "cap", "provider"),
    ("cap as smaller amount", "cap 12%\n", "cap 10000 EUR\n", "cap", "provider"),
    ("cap removed", "cap 12%\n", "", "cap", "client"),
    ("annual cap added", "cap 12%\n", "cap 12%\nannual cap 8%\n", "annual_cap", "provider"),
    ("fee changed", "fee 100000 EUR monthly", "fee 110000 EUR monthly", "fee", "unclear"),
    ("time zone", "cap 12%\n", 'cap 12%\ntimezone "Europe/London"\n', "timezone", "unclear"),
    ("client renamed", 'client "Acme Ltd"', 'client "Acme Group Ltd"', "client", "unclear"),
    ("holidays added", '"2026-12-25"', '"2026-12-25", "2026-12-28"', "holidays", "provider"),
    ("holidays removed", ' holidays "2026-12-25"', "", "holidays", "client"),
    ("business hours extended", '"Mon-Fri 09:00-17:00"', '"Mon-Fri 08:00-18:00"', "calendar", "client"),
    ("business hours shortened", '"Mon-Fri 09:00-17:00"', '"Mon-Fri 10:00-17:00"', "calendar", "provider"),
    ("policy name added", 'client "Acme Ltd"', 'policy "Desk"\nclient "Acme Ltd"', "policy", "unclear"),
    ("provider renamed", 'provider "ServiceCo plc"', 'provider "ServiceCo Ltd"', "provider", "unclear"),
    (
        "calendar added",
        "cap 12%\n",
        'cap 12%\ncalendar extended "Mon-Sun 07:00-22:00"\n',
        "calendar",
        "unclear",
    ),
]
BUSINESS = "sla resolution_time p95 < 8 business hours monthly, credit 5%\n"


def checked(text: str) -> dsl.CheckedPolicy:
    return dsl.check(dsl.parse(text))


def only_change(old: str, new: str) -> tuple[str, str, str]:
    result = diff(checked(old), checked(new))
    assert len(result.changes) == 1, result.changes
    (change,) = result.changes
    assert change.summary.endswith(".") and change.summary.count(". ") == 0
    return change.field, change.favours, change.summary


@pytest.mark.parametrize(("rule", "old", "new", "field", "favours"), ROWS, ids=[r[0] for r in ROWS])
def test_clause_rule(rule: str, old: str, new: str, field: str, favours: str) -> None:
    got_field, got_favours, summary = only_change(HEAD + old + "\n", HEAD + new + "\n")
    assert (got_field, got_favours) == (field, favours), summary
    if favours == "unclear":
        assert "; " in summary, "an unclear change says why"
    else:
        party = "Acme Ltd" if favours == "client" else "ServiceCo plc"
        assert summary.endswith(f"in favour of the {favours} ({party}).")


@pytest.mark.parametrize(
    ("rule", "old", "new", "field", "favours"), HEADER_ROWS, ids=[r[0] for r in HEADER_ROWS]
)
def test_header_rule(rule: str, old: str, new: str, field: str, favours: str) -> None:
    """Header rows edit the header; the one clause measures business hours against an upper bound."""
    assert old in HEAD
    got_field, got_favours, summary = only_change(HEAD + BUSINESS, HEAD.replace(old, new) + BUSINESS)
    assert (got_field, got_favours) == (field, favours), summary


def test_holidays_without_business_time_clauses_change_nothing_in_effect() -> None:
    old = HEAD + f"{P1}, credit 5%\n"
    new = old.replace('"2026-12-25"', '"2026-12-25", "2026-12-28"')
    _, favours, summary = only_change(old, new)
    assert favours == "unclear" and "no clause counts business time" in summary


def test_longer_hours_with_business_day_targets_is_unclear() -> None:
    """A longer working day also lengthens `1 business day`, so the effect on a day target is not one-way."""
    clause = "sla resolution_time p95 < 2 business days monthly, credit 5%\n"
    _, favours, summary = only_change(HEAD + clause, HEAD.replace("09:00-17:00", "08:00-18:00") + clause)
    assert favours == "unclear" and "business day" in summary


def test_filter_narrower_summary_explains_data_dependence() -> None:
    _, _, summary = only_change(HEAD + f"{P1}\n", HEAD + f'{P1} where priority = "P1"\n')
    assert summary == (
        "resolution_time-p95: the filter is narrowed; fewer measurements count, "
        "and whether that hides or reveals breaches depends on the data."
    )


def test_sla_to_kpi_is_one_record_naming_every_consequence_lost() -> None:
    old = HEAD + f"sla {P1}, credit 5%, 10% if >= 8h, chronic 3 of 6\n"
    field, favours, summary = only_change(old, HEAD + f"kpi {P1}\n")
    assert (field, favours) == ("kind", "provider")
    assert "`credit 5%, 10% if >= 8h, chronic 3 of 6` no longer applies" in summary


def test_switching_a_clause_to_another_calendar_is_unclear() -> None:
    head = HEAD + 'calendar extended "Mon-Sun 07:00-22:00"\n'
    old = head + "sla resolution_time p95 < 8 business hours monthly, credit 5%\n"
    field, favours, _ = only_change(old, old.replace("credit 5%", "credit 5%, calendar extended"))
    assert (field, favours) == ("calendar", "unclear")


def test_metric_declaration_changes_are_unclear_header_records() -> None:
    old = HEAD + 'metric resolution_time duration "logged to resolved"\n' + f"{P1}\n"
    new = old.replace("logged to resolved", "logged to closed")
    result = diff(checked(old), checked(new))
    (change,) = result.changes
    assert (change.clause, change.field, change.favours) == (None, "metric", "unclear")
    assert change.new == 'metric resolution_time duration "logged to closed"'


def test_header_text_is_one_line_even_when_the_formatter_wraps_it() -> None:
    days = ", ".join(f'"2027-01-{d:02d}"' for d in range(1, 12))
    old = HEAD.replace('"2026-12-25"', days) + BUSINESS
    new = old.replace('"2027-01-11"', '"2027-01-11", "2027-01-12"')
    result = diff(checked(old), checked(new))
    (change,) = result.changes
    assert change.new is not None and "\n" not in change.new and change.new.endswith('"2027-01-12"')


def test_annual_cap_raised_favours_client_and_removed_favours_client() -> None:
    old = HEAD + "annual cap 8%\n" + BUSINESS
    assert only_change(old, old.replace("annual cap 8%", "annual cap 10%"))[:2] == ("annual_cap", "client")
    assert only_change(old, old.replace("annual cap 8%", "annual cap 6%"))[:2] == ("annual_cap", "provider")
    assert only_change(old, old.replace("annual cap 8%\n", ""))[:2] == ("annual_cap", "client")


def test_clause_added_with_both_credit_and_bonus_is_unclear() -> None:
    both = "orders sum >= 12000 monthly, credit 2%, bonus 2% if >= 13000\n"
    field, favours, summary = only_change(HEAD + BUSINESS, HEAD + BUSINESS + both)
    assert (field, favours) == ("clause", "unclear") and "both credits and a bonus" in summary
