"""``sla eval``: exit statuses, the report JSON, the scorecard, and measurement errors as a user sees them."""

from __future__ import annotations

import io
import json
import pathlib
import sys
from pathlib import Path

import pytest

from api.cli import main
from api.scorecard import render_scorecard
from dsl import ast
from tests.sla_command import run as sla

POLICY = """policy "Demo Desk"
fee 10000 EUR monthly
cap 10%
metric resolution_time duration
metric availability ratio
sla "P1 resolution": resolution_time p95 < 4h monthly where priority = "P1", credit 5%, chronic 2 of 3
sla "Availability": availability mean >= 99.9% monthly, credit 3%, 8% if < 99%
"""

# January: P1 p95 is 5h (breach, 5%); availability 98.5% (tier 8%): 13% > cap 10% -> capped.
# February: P1 p95 is 6h (breach; second of three -> chronic); availability met.
MEASUREMENTS = """metric,time,value,priority
resolution_time,2026-01-05T09:00:00Z,3600,P1
resolution_time,2026-01-06T09:00:00Z,18000,P1
availability,2026-01-31T12:00:00Z,0.985,
resolution_time,2026-02-05T09:00:00Z,21600,P1
resolution_time,2026-02-06T09:00:00Z,1800,P2
availability,2026-02-27T12:00:00Z,0.9995,
"""


@pytest.fixture
def files(tmp_path: pathlib.Path) -> tuple[str, str]:
    policy = tmp_path / "demo.sla"
    policy.write_text(POLICY)
    batch = tmp_path / "batch.csv"
    batch.write_text(MEASUREMENTS)
    return str(policy), str(batch)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return sla(capsys, "eval", *argv)


