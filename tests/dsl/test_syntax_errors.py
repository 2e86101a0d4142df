"""Invalid policies: each error names its code, line and column and says what is wrong in words."""

from __future__ import annotations

import pytest

import dsl
from dsl.errors import PolicySyntaxError

# (text, code, line, column, words that must appear in the message or hint)
CASES = [
    ("resolution_time < 4h monthly", "E101", 1, 17, ["no aggregation", "p95", "median", "count"]),
    ("x p95 < 4h montly", "E100", 1, 12, ["window", "did you mean `monthly`?"]),
    ("x p95 < 4h", "E100", 1, 11, ["window", "end of the statement"]),
    ("metric count number", "E102", 1, 8, ["keyword", "count_value"]),
    ('x p95 < 4h daily where monthly = "a"', "E102", 1, 24, ["keyword"]),
    ("x p95 < -4h monthly", "E104", 1, 9, ["sign"]),
    ('sla "a": x P95 < 4h monthly', "E105", 1, 12, ["lower case", "p95"]),
    ("Resolution_time p95 < 4h monthly", "E105", 1, 1, ["lower case", "resolution_time"]),
    ('sla "unterminated: x p95 < 4h monthly', "E103", 1, 5, ["not closed"]),
    ('calendar "Mon-Fry 09:00-17:00"', "E141", 1, 15, ["day of the week", "Fri"]),
    ('calendar "Mon-Fri 09:00-17:00, Fri 12:00-18:00"', "E144", 1, 32, ["overlaps", "Fri"]),
    ('calendar "Mon-Fri 25:00-26:00"', "E142", 1, 19, ["not a time of day"]),
    ('calendar "Mon-Fri 17:00-09:00"', "E143", 1, 19, ["end before they start", "midnight"]),
    ('calendar "weekdays"', "E140", 1, 11, ["day range with hours"]),
    ('calendar "Mon-Fri 09:00-17:00" holidays "2026-02-30"', "E146", 1, 41, ["not a date", "YYYY-MM-DD"]),
    ("x p100 < 4h monthly", "E110", 1, 3, ["not a percentile"]),
    ("x p0 < 4h monthly", "E110", 1, 3, ["not a percentile"]),
    ("x p99.95 < 4h monthly", "E110", 1, 3, ["more than one decimal", "pNN.N"]),
    ("x mean >= 150% monthly", "E111", 1, 11, ["more than 100%"]),
    ("150% of x < 4h monthly", "E111", 1, 1, ["more than 100%"]),
    ('policy "x"\npolicy "y"', "E201", 2, 1, ["given twice", "line 1"]),
    ("fee 1 EUR monthly\nfee 2 EUR monthly", "E201", 2, 1, ["`fee` is given twice"]),
    ('calendar "Mon 09:00-10:00"\ncalendar "Tue 09:00-10:00"', "E202", 2, 1, ["given twice"]),
    ("x p95 < 4h monthly from day 30", "E121", 1, 29, ["day 30", "1 to 28"]),
    ("x p95 < 4h weekly from day 3", "E120", 1, 28, ["weekly", "day of the month"]),
    ("x p95 < 4h monthly from day 3 of May", "E122", 1, 29, ["monthly", "of"]),
    ("x p95 < 4h monthly,\n   credit 5%, maxx 10%", "E108", 2, 15, ["maxx", "max"]),
    ("x p95 < 4h monthly, credit 500 EUR per 1h over", "E130", 1, 28, ["percentage per step"]),
    ("x p95 < 4h monthly, credit 500 EUR of pool", "E130", 1, 28, ["percentage of the pool"]),
    ("x p95 < 4h monthly, min 2.5 samples", "E112", 1, 25, ["whole number"]),
    ("x p95 < 4h monthly, chronic 3 of 6.5", "E112", 1, 34, ["whole number"]),
    ("fee 100 EUR weekly", "E150", 1, 13, ["monthly, quarterly or yearly"]),
    ("x p95 < 4h monthly credit 5%", "E100", 1, 20, ["found `credit`"]),
    ("x p95 < 4h monthly, credit", "E100", 1, 27, ["end of the statement"]),
    ('x p95 < 4h monthly where priority == "P1"', "E100", 1, 36, ["expected", "single `=`"]),
    ("x p95 < 4h monthly where priority = P1", "E105", 1, 37, ["lower case"]),
    ("x p95 < 4h monthly, credit 5% $", "E107", 1, 31, ["unexpected character `$`"]),
    ("x p95 < 4h monthly, credits 5%", "E108", 1, 21, ["credits", "credit"]),
    ("x p95 < 1h30 monthly", "E106", 1, 9, ["not a number or quantity"]),
    ("x p95 < 4h daily\nx p95 < 4h daily\nfoo", "E100", 3, 4, ["end of the statement"]),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "words"), CASES, ids=[c[1] + ":" + c[0][:30] for c in CASES]
)
def test_invalid_policy_reports_code_line_column_and_words(
    text: str, code: str, line: int, column: int, words: list[str]
) -> None:
    with pytest.raises(PolicySyntaxError) as raised:
        dsl.parse(text, "bad.sla")
    first = raised.value.diagnostics[0]
    said = f"{first.message} {first.hint or ''}"
    assert (first.code, first.line, first.column) == (code, line, column), str(first)
    for word in words:
        assert word in said, str(first)
    assert first.snippet == text.split("\n")[line - 1]
    assert str(first).startswith(f"bad.sla:{line}:{column}: error[{code}]: ")


def test_every_syntax_error_of_a_file_is_reported_at_once() -> None:
    text = "x p95 < 4h montly\ny p95 < 4h monthly\nmetric count number\nz mean >= 150% daily\n"
    with pytest.raises(PolicySyntaxError) as raised:
        dsl.parse(text)
    assert [(d.line, d.code) for d in raised.value.diagnostics] == [(1, "E100"), (3, "E102"), (4, "E111")]


def test_diagnostic_prints_line_caret_and_hint() -> None:
    with pytest.raises(PolicySyntaxError) as raised:
        dsl.parse("x p95 < 4h montly", "p.sla")
    assert str(raised.value.diagnostics[0]) == (
        "p.sla:1:12: error[E100]: expected a window (daily, weekly, monthly, quarterly, yearly,"
        " or `per month`), but found `montly`\n"
        "  x p95 < 4h montly\n"
        "             ^^^^^^\n"
        "  hint: did you mean `monthly`?"
    )


def test_diagnostics_convert_to_the_api_error_shape() -> None:
    with pytest.raises(PolicySyntaxError) as raised:
        dsl.parse("x p95 < 4h montly")
    assert raised.value.to_dicts() == [
        {
            "code": "E100",
            "severity": "error",
            "message": raised.value.diagnostics[0].message,
            "line": 1,
            "column": 12,
            "snippet": "x p95 < 4h montly",
            "hint": "did you mean `monthly`?",
        }
    ]
