"""Load benchmarks: typed loaders against the untyped polars floor and the usual pandas script.

Every contender runs in a fresh process, interleaved, ``--runs`` times; the table reports the
median wall time of the load itself and the process's peak RSS, and the ratios the
performance issue targets. Results go to stdout and to ``benchmarks/results.md``.

    python benchmarks/run.py [--rows 1000000] [--runs 3] [--reports dialer,leadflow]

``--reports dialer`` skips the LeadFlow contenders (whose untyped read peaks near 9 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

#: The untyped floor is ``pl.read_csv`` with its usual type inference. Its default look at 100
#: rows fails on the sample (``lead_phone`` looks numeric until "615-399-1022"), so it looks
#: at 10,000; "polars all text" (no inference at all) is printed beside it.
UNTYPED = "import polars as pl\nSTART()\ndf = pl.read_csv(PATH, infer_schema_length=10_000)"
DIALER = {
    "polars untyped": UNTYPED,
    "polars all text": "import polars as pl\nSTART()\ndf = pl.read_csv(PATH, infer_schema=False)",
    "callanalytics": "import callanalytics as ca\nSTART()\ndf = ca.read_dialer_results(PATH)",
    # The same rows read back from the day cache the clients write (one Parquet file per
    # day), the way a fetch over cached days reads them: DayCache.get_many, concatenated.
    "Parquet day cache": """
        import polars as pl
        from callanalytics.cache import DayCache
        from callanalytics.schema import DIALER_RESULTS
        cache = DayCache(PATH + ".cache", DIALER_RESULTS, {"benchmark": True})
        from datetime import date
        days = sorted(date.fromisoformat(p.name[5:]) for p in cache.folder.glob("date=*"))
        START()
        df = pl.concat(cache.get_many(days).values(), how="diagonal")
    """,
    "pandas script": """
        import pandas as pd
        from callanalytics.schema import DIALER_RESULTS, Clock, Duration, Id, Timestamp
        ids = {c.name: str for c in DIALER_RESULTS.columns if isinstance(c.kind, Id)}
        START()
        df = pd.read_csv(PATH, dtype=ids)
        for c in DIALER_RESULTS.columns:
            if isinstance(c.kind, Timestamp):
                df[c.name] = pd.to_datetime(df[c.name]).dt.tz_localize(
                    "America/New_York", ambiguous="NaT", nonexistent="NaT")
            elif isinstance(c.kind, Duration):
                df[c.name] = pd.to_timedelta(df[c.name], unit="m" if c.kind.unit == "min" else "s")
            elif isinstance(c.kind, Clock):
                seconds = pd.to_numeric(df[c.name], errors="coerce")
                clock = pd.to_timedelta(df[c.name].where(seconds.isna()), errors="coerce")
                df[c.name] = pd.to_timedelta(seconds, unit="s").fillna(clock)
    """,
}
LEADFLOW = {
    "polars untyped": "import polars as pl\nSTART()\ndf = pl.read_json(PATH)",
    "callanalytics": "import callanalytics as ca\nSTART()\ndf = ca.read_leadflow_history(PATH)",
    "pandas script": """
        import json
        import pandas as pd
        from callanalytics.schema import LEADFLOW_HISTORY, Duration, Flag, Money
        START()
        with open(PATH) as handle:
            df = pd.DataFrame(json.load(handle)["response"])
        df["call_date"] = pd.to_datetime(df["call_date"]).dt.tz_localize(
            "America/New_York", ambiguous="NaT", nonexistent="NaT")
        for c in LEADFLOW_HISTORY.columns:
            if isinstance(c.kind, Duration):
                df[c.name] = pd.to_timedelta(pd.to_numeric(df[c.name]),
                                             unit="m" if c.kind.unit == "min" else "s")
            elif isinstance(c.kind, Money):
                df[c.name] = pd.to_numeric(df[c.name])
            elif isinstance(c.kind, Flag):
                df[c.name] = df[c.name].map({"Y": True, "N": False})
    """,
}

CHILD = """
import resource, sys, time
from benchmarks.common import peak_rss
PATH = {path!r}
_t = [0.0, 0.0]
def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
def START():
    _t[0], _t[1] = time.perf_counter(), _cpu()
{body}
elapsed, cpu = time.perf_counter() - _t[0], _cpu() - _t[1]
print(elapsed, peak_rss(), len(df), cpu)
"""


def ensure_inputs(rows: int, reports: set[str]) -> tuple[Path, Path]:
    """The sample generator's wire files: the Dialer CSV quoted as Engage sends it, and the
    LeadFlow response as DialogTech sends it (numbers sometimes as strings). Generated in a
    child process so this one stays small."""
    DATA.mkdir(exist_ok=True)
    dialer, leadflow = DATA / f"dialer_{rows}.csv", DATA / f"leadflow_{rows}.json"
    for path, function in (
        (dialer, "sample_dialer_results"),
        (leadflow, "sample_leadflow_history"),
    ):
        if not path.exists() and path.stem.split("_")[0] in reports:
            print(f"generating {path.name} ...", flush=True)
            code = (
                f"import callanalytics as ca, pathlib; pathlib.Path({str(path)!r})"
                f".write_bytes(ca.{function}({rows}, days=30, raw=True))"
            )
            subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
    if "dialer" in reports and not Path(f"{dialer}.cache").exists():
        print("writing the Parquet day cache ...", flush=True)
        code = (
            "import callanalytics as ca, polars as pl\n"
            "from callanalytics.cache import DayCache\n"
            "from callanalytics.schema import DIALER_RESULTS\n"
            f"frame = ca.read_dialer_results({str(dialer)!r})\n"
            f"cache = DayCache({str(dialer) + '.cache'!r}, DIALER_RESULTS, {{'benchmark': True}})\n"
            "day = pl.col('call_start').dt.date()\n"
            "for (d,), part in frame.group_by(day, maintain_order=True):\n"
            "    cache.put(d, part)\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
    return dialer, leadflow


def run_child(body: str, path: Path) -> tuple[float, int, float]:
    code = CHILD.format(path=str(path), body=textwrap.dedent(body).strip())
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=HERE.parent
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    seconds, rss, _, cpu = result.stdout.split()
    return float(seconds), int(rss), float(cpu)


Result = tuple[float, int, float]  # median wall seconds, peak RSS bytes, median CPU seconds


def measure(contenders: dict[str, str], path: Path, runs: int) -> dict[str, Result]:
    samples: dict[str, list[Result]] = {name: [] for name in contenders}
    for run in range(runs):
        for name, body in contenders.items():  # interleaved: each run visits every contender
            samples[name].append(run_child(body, path))
            print(f"  run {run + 1}: {name:15s} {samples[name][-1][0]:6.2f} s", flush=True)
    return {
        name: (
            statistics.median(s for s, _, _ in values),
            int(statistics.median(r for _, r, _ in values)),
            statistics.median(c for _, _, c in values),
        )
        for name, values in samples.items()
    }


def table(title: str, results: dict[str, Result]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| contender | median s | median CPU s | peak RSS MB |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (seconds, rss, cpu) in results.items():
        lines.append(f"| {name} | {seconds:.2f} | {cpu:.2f} | {rss / 2**20:,.0f} |")
    return [*lines, ""]


def ratio_lines(dialer: dict, leadflow: dict) -> list[str]:
    floor, text, typed, pandas, cached = (
        dialer["polars untyped"],
        dialer["polars all text"],
        dialer["callanalytics"],
        dialer["pandas script"],
        dialer["Parquet day cache"],
    )
    checks = [
        ("Dialer typed / untyped time", typed[0] / floor[0], "<= 1.25"),
        (
            "Dialer typed / untyped CPU time (steadier on a shared machine)",
            typed[2] / floor[2],
            "<= 1.25",
        ),
        ("Dialer typed / all-text time", typed[0] / text[0], "(reference)"),
        ("Dialer typed / untyped peak RSS", typed[1] / floor[1], "<= 1.1"),
        ("Dialer pandas / typed time", pandas[0] / typed[0], ">= 5"),
        ("Dialer pandas / typed CPU time", pandas[2] / typed[2], ">= 5"),
        ("Dialer typed CSV / Parquet day cache time", typed[0] / cached[0], ">= 5"),
        ("Dialer typed CSV / Parquet day cache CPU time", typed[2] / cached[2], ">= 5"),
    ]
    if "callanalytics before" in dialer:
        before = dialer["callanalytics before"]
        checks.append(("Dialer typed before / untyped time", before[0] / floor[0], "(before)"))
        checks.append(("Dialer typed before / untyped CPU time", before[2] / floor[2], "(before)"))
    if leadflow:
        checks += [
            (
                "LeadFlow pandas / typed time",
                leadflow["pandas script"][0] / leadflow["callanalytics"][0],
                ">= 3",
            ),
            (
                "LeadFlow typed / untyped time",
                leadflow["callanalytics"][0] / leadflow["polars untyped"][0],
                "(no target)",
            ),
        ]
    lines = [
        "### Ratios (one run of this script)",
        "",
        "| ratio | value | target | met |",
        "| --- | ---: | --- | --- |",
    ]
    for label, value, target in checks:
        met = "–"
        if target.startswith("<="):
            met = "yes" if value <= float(target[2:]) else "**no**"
        elif target.startswith(">="):
            met = "yes" if value >= float(target[2:]) else "**no**"
        lines.append(f"| {label} | {value:.2f} | {target} | {met} |")
    return [*lines, ""]


def versions() -> str:
    import pandas
    import polars

    import callanalytics

    return (
        f"python {platform.python_version()}, polars {polars.__version__}, "
        f"pandas {pandas.__version__}, callanalytics {callanalytics.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", default="dialer,leadflow", help="comma-separated")
    parser.add_argument(
        "--before", type=Path, help="another checkout (e.g. main): its typed Dialer read too"
    )
    args = parser.parse_args()
    reports = set(args.reports.split(","))
    dialer_path, leadflow_path = ensure_inputs(args.rows, reports)
    print("Dialer Result Download CSV:", flush=True)
    contenders = dict(DIALER)
    if args.before:
        contenders["callanalytics before"] = (
            f"import sys\nsys.path.insert(0, {str(args.before.resolve())!r})\n"
            + DIALER["callanalytics"]
        )
    dialer = measure(contenders, dialer_path, args.runs)
    leadflow: dict[str, Result] = {}
    if "leadflow" in reports:
        print("LeadFlow History JSON:", flush=True)
        leadflow = measure(LEADFLOW, leadflow_path, args.runs)
    header = [
        "# Load benchmark",
        "",
        f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, {versions()}; "
        f"{args.rows:,} rows, median of {args.runs} interleaved runs, each in a fresh process. "
        f"Inputs: {dialer_path.stat().st_size / 2**20:,.0f} MB CSV"
        + (f", {leadflow_path.stat().st_size / 2**20:,.0f} MB JSON." if leadflow else "."),
        "",
    ]
    body = [
        *header,
        *table(f"Dialer Result Download ({args.rows:,} rows)", dialer),
        *(table(f"LeadFlow History ({args.rows:,} records)", leadflow) if leadflow else []),
        *ratio_lines(dialer, leadflow),
    ]
    text = "\n".join(body)
    print("\n" + text)
    (HERE / "results.md").write_text(text + "\n")
    (DATA / "last_results.json").write_text(json.dumps({"dialer": dialer, "leadflow": leadflow}))


if __name__ == "__main__":
    main()
