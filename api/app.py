"""The FastAPI application: :func:`create_app` wires settings, database, routes and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import db, domain, errors
from .config import Settings
from .frames import FRAMES
from .limits import BodyLimit
from .routes import diffs, evaluations, health, measurements, policies, text

DESCRIPTION = """Service levels of outsourcing contracts as versioned policies:
store policies, post measurements, evaluate them into reports of windows,
breaches and service credits. Every error is `{"errors": [{"message", ...}]}`."""


def create_app(database_url: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """The service on ``database_url`` (default: ``SLA_DATABASE_URL``, else ``sqlite:///sla.db``).

    Migrations run when the application starts (its lifespan), so a fresh
    database is ready before the first request.
    """
    settings = settings or Settings.from_env(database_url=database_url)
    engine = db.make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        db.migrate(engine)
        yield
        engine.dispose()

    app = FastAPI(title="sla", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    errors.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    domain.set_cache_size(settings.compiled_cache)
    FRAMES.clear(settings.frame_cache_rows)
    for module in (health, policies, text, measurements, evaluations, diffs):
        app.include_router(module.router)
    return app
