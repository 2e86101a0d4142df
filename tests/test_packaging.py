"""The built wheel carries the grammar and the `sla` command works from a fresh environment."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_into_fresh_venv_and_sla_check_runs(tmp_path: Path) -> None:
    """Build the wheel offline, install it without dependencies into a new venv whose only
    extra path is this environment's site-packages (for lark, polars, ...), and check an
    example policy from a directory where the source tree cannot be imported."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("sla-*.whl")
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    bin_dir = fresh / "bin"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site_packages = next(p for p in sys.path if p.endswith("site-packages"))
    env = {"PYTHONPATH": site_packages, "PATH": "/usr/bin:/bin"}
    where = subprocess.run(
        [bin_dir / "python", "-c", "import dsl.parser as p; print(p._grammar_path())"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert where.startswith(str(fresh)), where
    policy = ROOT / "policies" / "it-service-desk.sla"
    result = subprocess.run(
        [bin_dir / "sla", "check", str(policy)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    bad = tmp_path / "bad.sla"
    bad.write_text("resolution_time < 4h monthly\n", encoding="utf-8")
    result = subprocess.run(
        [bin_dir / "sla", "check", str(bad)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 1
    assert f"{bad}:1:17: error[E101]" in result.stderr
