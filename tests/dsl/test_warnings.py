"""The checker's warnings (W5xx): valid policies that are almost certainly not what was meant.

Warnings are returned in ``CheckedPolicy.warnings`` only when the policy has no
error; the example policies in policies/ must raise none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dsl

POLICIES = sorted((Path(__file__).parents[2] / "policies").glob("*.sla"))


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_example_policies_check_without_warnings(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    checked = dsl.check(dsl.parse(source, str(path)), source=source, filename=str(path))
    assert [str(w) for w in checked.warnings] == []


def test_there_are_six_example_policies() -> None:
    assert len(POLICIES) == 6
