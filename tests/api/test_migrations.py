"""The migrations ship inside the ``api`` package and form one line of history."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import api
from api import db


def test_migrations_live_in_the_api_package_so_the_wheel_carries_them() -> None:
    assert db.MIGRATIONS.parent == Path(api.__file__).parent
    assert (db.MIGRATIONS / "script.py.mako").is_file()


def test_migrations_form_a_single_line_from_0001() -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == ["0002"]
    assert [r.revision for r in script.walk_revisions()] == ["0002", "0001"]


def test_start_applies_the_migrations_and_running_them_again_changes_nothing(database_url: str) -> None:
    engine = db.make_engine(database_url)
    db.migrate(engine)
    db.migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"policy", "policy_version", "measurement_batch", "measurement", "evaluation"} <= tables
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'sla.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
