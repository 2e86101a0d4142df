"""Running the `sla` command in process, as the command-line tests do."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``sla ARGV...``: its exit status (also when argparse exits for a usage error), stdout, stderr."""
    try:
        status = main(list(argv))
    except SystemExit as exited:
        status = int(exited.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    """Write ``text`` to ``tmp_path / name``; returns the path as the command line takes it."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
