"""Larger than memory: a 10,000,000-row Dialer CSV through ``scan_dialer_results`` into
Parquet, then the speed-to-lead and agent metrics on a LazyFrame over that Parquet with the
streaming engine. Prints wall time and peak RSS of each step, each in a fresh process.

    python benchmarks/larger_than_memory.py [--copies 10]

The big CSV is the 1,000,000-row benchmark file (see run.py) repeated ``--copies`` times.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.common import run_child  # noqa: E402

DATA = HERE / "data"

STEPS = {
    "scan_dialer_results -> sink_parquet": """
        import callanalytics as ca
        ca.scan_dialer_results(CSV).sink_parquet(PARQUET)
    """,
    "speed-to-lead metrics (streaming)": """
        import polars as pl
        from callanalytics import metrics
        calls = pl.scan_parquet(PARQUET)
        out = [metrics.speed_to_lead_summary(calls), metrics.outcomes_by_speed(calls),
               metrics.speed_to_lead_by(calls, "campaign"), metrics.speed_to_lead_heatmap(calls)]
        frames = pl.collect_all(out, engine="streaming")
        print(frames[0], file=sys.stderr)
    """,
    "agent metrics (streaming)": """
        import polars as pl
        from callanalytics import metrics
        calls = pl.scan_parquet(PARQUET)
        out = [metrics.agent_performance(calls), metrics.agent_calls_per_hour(calls),
               metrics.agent_disposition_mix(calls)]
        frames = pl.collect_all(out, engine="streaming")
        print(frames[0].height, "agents", file=sys.stderr)
    """,
}

CHILD = """
import sys, time
from benchmarks.common import peak_rss
CSV, PARQUET = {csv!r}, {parquet!r}
start = time.perf_counter()
{body}
print(time.perf_counter() - start, peak_rss())
"""


def build_csv(copies: int) -> Path:
    source = DATA / "dialer_1000000.csv"
    if not source.exists():
        raise SystemExit("run benchmarks/run.py first: it generates the 1,000,000-row file")
    target = DATA / f"dialer_{copies}x1000000.csv"
    if target.exists():
        return target
    with source.open("rb") as handle:
        header = handle.readline()
        body = handle.read()
    with target.open("wb") as out:
        out.write(header)
        for _ in range(copies):
            out.write(body)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    csv = build_csv(args.copies)
    parquet = DATA / f"dialer_{args.copies}x1000000.parquet"
    print(f"{csv.name}: {csv.stat().st_size / 2**30:.1f} GiB, {args.copies * 1_000_000:,} rows")
    lines = ["| step | wall s | peak RSS MB |", "| --- | ---: | ---: |"]
    for name, body in STEPS.items():
        code = CHILD.format(csv=str(csv), parquet=str(parquet), body=textwrap.dedent(body))
        seconds, rss = run_child(code, name)
        lines.append(f"| {name} | {float(seconds):.1f} | {int(rss) / 2**20:,.0f} |")
        print(lines[-1], flush=True)
    text = "\n".join([f"### Larger than memory ({args.copies * 1_000_000:,} rows)", "", *lines])
    print("\n" + text)
    (HERE / "results_larger_than_memory.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
