"""Property tests: ``dsl.check`` on any tree the parser can produce.

It never fails with anything but a :class:`dsl.PolicyError`; every diagnostic
has a stable code; with the canonical text as source, every diagnostic points
into that text; and the verdict does not depend on the layout of the text.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

import dsl
from tests.dsl.strategies import policies

CODE = re.compile(r"^(E[1-4]\d\d|W5\d\d)$")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _codes(policy: dsl.ast.Policy, source: str | None = None) -> tuple[list[str], list[str]]:
    """The error codes and warning codes of ``policy``."""
    try:
        checked = dsl.check(policy, source=source, filename="p.sla" if source else None)
    except dsl.PolicyCheckError as error:
        assert error.diagnostics, "a check error carries at least one diagnostic"
        return [d.code for d in error.diagnostics], []
    return [], [w.code for w in checked.warnings]


@SETTINGS
@given(policies())
def test_check_raises_only_policy_errors_with_stable_codes(policy: dsl.ast.Policy) -> None:
    errors, warnings = _codes(policy)
    assert all(CODE.match(code) for code in errors + warnings), errors + warnings
    assert all(code.startswith("E") for code in errors)
    assert all(code.startswith("W") for code in warnings)


@SETTINGS
@given(policies())
def test_check_of_canonical_text_points_into_the_text_and_agrees_with_the_tree(
    policy: dsl.ast.Policy,
) -> None:
    source = dsl.format_policy(policy)
    parsed = dsl.parse(source)
    lines = source.split("\n")
    try:
        checked = dsl.check(parsed, source=source, filename="p.sla")
        diagnostics = checked.warnings
    except dsl.PolicyCheckError as error:
        diagnostics = error.diagnostics
    for diagnostic in diagnostics:
        assert diagnostic.line is not None and 1 <= diagnostic.line <= len(lines), str(diagnostic)
        assert diagnostic.snippet == lines[diagnostic.line - 1]
        assert (
            diagnostic.column is not None
            and diagnostic.column + diagnostic.width - 1 <= len(diagnostic.snippet) + 1
        ), str(diagnostic)
        assert diagnostic.hint
    assert sorted(_codes(parsed, source)[0]) == sorted(_codes(policy)[0])
