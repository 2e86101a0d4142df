"""`sla check` and `sla fmt` exactly as interfaces.md says, including exit statuses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.sla_command import run, write

POLICIES = sorted((Path(__file__).parents[2] / "policies").glob("*.sla"))


def test_check_valid_files_exit_0_and_print_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", *map(str, POLICIES))
    assert (status, out, err) == (0, "", "")


def test_check_invalid_file_exits_1_with_compiler_style_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = write(tmp_path, "bad.sla", "x p95 < 4h montly\n")
    status, _, err = run(capsys, "check", name)
    assert status == 1
    assert err.startswith(f"{name}:1:12: error[E100]: expected a window")
    assert "  x p95 < 4h montly\n             ^^^^^^\n  hint: did you mean `monthly`?" in err


def test_check_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "/nonexistent/policy.sla")
    assert status == 2 and "no such file" in err


def test_check_without_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check")
    assert status == 2 and "usage:" in err


def test_fmt_rewrites_file_in_canonical_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = write(tmp_path, "p.sla", "x   p95 at most 4 hours per month,credit 5% per breach\n")
    status, _, err = run(capsys, "fmt", name)
    assert status == 0 and "reformatted" in err
    assert Path(name).read_text(encoding="utf-8") == "sla x p95 <= 4h monthly, credit 5%\n"


def test_fmt_check_reports_files_that_would_change_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = write(tmp_path, "p.sla", "x p95 < 240m daily\n")
    status, _, err = run(capsys, "fmt", "--check", name)
    assert status == 1 and f"{name} would be reformatted" in err
    assert Path(name).read_text(encoding="utf-8") == "x p95 < 240m daily\n"


def test_fmt_check_canonical_examples_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(capsys, "fmt", "--check", *map(str, POLICIES))
    assert status == 0


def test_fmt_dash_reads_stdin_writes_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"kpi x mean under 2h daily\n")))
    status, out, _ = run(capsys, "fmt", "-")
    assert (status, out) == (0, "kpi x mean < 2h daily\n")


def test_fmt_invalid_input_exits_1_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = write(tmp_path, "p.sla", "x < 4h daily\n")
    status, _, err = run(capsys, "fmt", name)
    assert status == 1 and "error[E101]" in err


def test_check_reports_rule_errors_with_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = write(tmp_path, "kpi.sla", 'kpi "K": x p95 < 4h monthly, credit 5%\n')
    status, out, err = run(capsys, "check", name)
    assert (status, out) == (1, "")
    assert err.startswith(f"{name}:1:30: error[E320]: a kpi carries no consequence")
    assert "  hint: write `sla` instead of `kpi`" in err


def test_check_warnings_are_printed_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = 'x p95 < 4h monthly where priority = "P1"\ny p95 < 8h monthly where priority = "p1"\n'
    name = write(tmp_path, "case.sla", text)
    status, out, err = run(capsys, "check", name)
    assert (status, out) == (0, "")
    assert f"{name}:2:" in err and "warning[W540]" in err


def test_check_a_file_that_is_not_utf8_exits_1_with_e109_at_the_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Policies are UTF-8. A Latin-1 `é` (byte 0xe9) on line 2, column 18 is an error of the file,
    with its place, not a usage error."""
    path = tmp_path / "latin1.sla"
    path.write_bytes('x p95 < 4h monthly\nsla "Disponibilité": y mean >= 99% monthly\n'.encode("latin-1"))
    status, _, err = run(capsys, "check", str(path))
    assert status == 1
    assert err.startswith(f"{path}:2:18: error[E109]: the file is not UTF-8 text: byte 0xe9")
    assert "hint: save the policy as UTF-8" in err


def test_fmt_a_file_that_is_not_utf8_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.sla"
    path.write_bytes(b"x p95 < 4h monthly # \xe9t\xe9\n")
    status, _, err = run(capsys, "fmt", str(path))
    assert status == 1 and "error[E109]" in err
    assert path.read_bytes() == b"x p95 < 4h monthly # \xe9t\xe9\n"
