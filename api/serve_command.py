"""``sla serve``: the HTTP service (``--host``, ``--port``, ``--db URL``, ``--load DIR``, ``--workers``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(commands: Any) -> None:
    """Register ``serve`` on the ``sla`` subcommands."""
    parser: argparse.ArgumentParser = commands.add_parser("serve", help="run the HTTP service")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="database URL (default: SLA_DATABASE_URL, else the SQLite file sla.db here)",
    )
    parser.add_argument("--load", metavar="DIR", type=Path, help="store the *.sla policies of DIR at start")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn log level (default info)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .server import serve  # FastAPI and uvicorn load only when serving

    return serve(
        host=args.host,
        port=args.port,
        database_url=args.db,
        load=args.load,
        workers=args.workers,
        log_level=args.log_level,
    )
