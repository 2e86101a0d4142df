"""Running the service: loading a directory of policies, then uvicorn.

``sla serve --load policies`` stores every ``*.sla`` file of the directory
under its file name without the extension (``it-service-desk.sla`` becomes
``it-service-desk``): version 1 when the name is new, a new version when the
file changed, nothing when it is the latest version already. An invalid file
stops the start, with its errors, rather than serve a partial set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from . import crud, db, domain
from .app import create_app
from .config import Settings
from .errors import ApiError

LOADER = "sla serve --load"


def load_policies(engine: Engine, directory: Path) -> list[str]:
    """Store the policies of ``directory``; returns one line per file saying what happened.

    Raises :class:`domain.PolicyError` for an invalid file and
    :class:`FileNotFoundError` when ``directory`` is not a directory.
    """
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory")
    db.migrate(engine)
    lines = []
    for path in sorted(directory.glob("*.sla")):
        text = domain.read_policy(path.read_text(encoding="utf-8"), filename=str(path))
        name = path.stem
        with Session(engine, expire_on_commit=False) as session:
            try:
                _, version, created = crud.add_version(session, name, text, LOADER)
            except ApiError as exc:
                if exc.status != 404:
                    lines.append(f"{name}: skipped, {exc.message}")
                    continue
                _, version = crud.create_policy(session, name, text, LOADER)
                created = True
        state = "stored" if created else "unchanged"
        lines.append(f"{name}: version {version.version} {state}")
    return lines


def app_from_env() -> FastAPI:
    """The application configured by the environment alone: what each uvicorn worker builds."""
    return create_app()


def serve(
    *,
    host: str,
    port: int,
    database_url: str | None,
    load: Path | None,
    workers: int = 1,
    log_level: str = "info",
) -> int:
    """Load policies if asked, then serve until interrupted; returns the exit status."""
    settings = Settings.from_env(database_url=database_url)
    if load is not None:
        engine = db.make_engine(settings.database_url)
        try:
            for line in load_policies(engine, load):
                print(line, file=sys.stderr)
        except domain.PolicyError as exc:
            print(exc, file=sys.stderr)
            return 1
        except FileNotFoundError as exc:
            print(f"sla serve: {exc}", file=sys.stderr)
            return 2
        finally:
            engine.dispose()
    if workers > 1:
        # Workers are separate processes: each builds its app from the environment.
        os.environ["SLA_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "api.server:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
        )
    else:
        uvicorn.run(create_app(settings=settings), host=host, port=port, log_level=log_level)
    return 0
