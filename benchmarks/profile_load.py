"""Where the typed Dialer read spends its time beyond the untyped read (one thread, so the
CPU seconds add up; 1M rows from ``benchmarks/run.py``'s input).

Each kind's parse is switched off in turn (its column left as the CSV reader gave it), then
switched back on one kind at a time: each step's extra CPU is that kind's cost. Results go
to stdout and ``benchmarks/results_profile.md``.

    POLARS_MAX_THREADS=1 python benchmarks/profile_load.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import polars as pl  # noqa: E402

import callanalytics as ca  # noqa: E402
from callanalytics.schema import kinds  # noqa: E402

#: The kinds that parse, most expensive first (Text and Id are kept as read).
KINDS = ("Clock", "Timestamp", "Duration", "Count", "Vocabulary", "Money")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _best(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = _cpu()
        run()
        times.append(_cpu() - start)
    return min(times)


def _as_read(self, value, zone):  # a parse switched off: the column as the CSV reader gave it
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    path = str(HERE / "data" / f"dialer_{parser.parse_args().rows}.csv")
    if not Path(path).exists():
        raise SystemExit(f"{path} is missing: run benchmarks/run.py --reports dialer first")
    warnings.simplefilter("ignore")  # switched-off parses leave columns untyped
    rows = [
        (
            "polars untyped (read_csv, inference)",
            _best(lambda: pl.read_csv(path, infer_schema_length=10_000)),
        )
    ]
    rows.append(("polars all text", _best(lambda: pl.read_csv(path, infer_schema=False))))
    saved = {name: vars(getattr(kinds, name)).copy() for name in KINDS}
    for name in KINDS:
        kind = getattr(kinds, name)
        kind.fast = kind.fast_native = _as_read
        kind.fast_repeated = lambda self, typed, zone: typed.is_null() & False
    rows.append(("callanalytics, every parse off", _best(lambda: ca.read_dialer_results(path))))
    for name in KINDS:
        kind = getattr(kinds, name)
        for method in ("fast", "fast_native", "fast_repeated"):
            if method in saved[name]:
                setattr(kind, method, saved[name][method])
            else:
                delattr(kind, method)
        rows.append((f"  + {name} parses", _best(lambda: ca.read_dialer_results(path))))
    threads = os.environ.get("POLARS_MAX_THREADS", "all")
    lines = [
        "# Where the typed Dialer read spends its time",
        "",
        f"1M-row Engage export, CPU seconds (best of 3), polars threads: {threads}.",
        "",
        "| step | CPU s | added |",
        "| --- | ---: | ---: |",
    ]
    previous = None
    for label, seconds in rows:
        added = "" if previous is None else f"{seconds - previous:+.2f}"
        lines.append(f"| {label} | {seconds:.2f} | {added} |")
        previous = seconds
    text = "\n".join(lines)
    print(text)
    (HERE / "results_profile.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
