"""Settings of the HTTP service, read from the environment.

=========================== ======================================== =================
variable                    meaning                                  default
=========================== ======================================== =================
``SLA_DATABASE_URL``        SQLAlchemy URL of the database           ``sqlite:///sla.db``
``SLA_MAX_BODY_BYTES``      largest request body accepted (413)      256 MiB
``SLA_MAX_BATCH_ROWS``      most measurement rows in one batch (413) 5,000,000
``SLA_COMPILED_CACHE``      compiled policies kept in memory         256
``SLA_FRAME_CACHE_ROWS``    stored measurement rows kept in memory   2,000,000
=========================== ======================================== =================

A PostgreSQL URL may be written ``postgresql://...``; the service uses the
psycopg 3 driver for it. The policy size limit (1 MiB, 10,000 clauses) is the
language's own and answers 413 too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///sla.db"
DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_BATCH_ROWS = 5_000_000
DEFAULT_COMPILED_CACHE = 256
DEFAULT_FRAME_CACHE_ROWS = 2_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    """What the service is configured with; see the module docstring for each field."""

    database_url: str = DEFAULT_DATABASE_URL
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_batch_rows: int = DEFAULT_MAX_BATCH_ROWS
    compiled_cache: int = DEFAULT_COMPILED_CACHE
    frame_cache_rows: int = DEFAULT_FRAME_CACHE_ROWS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``environ`` (default: the process environment), then the non-None ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "database_url": env.get("SLA_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "max_body_bytes": int(env.get("SLA_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
            "max_batch_rows": int(env.get("SLA_MAX_BATCH_ROWS", DEFAULT_MAX_BATCH_ROWS)),
            "compiled_cache": int(env.get("SLA_COMPILED_CACHE", DEFAULT_COMPILED_CACHE)),
            "frame_cache_rows": int(env.get("SLA_FRAME_CACHE_ROWS", DEFAULT_FRAME_CACHE_ROWS)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def normalise_database_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named for PostgreSQL (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
