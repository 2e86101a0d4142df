"""Whatever the text, the parser answers with a policy or with the project's own errors; limits hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dsl
from dsl.errors import PolicyError, PolicyLimitError
from dsl.parser import MAX_CLAUSES, MAX_SOURCE_BYTES

EXAMPLES = sorted((Path(__file__).parents[2] / "policies").glob("*.sla"))
_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_policy_error(text: str) -> None:
    try:
        dsl.parse(text)
    except PolicyError as error:
        assert error.diagnostics, "a PolicyError always carries at least one diagnostic"
        for diagnostic in error.diagnostics:
            assert diagnostic.code and diagnostic.message
            assert diagnostic.line is None or diagnostic.line >= 1


@_settings
@given(st.text(max_size=200))
def test_random_text_raises_only_policy_errors(text: str) -> None:
    parse_or_policy_error(text)


@_settings
@given(st.sampled_from(EXAMPLES), st.data())
def test_mutated_example_policies_raise_only_policy_errors(path: Path, data: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        insert = data.draw(
            st.sampled_from(["", ",", "\n", "  ", '"', "#", "%", "p", "99", " if ", " of ", "-"])
        )
        text = text[:start] + insert + text[end:]
    parse_or_policy_error(text)


def test_limit_source_over_1_mib_is_refused() -> None:
    text = "# " + "x" * MAX_SOURCE_BYTES
    with pytest.raises(PolicyLimitError) as raised:
        dsl.parse(text)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E901" and "1 MiB" in diagnostic.message


def test_limit_over_10000_clauses_is_refused() -> None:
    text = "\n".join(f"m{i} max < 1 daily" for i in range(MAX_CLAUSES + 1))
    assert len(text.encode()) < MAX_SOURCE_BYTES
    with pytest.raises(PolicyLimitError) as raised:
        dsl.parse(text)
    assert raised.value.diagnostics[0].code == "E902"
    assert "10,000" in raised.value.diagnostics[0].message


def test_limit_exactly_10000_clauses_is_accepted() -> None:
    text = "\n".join(f"m{i} max < 1 daily" for i in range(MAX_CLAUSES))
    assert len(dsl.parse(text).clauses) == MAX_CLAUSES


def test_numbers_with_more_than_15_digits_are_refused_with_e113() -> None:
    """A figure of 16 or more digits cannot be represented exactly by the engine; a
    million-digit duration once crashed the checker with decimal.Overflow."""
    for text, column in (
        ("x p95 < " + "9" * 1000 + "h monthly\n", 9),
        ("x sum >= 1" + "0" * 15 + " monthly\n", 10),
    ):
        with pytest.raises(dsl.PolicySyntaxError) as raised:
            dsl.parse(text)
        (diagnostic,) = raised.value.diagnostics
        assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("E113", 1, column)
        assert "more than 15 digits" in diagnostic.message


def test_fifteen_digit_figures_are_accepted() -> None:
    policy = dsl.parse("fee 999999999999999 EUR monthly\nx sum >= 123456789.012345 monthly\n")
    assert policy.fee is not None and policy.fee.amount.amount == 999999999999999