def test_breaches_are_not_errors_and_json_is_the_default_off_a_terminal(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Jan: 5% + 8% = 13% of 10000 = 1300 EUR, capped to 10% = 1000; scaled 1000/1300: 384.62 + 615.38."""
    status, out, err = run(capsys, *files)
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["policy"] == "Demo Desk"
    p1, availability = report["clauses"]
    assert [w["status"] for w in p1["windows"]] == ["breached", "breached"]
    assert p1["chronic"]["breaches"] == 2
    assert [w["credit"] for w in availability["windows"]] == [615.38, 0.0]
    january = report["periods"][0]
    assert (january["credit_before_cap"], january["credit"], january["capped"]) == (1300.0, 1000.0, True)
    assert report["total_credit"] == 1500.0  # 1000 (January, capped) + 500 (February, 5%)
    assert report["unused_rows"] == 0


def test_json_output_is_the_report_to_json_bytes(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Money is written to the cent: 1000.00, not 1000.0."""
    status, out, _ = run(capsys, *files, "--format", "json")
    assert status == 0
    assert '"total_credit": 1500.00' in out


def test_scorecard_shows_figures_in_clause_units_statuses_and_totals(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, *files, "--format", "table")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("Demo Desk") and lines[0].endswith("fees in EUR")
    assert any(line.startswith("P1 resolution (p1-resolution)  [sla]") for line in lines)
    january_p1 = next(line for line in lines if line.strip().startswith("2026-01") and "5h" in line)
    assert "BREACHED" in january_p1 and "< 4h" in january_p1 and "384.62" in january_p1
    assert any("98.5%" in line and ">= 99.9%" in line and "615.38" in line for line in lines)
    assert any("CHRONIC FAILURE" in line and "2 breaches within 3" in line for line in lines)
    period = next(line for line in lines if line.strip().startswith("2026-01") and "CAPPED" in line)
    assert "1,300.00" in period and "1,000.00" in period
    assert "Total credit 1,500.00 EUR" in out
    assert "\x1b[" not in out, "no colours when not on a terminal"


def test_bad_measurement_row_exits_1_with_file_row_field_and_hint(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(MEASUREMENTS + "resolution_time,2026-02-07T09:00:00,60,P1\n")
    status, out, err = run(capsys, files[0], str(bad))
    assert (status, out) == (1, "")
    first, hint = err.splitlines()[:2]
    assert first == f"{bad}:row 7: time: error[E606]: the time '2026-02-07T09:00:00' has no UTC offset"
    assert hint.startswith("  hint: ")


def test_ratio_out_of_range_found_by_the_engine_exits_1_with_its_row(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(MEASUREMENTS + "availability,2026-02-28T12:00:00Z,99.95,\n")
    status, _, err = run(capsys, files[0], str(bad))
    assert status == 1
    assert err.startswith(f"{bad}:row 7: value: error[E62")
    assert "0.9995" in err


def test_invalid_policy_exits_1(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    policy = tmp_path / "broken.sla"
    policy.write_text("resolution_time < 4h monthly\n")
    status, out, err = run(capsys, str(policy), files[1])
    assert (status, out) == (1, "")
    assert "broken.sla:1:" in err


def test_unknown_extension_is_bad_input_not_guessed(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    odd = tmp_path / "batch.txt"
    odd.write_text(MEASUREMENTS)
    status, _, err = run(capsys, files[0], str(odd))
    assert status == 1
    assert "error[E602]" in err
    status, out, _ = run(capsys, files[0], str(odd), "--input-format", "csv")
    assert status == 0 and json.loads(out)["total_credit"] == 1500.0


@pytest.mark.parametrize(
    "argv",
    [
        ("--from", "1 January 2026"),
        ("--to", "yesterday"),
        ("--from", "2026-02-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z"),
        ("--format", "xml"),
        ("--input-format", "xlsx"),
    ],
)
def test_usage_errors_exit_2(
    argv: tuple[str, ...], files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        status = main(["eval", *files, *argv])
        raise SystemExit(status)
    assert info.value.code == 2


def test_missing_measurement_file_exits_2(files: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, files[0], files[1] + ".gone.csv")
    assert status == 2
    assert "no such file" in err


def test_range_bounds_select_windows_and_mark_provisional_ones(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--to inside February: February is reported with final false and only rows before the 15th count."""
    status, out, _ = run(
        capsys, *files, "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-15T00:00:00+00:00"
    )
    assert status == 0
    report = json.loads(out)
    availability = report["clauses"][1]
    assert [w["final"] for w in availability["windows"]] == [True, False]
    assert availability["windows"][1]["status"] == "no_data"
    assert report["range"] == {"from": "2026-01-01T00:00:00+00:00", "to": "2026-02-15T00:00:00+00:00"}


def test_measurements_from_stdin_need_a_format(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(MEASUREMENTS.encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, _ = run(capsys, files[0], "-", "--input-format", "csv")
    assert status == 0 and json.loads(out)["total_credit"] == 1500.0
    status, _, err = run(capsys, files[0], "-")
    assert status == 2 and "--input-format" in err


def test_scorecard_lists_only_unmet_windows_of_a_long_clause() -> None:
    """A daily clause over 30 days lists its one breach and says 29 met windows were left out."""
    windows = [
        {
            "start": f"2026-01-{day:02d}T00:00:00+00:00",
            "end": f"2026-01-{day + 1:02d}T00:00:00+00:00",
            "samples": 10,
            "value": 0.5 if day == 7 else 1.0,
            "status": "breached" if day == 7 else "met",
            "credit_percent": 1 if day == 7 else 0,
            "credit": 10.0 if day == 7 else 0.0,
            "bonus_percent": 0,
            "bonus": 0.0,
            "earned_back": False,
            "final": True,
            "explanation": "",
        }
        for day in range(1, 31)
    ]
    clause = {
        "id": "speed",
        "kind": "sla",
        "text": "",
        "metric": "answer_time",
        "owner": None,
        "aggregation": "share",
        "target": {"op": ">=", "value": 0.8},
        "threshold": {"op": "<=", "value": 20},
        "windows": windows,
        "breaches": 1,
        "credit": 10.0,
        "chronic": None,
    }
    report = {
        "policy": None,
        "version": None,
        "currency": "EUR",
        "range": None,
        "clauses": [clause],
        "periods": [],
    }
    text = render_scorecard(report, {"answer_time": ast.MetricKind.DURATION})
    assert "80% of values <= 20s" in text
    assert "2026-01-07" in text and "2026-01-08" not in text
    assert "29 met windows not listed" in text


def test_scorecard_without_a_fee_shows_credits_as_percentages(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    """Without a fee: Jan p95 5h and Feb p95 6h breach, 5% each: 10% of the fee in all."""
    policy = tmp_path / "nofee.sla"
    policy.write_text('resolution_time p95 < 4h monthly where priority = "P1", credit 5% per breach\n')
    status, out, _ = run(capsys, str(policy), files[1], "--format", "table")
    assert status == 0
    assert "breaches 2 · credit 10% of the fee" in out
    assert "The policy states no fee" in out
    assert json.loads(main_json(capsys, str(policy), files[1]))["total_credit"] is None


def main_json(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, _ = run(capsys, *argv, "--format", "json")
    assert status == 0
    return out


def test_range_bounds_without_an_offset_are_read_in_the_policy_time_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--from 2026-03-01` in a Europe/London policy is 1 March 00:00 London time (GMT, +00:00);
    `--to 2026-04-01` is 1 April 00:00 London time (BST, +01:00), as the service reads bounds too."""
    policy = tmp_path / "p.sla"
    policy.write_text('timezone "Europe/London"\nx mean <= 5 monthly\n', encoding="utf-8")
    data = tmp_path / "m.csv"
    data.write_text("metric,time,value\nx,2026-03-10T10:00:00Z,4\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        raise SystemExit(
            main(
                [
                    "eval",
                    str(policy),
                    str(data),
                    "--from",
                    "2026-03-01",
                    "--to",
                    "2026-04-01",
                    "--format",
                    "json",
                ]
            )
        )
    assert info.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["range"] == {"from": "2026-03-01T00:00:00+00:00", "to": "2026-04-01T00:00:00+01:00"}
    assert [w["final"] for w in report["clauses"][0]["windows"]] == [True]
