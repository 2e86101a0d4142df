"""docs/checks.md stays true: every code it lists is produced by its example, and every code is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dsl

DOC = Path(__file__).parents[2] / "docs" / "checks.md"
ROW = re.compile(r"^\| ([EW]\d{3}) \| .*? \| `([^`]+)` \| .*\|$")
ROWS = [m.groups() for m in map(ROW.match, DOC.read_text(encoding="utf-8").splitlines()) if m]


def _codes(source: str) -> list[str]:
    try:
        checked = dsl.check(dsl.parse(source), source=source)
    except dsl.PolicyCheckError as error:
        return [d.code for d in error.diagnostics]
    return [w.code for w in checked.warnings]


@pytest.mark.parametrize(("code", "example"), ROWS, ids=[code for code, _ in ROWS])
def test_documented_example_gives_its_code(code: str, example: str) -> None:
    assert code in _codes(example.replace(" ⏎ ", "\n") + "\n")


def test_every_check_code_is_documented() -> None:
    sources = "".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parents[2] / "dsl").glob("*.py")
        if p.name not in ("transformer.py", "syntax.py", "hours.py", "parser.py", "structure.py")
    )
    used = set(re.findall(r'"([EW][3-5]\d\d)"', sources))
    assert used <= {code for code, _ in ROWS}, used - {code for code, _ in ROWS}
    assert len(ROWS) >= 30
