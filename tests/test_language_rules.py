"""Command-line rules of interfaces.md (and the warning rule of language.md) that had no test naming them.

The language and engine rules are in tests/dsl/test_rules_language.py,
tests/engine/test_rules_semantics.py and tests/engine/test_rules_windows.py;
docs/rules.md maps every rule to its tests.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from tests.sla_command import run, write

POLICY = 'policy "Rules"\nfee 1000 EUR monthly\nsla "Backlog": backlog max <= 50 monthly, credit 5%\n'
# January: max 60 > 50, breached: 5% of 1000 = 50.00 EUR.
BATCH = "metric,time,value\nbacklog,2026-01-05T10:00:00Z,60\n"


def test_rule_eval_writes_the_table_by_default_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """interfaces.md, sla eval: `--format table` (default on a terminal). The scorecard names the
    clause and the 50.00 credit; `--format json` still gives the report on a terminal."""
    policy, batch = write(tmp_path, "p.sla", POLICY), write(tmp_path, "m.csv", BATCH)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, out, _ = run(capsys, "eval", policy, batch)
    assert status == 0
    assert "Backlog" in out and "50.00" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)
    status, out, _ = run(capsys, "eval", policy, batch, "--format", "json")
    assert (status, json.loads(out)["total_credit"]) == (0, 50.0)


def test_rule_check_of_several_files_reports_each_fault_and_exits_1_if_any_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """interfaces.md, sla check FILE...: 0 valid, 1 invalid. One valid and one invalid file: exit 1,
    the error names the invalid file as FILE:LINE:COL: error[CODE], the valid one is not mentioned."""
    good = write(tmp_path, "good.sla", POLICY)
    bad = write(tmp_path, "bad.sla", "x p95 < 4h monthly\nresolution_time < 4h monthly\n")
    status, _, err = run(capsys, "check", good, bad)
    assert status == 1
    assert err.startswith(f"{bad}:2:17: error[E101]: ")
    assert good not in err


def test_rule_warnings_are_printed_as_warnings_and_check_still_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """language.md, Warnings: `sla check` prints warnings, exit status still 0. `"P1"` beside `"p1"`
    (W540) is printed as FILE:LINE:COL: warning[W540]."""
    name = write(
        tmp_path,
        "cased.sla",
        'x p95 < 4h monthly where priority = "P1"\ny p95 < 8h monthly where priority = "p1"\n',
    )
    status, out, err = run(capsys, "check", name)
    assert status == 0
    assert f"{name}:2:" in out + err and "warning[W540]" in out + err


ROOT = Path(__file__).parents[1]
_PREFIXES = {"D": "dsl/", "E": "engine/", "A": "api/", "": ""}


def test_rule_table_names_only_tests_that_exist() -> None:
    """docs/rules.md maps every rule to its tests: each `X/file.py::name` it names is a test function
    of that file (D = tests/dsl, E = tests/engine, A = tests/api), so the table cannot point at a
    renamed or removed test. The table names at least 150 tests."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    references = re.findall(r"\b(?:([DEA])/)?(test_\w+\.py)::(test_\w+)", text)
    assert len({name for _, _, name in references}) >= 150
    functions: dict[str, set[str]] = {}
    missing = []
    for prefix, file, name in references:
        path = ROOT / "tests" / (_PREFIXES[prefix] + file)
        key = str(path)
        if key not in functions:
            tree = ast.parse(path.read_text(encoding="utf-8")) if path.exists() else ast.Module([], [])
            functions[key] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if name not in functions[key]:
            missing.append(f"{prefix}/{file}::{name}")
    assert missing == []
