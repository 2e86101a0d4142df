"""Imports run api -> engine -> dsl, never back (style.md, rule 1).

``dsl`` knows only lark and the standard library; ``engine`` never imports
lark, FastAPI or SQLModel; neither imports ``api``. The test reads every
module's import statements, so a violation fails before it ever runs.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "dsl": {"engine", "api", "fastapi", "sqlmodel", "sqlalchemy", "polars", "numpy", "starlette"},
    "engine": {"api", "lark", "fastapi", "sqlmodel", "sqlalchemy", "starlette", "uvicorn"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downstream_layers(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_dsl_imports_only_lark_and_the_standard_library() -> None:
    allowed = {"dsl", "lark", "lark_cython", "__future__", *sys.stdlib_module_names}
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) - allowed)
        for path in sorted((ROOT / "dsl").rglob("*.py"))
        if imported_roots(path) - allowed
    }
    assert offenders == {}
