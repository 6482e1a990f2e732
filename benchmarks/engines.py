"""Benchmark (not a test): the metrics on polars before/after narwhals, DuckDB and Spark.

1. Polars, before and after: the metric modules as they were before issue 14 (taken from
   git at ``--before``, default the commit before the rewrite) against the current ones, on
   the sample scaled up to ``--rows`` dialer rows (and as many LeadFlow rows), best of
   ``--repeat`` runs, eager. Prints the after/before ratio of each metric; the results are
   also checked equal.
2. Engines: the same rows written as Parquet; ``speed_to_lead_summary`` and
   ``agent_performance`` on polars streaming (``scan_parquet`` … ``collect(engine=
   "streaming")``), DuckDB (``read_duckdb``) and local Spark (``read_spark``, ``local[2]``),
   each in its own process so that its peak RSS is its own.

Usage: python benchmarks/engines.py [--rows 1000000] [--engines polars,duckdb,spark]
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import callanalytics as ca  # noqa: E402
from benchmarks.common import peak_rss  # noqa: E402
from callanalytics import metrics  # noqa: E402

BEFORE = "57c849e"
MODULES = ("_frames", "speed_to_lead", "agents", "affiliates")
TZ = "America/New_York"


def scaled(frame: pl.DataFrame, rows: int, keys: list[str]) -> pl.DataFrame:
    """``frame`` repeated to ``rows`` rows; ``keys`` suffixed per copy (distinct leads)."""
    copies = -(-rows // frame.height)
    parts = [
        frame.with_columns(pl.col(k) + f"-{i}" for k in keys) if i else frame for i in range(copies)
    ]
    return pl.concat(parts).head(rows)


def old_metrics(commit: str) -> types.SimpleNamespace:
    """The metric modules as of ``commit``, imported under another package name."""
    package = "callanalytics_metrics_before"
    folder = Path(tempfile.mkdtemp()) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name in MODULES:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:callanalytics/metrics/{name}.py"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = source.replace("callanalytics.metrics._frames", f"{package}._frames")
        (folder / f"{name}.py").write_text(source)
    sys.path.insert(0, str(folder.parent))
    loaded = {name: importlib.import_module(f"{package}.{name}") for name in MODULES}
    return types.SimpleNamespace(
        **{k: getattr(m, k) for m in loaded.values() for k in getattr(m, "__all__", [])}
    )


def best(run, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


CASES = {
    "lead_outcomes": ("dialer", lambda m, f: m.lead_outcomes(f)),
    "speed_to_lead_summary": ("dialer", lambda m, f: m.speed_to_lead_summary(f)),
    "speed_to_lead_by day": ("dialer", lambda m, f: m.speed_to_lead_by(f, "day")),
    "agent_performance": ("dialer", lambda m, f: m.agent_performance(f)),
    "agent_calls_per_hour": ("dialer", lambda m, f: m.agent_calls_per_hour(f)),
    "affiliate_margin": ("leadflow", lambda m, f: m.affiliate_margin(f)),
    "margin_summary": ("leadflow", lambda m, f: m.margin_summary(f)),
}


def polars_before_after(rows: int, repeat: int, commit: str) -> list[str]:
    frames = {
        "dialer": scaled(ca.sample_dialer_results(), rows, ["lead_phone", "agent_id"]),
        "leadflow": scaled(ca.sample_leadflow_history(), rows, ["sid", "affiliate"]),
    }
    before = old_metrics(commit)
    lines = [
        f"Polars, eager, {rows:,} rows, best of {repeat} (before = {commit}):",
        "",
        "| metric | before (s) | after (s) | after / before |",
        "|---|---:|---:|---:|",
    ]
    for name, (source, run) in CASES.items():
        frame = frames[source]
        old_time, old = best(lambda r=run, f=frame: r(before, f), repeat)
        new_time, new = best(lambda r=run, f=frame: r(metrics, f), repeat)
        if name == "lead_outcomes":  # ties on first_call are now ordered by the lead's keys
            old, new = (x.sort("first_call", "campaign_id", "lead_phone") for x in (old, new))
        assert_frame_equal(new, old)
        lines.append(f"| {name} | {old_time:.3f} | {new_time:.3f} | {new_time / old_time:.2f} |")
    return lines


def child(engine: str, folder: str) -> dict:
    """One engine, in this (child) process: wall time of each metric and the peak RSS."""
    from callanalytics.engines import read_duckdb, read_spark

    path = Path(folder) / "dialer.parquet"
    out: dict = {"engine": engine}
    start = time.perf_counter()
    if engine == "polars":

        def run(metric):
            return metric(pl.scan_parquet(path)).collect(engine="streaming").height

    elif engine == "duckdb":

        def run(metric):
            return len(metric(read_duckdb(path)).fetchall())

    else:
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", "4g")
            .config("spark.sql.session.timeZone", TZ)
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        out["session_start_s"] = round(time.perf_counter() - start, 2)

        def run(metric):
            return len(metric(read_spark(spark, path)).collect())

    for name in ("speed_to_lead_summary", "agent_performance"):
        metric = getattr(metrics, name)
        began = time.perf_counter()
        rows = run(metric)
        out[name] = round(time.perf_counter() - began, 2)
        out[f"{name}_rows"] = rows
    out["peak_rss_mb"] = round(peak_rss() / 2**20)
    if engine == "spark":
        # The JVM's memory is not this process's: report the driver JVM's peak too.
        out["note"] = "peak RSS is the Python process; the Spark JVM runs beside it"
    return out


def engines(rows: int, names: list[str]) -> list[str]:
    folder = tempfile.mkdtemp()
    dialer = scaled(ca.sample_dialer_results(), rows, ["lead_phone", "agent_id"])
    dialer.write_parquet(Path(folder) / "dialer.parquet")
    lines = [
        "",
        f"Engines, {rows:,} dialer rows from Parquet (wall time in s, each in its own process):",
        "",
        "| engine | speed_to_lead_summary | agent_performance | peak RSS (MB) |",
        "|---|---:|---:|---:|",
    ]
    for name in names:
        done = subprocess.run(
            [sys.executable, __file__, "--child", name, folder],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        lines.append(
            f"| {name} | {result['speed_to_lead_summary']} | {result['agent_performance']} "
            f"| {result['peak_rss_mb']} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--engines", default="polars,duckdb,spark")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    lines = polars_before_after(args.rows, args.repeat, args.before)
    if args.engines:
        lines += engines(args.rows, args.engines.split(","))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
