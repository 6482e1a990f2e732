"""Benchmark (not a test): the metrics on polars before/after narwhals, DuckDB and Spark.

1. Polars, before and after: the metric modules as they were before issue 14 (taken from
   git at ``--before``, default the commit before the rewrite) against the current ones, on
   the sample scaled up to ``--rows`` dialer rows (and as many LeadFlow rows), best of
   ``--repeat`` runs, eager. Prints the after/before ratio of each metric; the results are
   also checked equal.
2. Engines: ``--rows`` dialer rows as the Parquet day cache (one file per day, made once
   under ``benchmarks/data/``); ``speed_to_lead_summary`` and ``agent_performance`` on polars
   streaming (``scan_parquet`` … ``collect(engine="streaming")``), DuckDB (``read_duckdb``)
   and local Spark (``read_spark``, ``local[2]``). Each engine and metric runs in a fresh
   process; the parent samples the RSS of that process and all its descendants (Spark's
   JVM) every 50 ms and reaps them all, so peak RSS and CPU time are the whole tree's. The
   results are checked equal across engines.

Usage: python benchmarks/engines.py [--rows 1000000] [--engines polars,duckdb,spark]
       [--parts engines,before-after]
10M rows, the engines only (results_engines.md): --rows 10000000 --parts engines
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import polars.selectors as cs
from polars.testing import assert_frame_equal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import callanalytics as ca  # noqa: E402
from benchmarks.narwhals_before_after import BEFORE, polars_before_after  # noqa: E402
from callanalytics import metrics  # noqa: E402

TZ = "America/New_York"


# ---------------------------------------------------------------------------- engines

ENGINE_METRICS = ("speed_to_lead_summary", "agent_performance")
COPY_ROWS, COPY_DAYS = 400_000, 14  # one tile: 14 days of a large call center (~28k dials/day)
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": "4g",
    "spark.sql.session.timeZone": TZ,
}
ID_COLUMNS = ["callID", "ID", "lead_phone"]  # one lead = campaign + phone: new leads per tile


def uptime() -> str:
    """``uptime``'s line (the load averages show how busy the shared machine was)."""
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def environment() -> list[str]:
    from importlib.metadata import version

    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    packages = ", ".join(f"{p} {version(p)}" for p in ("polars", "duckdb", "pyspark", "narwhals"))
    return [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; {packages}; "
        f"{(java.stderr.splitlines() or ['no java'])[0]}",
        f"Spark: local[2], {', '.join(f'{k}={v}' for k, v in SPARK_CONF.items())}",
        f"load before: {uptime()}",
    ]


def dialer_cache(rows: int) -> Path:
    """``rows`` dialer rows as the Parquet day cache (``report=dialer_results/query=<key>/
    date=YYYY-MM-DD/data.parquet``, written by :class:`callanalytics.cache.DayCache`) under
    ``benchmarks/data/engines-<rows>/`` (git-ignored), made once and reused. Returns the
    ``query=`` folder (one account's data), which every engine reads.

    The sample generator makes one 14-day tile of ``COPY_ROWS`` rows; tile ``k`` is shifted
    ``14 * k`` local days later, with ``-k`` appended to the call id, the lead id and the lead
    phone so that ids stay unique and each tile's leads are new leads. Agents stay the same.
    """
    from callanalytics.cache import DayCache
    from callanalytics.schema import DIALER_RESULTS

    root = ROOT / "benchmarks" / "data" / f"engines-{rows}"
    cache = DayCache(root, DIALER_RESULTS, {"benchmark": "engines"}, timezone=TZ)
    done = root / "complete.json"
    if done.exists() and json.loads(done.read_text())["rows"] == rows:
        return cache.folder
    if root.exists():
        shutil.rmtree(root)
    tile = ca.sample_dialer_results(n=min(rows, COPY_ROWS), days=COPY_DAYS, timezone=TZ)
    written, copy = 0, 0
    while written < rows:
        shift = f"{COPY_DAYS * copy}d"
        part = tile.head(rows - written).with_columns(
            pl.col("call_start", "upload_date").dt.offset_by(shift),
            *(pl.col(c) + f"-{copy}" for c in ID_COLUMNS if copy),
        )
        for (day,), frame in part.group_by(pl.col("call_start").dt.date(), maintain_order=True):
            cache.put(day, frame)
        written += part.height
        copy += 1
    files = cache.folder / "**" / "*.parquet"
    counted = pl.scan_parquet(files).select(pl.len()).collect().item()
    if counted != rows:
        raise SystemExit(f"{cache.folder}: wrote {counted:,} rows, not {rows:,}")
    done.write_text(json.dumps({"rows": rows, "tiles": copy, "tile_rows": COPY_ROWS}))
    return cache.folder


def _duckdb_frame(relation) -> pl.DataFrame:
    """The relation as polars, intervals as milliseconds (as the parity test compares)."""
    columns = [
        f'epoch_us("{c}") // 1000 AS "{c}"' if str(t) == "INTERVAL" else f'"{c}"'
        for c, t in zip(relation.columns, relation.types, strict=True)
    ]
    return relation.project(", ".join(columns)).pl()


