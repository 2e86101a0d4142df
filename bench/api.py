"""Benchmark: the HTTP service on PostgreSQL, through uvicorn, as a client sees it.

    .venv/bin/python bench/api.py [--url http://127.0.0.1:8000] [--rows 1000000]
                                  [--db postgresql://postgres@127.0.0.1:5432/test] [--workers 2]

Without ``--url`` it starts ``sla serve --db URL`` itself, on a schema of its
own in the database (dropped afterwards), and stops it at the end. Then:

1. ingest: POST ``--rows`` measurements (4 metrics of the it-service-desk
   policy, with priority and channel) as one columnar JSON batch; target < 10 s;
2. evaluate stored: POST .../evaluate with no body, over all of them; target < 3 s;
   (twice per policy; with ``--frame-cache-rows 0``, the default, every
   evaluation reads its rows from PostgreSQL; with the server's default
   cache, 2,000,000, a worker that stored or read a batch keeps it);
3. concurrent: ``--requests`` evaluations of a posted 1,000-row batch from
   ``--clients`` clients at once; p50/p99 latency and requests per second.

Each timed step runs ``--runs`` times and prints the median. The client runs
on the same machine as the server, so the figures include its load too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import polars as pl
import psycopg
from psycopg import sql

ROOT = Path(__file__).parents[1]
POLICY = (ROOT / "policies" / "it-service-desk.sla").read_text(encoding="utf-8")
START = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in microseconds
SPAN = 90 * 86_400_000_000  # one quarter


def columns(rows: int, seed: int) -> bytes:
    """``rows`` measurements of the service desk as columnar JSON, deterministic for ``seed``."""
    rng = np.random.default_rng(seed)
    metrics = np.array(["response_time", "resolution_time", "first_time_fix", "satisfaction"])
    which = rng.integers(0, 4, rows)
    values = np.select(
        [which == 0, which == 1, which == 2],
        [rng.integers(60, 3_600, rows), rng.integers(600, 40_000, rows), rng.integers(0, 2, rows)],
        rng.integers(1, 6, rows),
    )
    frame = pl.DataFrame(
        {
            "metric": metrics[which],
            "time": np.sort(rng.integers(START, START + SPAN, rows)),
            "value": values.astype(float),
            "priority": np.array(["P1", "P2", "P3"])[rng.integers(0, 3, rows)],
            "channel": np.array(["phone", "email", "portal"])[rng.integers(0, 3, rows)],
        }
    ).with_columns(pl.from_epoch("time", time_unit="us").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
    return json.dumps({"columns": frame.to_dict(as_series=False)}).encode()


def timed(step: Callable[[], httpx.Response], runs: int, label: str, target: float | None) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = step()
        times.append(time.perf_counter() - began)
        response.raise_for_status()
    median = statistics.median(times)
    verdict = "" if target is None else f"  target < {target:g} s: {'met' if median < target else 'MISSED'}"
    print(f"{label:<44} median {median:7.3f} s  (runs: {', '.join(f'{t:.3f}' for t in times)}){verdict}")
    return median


def concurrent(url: str, name: str, requests: int, clients: int, body: bytes) -> None:
    latencies: list[float] = []

    def client(count: int) -> list[float]:
        own = []
        with httpx.Client(base_url=url, timeout=120) as http:
            for _ in range(count):
                began = time.perf_counter()
                response = http.post(
                    f"/v1/policies/{name}/evaluate",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                own.append(time.perf_counter() - began)
                response.raise_for_status()
        return own

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for own in pool.map(client, shares):
            latencies.extend(own)
    wall = time.perf_counter() - began
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"{requests} evaluations of 1,000 rows, {clients} clients: p50 {q[49] * 1000:.0f} ms, "
        f"p99 {q[98] * 1000:.0f} ms, {requests / wall:.1f} requests/s ({wall:.2f} s)"
    )


def start_server(
    db: str, workers: int, port: int, frame_cache_rows: int
) -> tuple[subprocess.Popen[bytes], str, Callable[[], None]]:
    schema = f"sla_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = f"{db}?options=-csearch_path%3D{schema}"
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--db",
        url,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "SLA_MAX_BODY_BYTES": str(1 << 30), "SLA_FRAME_CACHE_ROWS": str(frame_cache_rows)},
    )

    def stop() -> None:
        server.terminate()
        server.wait(30)
        with psycopg.connect(db, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))

    return server, f"http://127.0.0.1:{port}", stop


def wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not become healthy")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running sla serve (default: start one on --db)")
    parser.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--frame-cache-rows",
        type=int,
        default=0,
        help="the server's SLA_FRAME_CACHE_ROWS; 0 (default) makes every stored evaluation read PostgreSQL",
    )
    args = parser.parse_args()
    stop: Callable[[], None] = lambda: None  # noqa: E731
    url = args.url
    if url is None:
        _, url, stop = start_server(args.db, args.workers, args.port, args.frame_cache_rows)
    try:
        wait_healthy(url)
        run(url, args)
    finally:
        stop()


def run(url: str, args: argparse.Namespace) -> None:
    """One policy per run, each given one batch of ``--rows``, so that every evaluation covers ``--rows``."""
    tag = uuid.uuid4().hex[:6]
    names = [f"bench-{tag}-{run}" for run in range(args.runs)]
    with httpx.Client(base_url=url, timeout=600) as http:
        for name in names:
            http.post("/v1/policies", json={"name": name, "source": POLICY}).raise_for_status()
        bodies = [columns(args.rows, seed) for seed in range(args.runs)]
        print(f"ingest body: {len(bodies[0]) / 1e6:.1f} MB of columnar JSON, {args.rows:,} rows")
        json_type = {"Content-Type": "application/json"}
        ingest = iter(zip(names, bodies, strict=True))

        def post_batch() -> httpx.Response:
            name, body = next(ingest)
            return http.post(f"/v1/policies/{name}/measurements", content=body, headers=json_type)

        timed(post_batch, args.runs, f"ingest {args.rows:,} rows (columnar JSON)", 10.0)
        evaluate = iter(names)
        timed(
            lambda: http.post(f"/v1/policies/{next(evaluate)}/evaluate"),
            args.runs,
            f"evaluate {args.rows:,} stored rows",
            3.0,
        )
        again = iter(names)
        timed(
            lambda: http.post(f"/v1/policies/{next(again)}/evaluate"),
            args.runs,
            "  the same again",
            3.0,
        )
    concurrent(url, names[0], args.requests, args.clients, columns(1_000, 99))


if __name__ == "__main__":
    main()
