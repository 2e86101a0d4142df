"""``sla serve``: its options, and ``--load DIR`` storing the example policies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from api import crud, db
from api.cli import build_parser
from api.server import load_policies

POLICIES = Path(__file__).parents[2] / "policies"


def test_serve_options_parse_as_interfaces_md_names_them() -> None:
    args = build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9000", "--db", "sqlite:///x.db"]
    )
    assert (args.host, args.port, args.db, args.load) == ("0.0.0.0", 9000, "sqlite:///x.db", None)
    defaults = build_parser().parse_args(["serve"])
    assert (defaults.host, defaults.port, defaults.db) == ("127.0.0.1", 8000, None)


def test_load_stores_each_policy_once_and_a_changed_file_as_a_new_version(tmp_path: Path) -> None:
    directory = tmp_path / "policies"
    shutil.copytree(POLICIES, directory)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'sla.db'}")
    names = sorted(p.stem for p in POLICIES.glob("*.sla"))
    assert load_policies(engine, directory) == [f"{name}: version 1 stored" for name in names]
    assert load_policies(engine, directory) == [f"{name}: version 1 unchanged" for name in names]
    desk = directory / "it-service-desk.sla"
    desk.write_text(desk.read_text(encoding="utf-8").replace("cap 15%", "cap 12%"), encoding="utf-8")
    assert "it-service-desk: version 2 stored" in load_policies(engine, directory)
    with Session(engine) as session:
        assert [p.name for p, _ in crud.list_policies(session)] == names
    engine.dispose()


def test_load_refuses_an_invalid_policy_with_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "bad.sla").write_text("x p95 < 4h montly\n", encoding="utf-8")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'sla.db'}")
    with pytest.raises(Exception, match=r"bad\.sla:1:12"):
        load_policies(engine, tmp_path)
    engine.dispose()