def child(engine: str, metric_name: str, folder: str, out: str) -> dict:
    """One metric on one engine, in this fresh process: the metric's wall and CPU time (this
    process and its JVM, if any), its small result written to ``out`` as Parquet."""
    from benchmarks.common import tree_cpu_seconds
    from callanalytics.engines import read_duckdb, read_spark

    metric = getattr(metrics, metric_name)
    path = Path(folder)
    report: dict = {"engine": engine, "metric": metric_name}
    began = time.perf_counter()
    spark = None
    if engine == "polars":

        def run() -> pl.DataFrame:
            calls = pl.scan_parquet(path / "**" / "*.parquet", hive_partitioning=True)
            calls = calls.drop("date")  # the partition; read_duckdb drops it too
            return metric(calls).collect(engine="streaming")

    elif engine == "duckdb":

        def run() -> pl.DataFrame:
            return _duckdb_frame(metric(read_duckdb(path)))

    else:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master("local[2]")
        for key, value in SPARK_CONF.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")

        def run() -> pl.DataFrame:
            # Arrow carries Spark's day-time intervals as exact durations (µs). Not
            # _spark_intervals_as_ms: its INT day field * 86400000 overflows past 24.8 days
            # (a year's talk time per agent), ARITHMETIC_OVERFLOW.
            return pl.from_arrow(metric(read_spark(spark, path)).toArrow())

    report["setup_s"] = time.perf_counter() - began
    cpu, start = tree_cpu_seconds(), time.perf_counter()
    result = run()
    report["wall_s"] = time.perf_counter() - start
    report["cpu_s"] = tree_cpu_seconds() - cpu
    report["rows"] = result.height
    result.write_parquet(out)
    if spark is not None:
        spark.stop()
    return report


def _comparable(frame: pl.DataFrame) -> pl.DataFrame:
    """Durations as ms, money as exact text, ints as Int64, enums as text (parity rules)."""
    return frame.with_columns(
        cs.duration().dt.total_milliseconds(),
        cs.decimal().cast(pl.Decimal(38, 2)).cast(pl.String),
        cs.integer().cast(pl.Int64),
        (cs.categorical() | cs.enum()).cast(pl.String),
    )


def engines(rows: int, names: list[str]) -> list[str]:
    """Each (engine, metric) in its own process, measured over its whole process tree."""
    from benchmarks.common import run_tree

    began = time.perf_counter()
    folder = dialer_cache(rows)
    made = time.perf_counter() - began
    results: dict[tuple[str, str], pl.DataFrame] = {}
    lines = [
        "",
        f"Engines, {rows:,} dialer rows from the Parquet day cache ({folder.relative_to(ROOT)}, "
        f"{len(list(folder.rglob('data.parquet')))} day files; ready in {made:.0f} s):",
        "",
        "| engine | metric | wall (s) | CPU (s) | process wall (s) | process CPU (s) "
        "| peak tree RSS (MB) | sum of per-process peaks (MB) | processes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    scratch = Path(tempfile.mkdtemp())
    for name in names:
        for metric in ENGINE_METRICS:
            out = scratch / f"{name}-{metric}.parquet"
            usage = run_tree(
                [sys.executable, __file__, "--child", name, metric, str(folder), str(out)]
            )
            got = json.loads(usage.stdout.strip().splitlines()[-1])
            results[name, metric] = pl.read_parquet(out)
            lines.append(
                f"| {name} | {metric} | {got['wall_s']:.2f} | {got['cpu_s']:.2f} "
                f"| {usage.wall_s:.1f} | {usage.cpu_s:.1f} | {usage.peak_rss / 2**20:,.0f} "
                f"| {usage.peak_sum / 2**20:,.0f} | {usage.processes} |"
            )
            print(lines[-1], flush=True)
    lines += ["", *agreement(results, names)]
    return lines


def agreement(results: dict[tuple[str, str], pl.DataFrame], names: list[str]) -> list[str]:
    """Check every engine's answer against the first engine's (parity-test tolerances)."""
    lines = []
    for metric in ENGINE_METRICS:
        expected = _comparable(results[names[0], metric])
        for name in names[1:]:
            assert_frame_equal(
                _comparable(results[name, metric]),
                expected,
                check_exact=False,
                rel_tol=0,
                abs_tol=1e-12,
            )
        summary = results[names[0], metric]
        lines.append(
            f"{metric}: {', '.join(names)} agree ({summary.height} row(s), "
            f"{summary.width} columns; counts exact, durations to the ms, rates to 1e-12)"
        )
    summary = _comparable(results[names[0], "speed_to_lead_summary"]).row(0, named=True)
    lines.append(f"speed_to_lead_summary on every engine (durations in ms): {summary}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--engines", default="polars,duckdb,spark")
    parser.add_argument(
        "--parts",
        default="engines,before-after",
        help="engines (polars/DuckDB/Spark over the cache), before-after (polars eager)",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    parts = args.parts.split(",")
    lines = [f"$ {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}", "", *environment()]
    print("\n".join(lines), flush=True)
    if "engines" in parts and args.engines:
        lines += engines(args.rows, args.engines.split(","))
    lines.append(f"load after the engines: {uptime()}")
    if "before-after" in parts:
        lines += ["", *polars_before_after(args.rows, args.repeat, args.before)]
    lines.append(f"load at the end: {uptime()}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
