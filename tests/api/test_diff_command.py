"""`sla diff OLD NEW [--replay FILE] [--format text|json]`: exit statuses 0, 1, 2 and both output forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sla_command import run, write

OLD = """\
client "Acme Ltd"
provider "ServiceCo plc"
fee 100000 EUR monthly
sla "P1 resolution": resolution_time p95 < 4h monthly, credit 5%
"""
NEW = OLD.replace("< 4h", "< 6h")
# January and March take 5h (18000 s) per ticket, February 3h: the old target misses twice, the new never.
ROWS = """metric,time,value
resolution_time,2026-01-10T10:00:00Z,18000
resolution_time,2026-02-10T10:00:00Z,10800
resolution_time,2026-03-10T10:00:00Z,18000
"""


def test_same_meaning_exits_0_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path, "old.sla", OLD)
    new = write(tmp_path, "new.sla", OLD.replace("< 4h monthly", "under 4 hours per month"))
    status, out, _ = run(capsys, "diff", old, new)
    assert status == 0
    assert out == f"No changes: {old} and {new} mean the same.\n"


def test_changes_exit_1_with_numbered_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    status, out, _ = run(capsys, "diff", old, new)
    assert status == 1
    assert out == (
        f"1 change from {old} to {new} (1 in favour of the provider):\n\n"
        "1. P1 resolution: p95 target loosened from < 4h to < 6h, "
        "in favour of the provider (ServiceCo plc).\n"
    )


def test_json_form_is_the_interface_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    status, out, _ = run(capsys, "diff", old, new, "--format", "json")
    assert status == 1
    (change,) = json.loads(out)["changes"]
    assert (change["clause"], change["field"], change["old"], change["new"], change["favours"]) == (
        "p1-resolution",
        "target",
        "< 4h",
        "< 6h",
        "provider",
    )


def test_replay_json_gives_totals_per_clause_and_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Old: January and March breach, 2 x 5% of 100,000 = 10,000 EUR; new: nothing."""
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    rows = write(tmp_path, "m.csv", ROWS)
    status, out, _ = run(capsys, "diff", old, new, "--replay", rows, "--format", "json")
    assert status == 1
    replay = json.loads(out)["replay"]
    assert (replay["old_total_credit"], replay["new_total_credit"]) == (10000.0, 0.0)
    assert replay["by_clause"][0]["clause"] == "p1-resolution"
    assert [p["old"] for p in replay["by_period"]] == [5000.0, 0.0, 5000.0]


def test_replay_text_is_ready_for_an_email(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    rows = write(tmp_path, "m.csv", ROWS)
    _, out, _ = run(capsys, "diff", old, new, "--replay", rows)
    assert out.endswith(
        f"Replayed on {rows} from 2026-01-10 to 2026-03-10:\n"
        "  Total credit: 10,000.00 EUR under the old version, 0.00 EUR under the new (-10,000.00).\n"
        "  By clause (old -> new):\n"
        "    p1-resolution: 10,000.00 -> 0.00 (-10,000.00)\n"
        "  By fee period (old -> new):\n"
        "    2026-01-01 to 2026-02-01: 5,000.00 -> 0.00 (-5,000.00)\n"
        "    2026-02-01 to 2026-03-01: 0.00 -> 0.00 (+0.00)\n"
        "    2026-03-01 to 2026-04-01: 5,000.00 -> 0.00 (-5,000.00)\n"
    )


def test_invalid_policy_exits_2_with_the_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, bad = write(tmp_path, "old.sla", OLD), write(tmp_path, "bad.sla", "x p95 < 4h montly\n")
    status, _, err = run(capsys, "diff", old, bad)
    assert status == 2 and f"{bad}:1:12: error[E100]" in err


def test_missing_policy_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "diff", write(tmp_path, "old.sla", OLD), str(tmp_path / "none.sla"))
    assert status == 2 and "no such file" in err


def test_invalid_measurement_row_exits_2_naming_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    rows = write(tmp_path, "m.csv", ROWS.replace("2026-02-10T10:00:00Z", "2026-02-10T10:00:00"))
    status, _, err = run(capsys, "diff", old, new, "--replay", rows)
    assert status == 2 and f"{rows}:row 2" in err


def test_range_without_replay_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path, "old.sla", OLD), write(tmp_path, "new.sla", NEW)
    status, _, err = run(capsys, "diff", old, new, "--from", "2026-01-01T00:00:00Z")
    assert status == 2 and "--replay" in err


def test_replay_without_a_fee_compares_breached_windows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_fee = OLD.replace("fee 100000 EUR monthly\n", "")
    old, new = write(tmp_path, "old.sla", no_fee), write(tmp_path, "new.sla", no_fee.replace("< 4h", "< 6h"))
    rows = write(tmp_path, "m.csv", ROWS)
    _, out, _ = run(capsys, "diff", old, new, "--replay", rows)
    assert "  Total credit: no money figure (no fee) under the old version" in out
    assert "    p1-resolution: 2 -> 0 breached windows\n" in out
