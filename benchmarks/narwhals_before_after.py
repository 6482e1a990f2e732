"""Benchmark (not a test): the metric modules on polars as they were before the narwhals
rewrite of issue 14 (taken from git at ``--before``) against the current ones, on the sample
scaled up to ``--rows`` rows, eager, best of ``--repeat``; results checked equal.
``benchmarks/engines.py --parts before-after`` runs it.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

import callanalytics as ca
from callanalytics import metrics

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "57c849e"
MODULES = ("_frames", "speed_to_lead", "agents", "affiliates")


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
