"""Benchmark: evaluation and measurement reading, against one hand-written DuckDB query.

    .venv/bin/python bench/eval.py [--rows N] [--runs N]

Deterministic data: N rows (default: 1,000,000 and then 10,000,000) of three
metrics (a duration, a ratio, a count) with two dimensions (priority, region)
spread evenly over the twelve months of 2026; a 20-clause policy mixing
percentiles, means, min/max, sums, counts, shares and filters over daily,
monthly and quarterly windows. In one run it prints the medians of:

(a) ``engine.evaluate`` from loaded columns, and the same 20 clauses as one
    hand-written DuckDB SQL query over a DuckDB table of the same columns,
    with the ratio engine / DuckDB; every window's figure and sample count is
    checked to agree between the two (percentiles: DuckDB's ``quantile_disc``
    is nearest-rank, as the language's percentiles are);
(b) reading the measurements as CSV into columns (rows/s);
(c) peak memory of ``evaluate`` and of the CSV read beyond the memory held
    before them, each measured in a fresh process, against the raw bytes of
    the columns;
(d) at 1,000,000 rows: reading JSON rows, JSON columns and NDJSON.

Targets: (a) < 0.25 s at 1M rows and engine/DuckDB <= 0.75; (b) >= 2,000,000 rows/s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

import dsl
import engine
from engine.readers import read_measurements

EVALUATE_TARGET = 0.25
RATIO_TARGET = 0.75
CSV_TARGET = 2_000_000
YEAR_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000
YEAR_MICROS = 365 * 86_400 * 1_000_000

# (id, clause text after the name, SQL: metric, window, aggregate expression, filter)
CLAUSES: list[tuple[str, str, str, str, str, str]] = [
    ("c01", 'resolution_time p95 < 4h monthly where priority = "P1", credit 5%',
     "resolution_time", "month", "quantile_disc(value, 0.95)", "priority = 'P1'"),
    ("c02", 'resolution_time p90 <= 8h monthly where priority = "P2", credit 3%',
     "resolution_time", "month", "quantile_disc(value, 0.90)", "priority = 'P2'"),
    ("c03", "resolution_time median <= 2h daily, credit 0.5%",
     "resolution_time", "day", "quantile_disc(value, 0.50)", "true"),
    ("c04", "resolution_time p99 < 24h quarterly, credit 2%",
     "resolution_time", "quarter", "quantile_disc(value, 0.99)", "true"),
    ("c05", '95% of resolution_time <= 4h monthly where priority in ("P1", "P2"), credit 2%',
     "resolution_time", "month", "avg((value <= 14400)::double)", "priority IN ('P1', 'P2')"),
    ("c06", '90% of resolution_time <= 8h daily where region = "north", credit 0.1%',
     "resolution_time", "day", "avg((value <= 28800)::double)", "region = 'north'"),
    ("c07", 'resolution_time mean <= 3h monthly where region != "south", credit 1%',
     "resolution_time", "month", "avg(value)", "region IS DISTINCT FROM 'south'"),
    ("c08", 'resolution_time max <= 48h quarterly where priority = "P1", credit 1%',
     "resolution_time", "quarter", "max(value)", "priority = 'P1'"),
    ("c09", 'resolution_time count <= 30000 monthly where priority = "P3", credit 1%',
     "resolution_time", "month", "count(*)::double", "priority = 'P3'"),
    ("c10", "availability mean >= 99.5% monthly, credit 5%, 10% if < 99%",
     "availability", "month", "avg(value)", "true"),
    ("c11", 'availability mean >= 99% daily where region = "east", credit 0.2%',
     "availability", "day", "avg(value)", "region = 'east'"),
    ("c12", "availability min >= 95% monthly, credit 1%",
     "availability", "month", "min(value)", "true"),
    ("c13", "99% of availability >= 95.5% quarterly, credit 2%",
     "availability", "quarter", "avg((value >= 0.955)::double)", "true"),
    ("c14", 'availability p10 >= 97% monthly where priority != "P4", credit 1%',
     "availability", "month", "quantile_disc(value, 0.10)", "priority IS DISTINCT FROM 'P4'"),
    ("c15", "orders sum >= 3000000 monthly, credit 2% per 100000 under, max 6%",
     "orders", "month", "sum(value)", "true"),
    ("c16", 'orders mean >= 100 daily where region in ("north", "west"), credit 0.1%',
     "orders", "day", "avg(value)", "region IN ('north', 'west')"),
    ("c17", "orders count >= 900 daily, credit 0.1%",
     "orders", "day", "count(*)::double", "true"),
    ("c18", 'orders max <= 235 monthly where priority not in ("P4"), credit 1%',
     "orders", "month", "max(value)", "priority IS NULL OR priority NOT IN ('P4')"),
    ("c19", "orders p50 >= 100 quarterly, credit 1%",
     "orders", "quarter", "quantile_disc(value, 0.50)", "true"),
    ("c20", '80% of orders >= 30 monthly where region = "south", credit 1%',
     "orders", "month", "avg((value >= 30)::double)", "region = 'south'"),
]  # fmt: skip

POLICY = (
    'policy "Benchmark Schedule"\nfee 100000 EUR monthly\ncap 20%\ntimezone "UTC"\n'
    "metric resolution_time duration\nmetric availability ratio\nmetric orders count\n"
    + "".join(f'sla "{cid}": {text}\n' for cid, text, *_ in CLAUSES)
)


def measurements(rows: int) -> pl.DataFrame:
    """``rows`` deterministic measurements in the reader's column layout, spread evenly over 2026."""
    i = pl.int_range(0, rows, dtype=pl.Int64, eager=True).to_frame("i")
    h = (pl.col("i") * 2_654_435_761 + 12_345) % 4_294_967_296
    u = (h // 2048) % 10_000  # 0..9999, well mixed
    return i.select(
        metric=pl.when(h % 3 == 0)
        .then(pl.lit("resolution_time"))
        .when(h % 3 == 1)
        .then(pl.lit("availability"))
        .otherwise(pl.lit("orders")),
        time=YEAR_START + pl.col("i") * (YEAR_MICROS // 1_000_000) // rows * 1_000_000,  # whole seconds
        value=pl.when(h % 3 == 0)
        .then((u * u // 10_000 * 3).cast(pl.Float64))  # seconds, skewed towards short
        .when(h % 3 == 1)
        .then(0.95 + u.cast(pl.Float64) / 200_000)  # 0.95 .. 1.0
        .otherwise((u % 250 - 10).cast(pl.Float64)),  # orders, some corrections below zero
        start=pl.lit(None, pl.Int64),
        end=pl.lit(None, pl.Int64),
        priority=pl.format("P{}", (h // 8) % 4 + 1),
        region=pl.when((h // 64) % 4 == 0)
        .then(pl.lit("north"))
        .when((h // 64) % 4 == 1)
        .then(pl.lit("south"))
        .when((h // 64) % 4 == 2)
        .then(pl.lit("east"))
        .otherwise(pl.lit("west")),
    )


def sql() -> str:
    parts = [
        f"SELECT '{cid}' AS clause, date_trunc('{window}', make_timestamp(time)) AS window_start, "
        f"{aggregate} AS value, count(*) AS samples FROM m WHERE metric = '{metric}' AND ({where}) "
        "GROUP BY ALL"
        for cid, _, metric, window, aggregate, where in CLAUSES
    ]
    return "\nUNION ALL\n".join(parts)


def median_seconds(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def peak_extra_bytes(action: Callable[[], Any]) -> int:
    """The peak resident memory during ``action`` above the resident memory before it (Linux)."""
    page = os.sysconf("SC_PAGE_SIZE")

    def resident() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * page

    baseline, peak, done = resident(), [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], resident())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        action()
    finally:
        done.set()
        watcher.join()
    return max(peak[0], resident()) - baseline


def compare(report: engine.Report, duck: list[tuple[Any, ...]]) -> int:
    """Check every non-empty window agrees: samples exactly, figures within 1e-9 relative; returns windows."""
    ours: dict[tuple[str, datetime], tuple[int, float]] = {}
    for clause in report.to_dict()["clauses"]:
        for window in clause["windows"]:
            if window["samples"]:
                start = datetime.fromisoformat(window["start"]).astimezone(UTC).replace(tzinfo=None)
                ours[(clause["id"], start)] = (window["samples"], window["value"])
    theirs = {(c, start): (samples, value) for c, start, value, samples in duck}
    if ours.keys() != theirs.keys():
        missing = sorted(ours.keys() ^ theirs.keys())[:5]
        raise SystemExit(f"engine and DuckDB disagree on the windows, e.g. {missing}")
    for key, (samples, value) in ours.items():
        other_samples, other_value = theirs[key]
        if samples != other_samples or abs(value - other_value) > 1e-9 * max(
            1.0, abs(value), abs(other_value)
        ):
            raise SystemExit(
                f"{key}: engine {samples} samples, {value}; DuckDB {other_samples}, {other_value}"
            )
    return len(ours)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The measurements as CSV text, as a system would send them."""
    text = frame.select(
        "metric",
        pl.col("time").cast(pl.Datetime("us", "UTC")).dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("time"),
        "value",
        "priority",
        "region",
    )
    buffer = io.BytesIO()
    text.write_csv(buffer)
    return buffer.getvalue()


def json_documents(frame: pl.DataFrame) -> dict[str, bytes]:
    """JSON rows, JSON columns and NDJSON of the same measurements."""
    table = pl.read_csv(csv_bytes(frame), infer_schema=False).with_columns(pl.col("value").cast(pl.Float64))
    rows_frame = table.select("metric", "time", "value", dims=pl.struct("priority", "region"))
    ndjson = rows_frame.write_ndjson().encode()
    rows = b'{"measurements": [' + b",".join(ndjson.strip().split(b"\n")) + b"]}"
    columns = json.dumps({"columns": table.to_dict(as_series=False)}).encode()
    return {"JSON rows": rows, "JSON columns": columns, "NDJSON": ndjson}


def run_size(rows: int, runs: int, compiled: engine.CompiledPolicy, with_json: bool) -> None:
    print(f"\n== {rows:,} rows ==")
    frame = measurements(rows)
    batch = engine.Measurements(frame)
    raw = frame.estimated_size()
    report = engine.evaluate(compiled, batch)  # warm caches before timing

    connection = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder:
        # Parquet carries the columns over without pyarrow; DuckDB then holds them in its own table.
        frame.write_parquet(Path(folder) / "m.parquet")
        connection.execute(f"CREATE TABLE m AS SELECT * FROM read_parquet('{folder}/m.parquet')")
    query = sql()
    duck = connection.execute(query).fetchall()
    windows = compare(report, duck)
    # Alternate the two so that both meet the same load on a shared machine; the ratio is the median of
    # the per-round ratios.
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(median_seconds(lambda: engine.evaluate(compiled, batch), 1)[0])
        theirs.append(median_seconds(lambda: connection.execute(query).fetchall(), 1)[0])
    seconds, duck_seconds = statistics.median(ours), statistics.median(theirs)
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    target = f" (target < {EVALUATE_TARGET} s at 1M)" if rows == 1_000_000 else ""
    print(f"(a) engine.evaluate, 20 clauses:     median {seconds:.3f} s{target}")
    print(f"    DuckDB, the same 20 clauses:     median {duck_seconds:.3f} s")
    print(
        f"    ratio engine / DuckDB:           {ratio:.2f}"
        f" (median of {runs} rounds; target <= {RATIO_TARGET})"
    )
    print(f"    figures agree in all {windows:,} non-empty windows (samples exact, values within 1e-9)")

    data = csv_bytes(frame)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "measurements.csv"
        path.write_bytes(data)
        read_seconds, loaded = median_seconds(lambda: read_measurements(path), runs)
        assert loaded.frame.select("metric", "time", "value").equals(frame.select("metric", "time", "value"))
        del loaded
        columns = Path(folder) / "measurements.parquet"
        frame.write_parquet(columns)
        csv_peak = probe("csv", path)
        evaluate_peak = probe("evaluate", columns)
    rate = rows / read_seconds
    print(
        f"(b) CSV ({len(data) / 1e6:.0f} MB) into columns:  median {read_seconds:.3f} s"
        f" = {rate:,.0f} rows/s (target >= {CSV_TARGET:,})"
    )
    print(f"(c) raw column bytes:                {raw / 1e6:,.0f} MB")
    print(f"    evaluate, peak beyond columns:   {evaluate_peak / 1e6:,.0f} MB ({evaluate_peak / raw:.2f}x)")
    print(f"    CSV read, peak (bytes, columns): {csv_peak / 1e6:,.0f} MB ({csv_peak / raw:.2f}x)")
    if with_json:
        for name, document in json_documents(frame).items():
            fmt = {"JSON rows": "json", "JSON columns": "json", "NDJSON": "ndjson"}[name]
            json_seconds, _ = median_seconds(
                lambda d=document, f=fmt: read_measurements(d, f), max(1, runs // 2)
            )
            print(
                f"(d) {name:<13} ({len(document) / 1e6:.0f} MB):      median {json_seconds:.3f} s"
                f" = {rows / json_seconds:,.0f} rows/s"
            )


def probe(kind: str, path: Path) -> int:
    """Peak memory of one evaluation (``evaluate``, from columns in Parquet) or one CSV read (``csv``),
    measured in a fresh process, so that memory freed by earlier runs cannot hide it."""
    answer = subprocess.run(
        [sys.executable, __file__, "--probe", kind, str(path)], capture_output=True, text=True, check=True
    )
    return int(answer.stdout.split()[-1])


def run_probe(kind: str, path: str) -> None:
    compiled = engine.compile(dsl.check(dsl.parse(POLICY), source=POLICY))
    if kind == "csv":
        print(peak_extra_bytes(lambda: read_measurements(path)))
        return
    batch = engine.Measurements(pl.read_parquet(path))
    print(peak_extra_bytes(lambda: engine.evaluate(compiled, batch)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="rows (repeatable; default 1M and 10M)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median printed)")
    parser.add_argument("--probe", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        run_probe(*args.probe)
        return
    checked = dsl.check(dsl.parse(POLICY), source=POLICY)
    compiled = engine.compile(checked)
    print(f"policy: {len(checked.clause_ids)} clauses; machine: {os.cpu_count()} cores")
    for rows in args.rows or [1_000_000, 10_000_000]:
        run_size(
            rows, args.runs if rows <= 2_000_000 else max(1, args.runs // 2), compiled, rows == 1_000_000
        )


if __name__ == "__main__":
    main()
