"""The lead funnel at scale: LeadFlow calls × dialer rows matched by phone number on the
streaming engine. Prints wall time and peak RSS of each step, each in a fresh process.

    python benchmarks/funnel.py [--calls 1000000] [--dials 10000000]
    python benchmarks/funnel.py --scaling        # 0.1M×1M, 0.3M×3M, 1M×10M

The data is written once to ``benchmarks/data/`` as Parquet, in chunks, with only the
columns the funnel reads, typed as the readers type them: LeadFlow calls from 80% as many
distinct callers, a third of whom come back as dialer leads (numbers in five formats, first
dialed minutes to days later); the other leads are unrelated numbers; ~2.5 passes a lead.
Every distinct number is parsed once by ``phonenumbers``, which dominates the wall time.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.common import run_child  # noqa: E402

DATA = HERE / "data"
CHUNK = 1_000_000
START = datetime(2024, 10, 1)
DAYS = 60

STEPS = {
    "match_leads -> sink_parquet (streaming)": """
        import polars as pl
        from callanalytics import metrics
        traffic, calls = pl.scan_parquet(TRAFFIC), pl.scan_parquet(DIALS)
        metrics.match_leads(traffic, calls).sink_parquet(OUT)
        rows = pl.scan_parquet(OUT)
        print(rows.group_by("unmatched_reason").len().collect(), file=sys.stderr)
    """,
    "lead_funnel by affiliate (streaming)": """
        import polars as pl
        from decimal import Decimal
        from callanalytics import metrics
        traffic, calls = pl.scan_parquet(TRAFFIC), pl.scan_parquet(DIALS)
        table = metrics.lead_funnel(traffic, calls, sale_value=Decimal("300"))
        print(table.collect(engine="streaming"), file=sys.stderr)
    """,
}

CHILD = """
import sys, time
from benchmarks.common import peak_rss
TRAFFIC, DIALS, OUT = {traffic!r}, {dials!r}, {out!r}
start = time.perf_counter()
{body}
print(time.perf_counter() - start, peak_rss())
"""

_AFFILIATES = ["BlueSky", "CallRoute", "Delta", "Evergreen", "Fastlane", "Granite"]
_STYLES = ("{}", "({}) {}-{}", "{}-{}-{}", "+1 {} {} {}", "1{}")
_AREAS = np.array([201, 212, 213, 305, 312, 404, 415, 512, 617, 702, 718, 818, 917, 972])


def _numbers(rng: np.random.Generator, size: int) -> np.ndarray:
    area = _AREAS[rng.integers(0, len(_AREAS), size)]
    rest = rng.integers(2_000_000, 10_000_000, size)
    return area * 10_000_000 + rest


def _styled(numbers: np.ndarray, rng: np.random.Generator) -> pl.Series:
    digits = pl.Series(numbers.astype(str))
    style = pl.Series(rng.integers(0, len(_STYLES), len(numbers)))
    a, e, line = digits.str.slice(0, 3), digits.str.slice(3, 3), digits.str.slice(6, 4)
    return pl.select(
        pl.when(style == 1)
        .then(pl.concat_str(pl.lit("("), a, pl.lit(") "), e, pl.lit("-"), line))
        .when(style == 2)
        .then(pl.concat_str(a, pl.lit("-"), e, pl.lit("-"), line))
        .when(style == 3)
        .then(pl.concat_str(pl.lit("+1 "), a, pl.lit(" "), e, pl.lit(" "), line))
        .when(style == 4)
        .then(pl.concat_str(pl.lit("1"), digits))
        .otherwise(digits)
    ).to_series()


def _instant(seconds: np.ndarray, zone: str) -> pl.Series:
    return (
        pl.Series(seconds.astype(np.int64) * 1_000_000)
        .cast(pl.Datetime("us"))
        .dt.offset_by(f"{(START - datetime(1970, 1, 1)).days}d")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(zone)
    )


def build(calls: int, dials: int, seed: int = 0) -> tuple[Path, Path]:
    """Write (once) the LeadFlow and dialer Parquet files; return their paths."""
    DATA.mkdir(exist_ok=True)
    traffic_path = DATA / f"funnel_traffic_{calls}.parquet"
    dials_path = DATA / f"funnel_dials_{calls}x{dials}.parquet"
    if traffic_path.exists() and dials_path.exists():
        return traffic_path, dials_path
    rng = np.random.default_rng(seed)
    callers = _numbers(rng, int(calls * 0.8))
    caller = callers[rng.integers(0, len(callers), calls)]
    at = rng.integers(0, DAYS * 86_400, calls)
    money = pl.Decimal(38, 2)
    qualified = rng.random(calls) < 0.5
    traffic = pl.DataFrame(
        {
            "sid": pl.Series(np.arange(calls).astype(str)),
            "call_date": _instant(at, "America/New_York"),
            "affiliate": pl.Series(np.array(_AFFILIATES)[rng.integers(0, 6, calls)]),
            "advertiser": "Acme",
            "offer": "Final Expense",
            "lf_state": "MA",
            "caller_id": pl.Series(caller.astype(str)),
            "lead_status": "Connected",
            "offer_qualified": qualified,
            "offer_price": pl.Series(np.where(qualified, "45.00", "0.00")).cast(money),
            "affiliate_qualified": qualified,
            "affiliate_price": pl.Series(np.where(qualified, "20.00", "0.00")).cast(money),
        }
    )
    traffic.write_parquet(traffic_path)

    # Leads: a third of the callers called back after their first call, the rest unrelated.
    n_leads = max(1, int(dials / 2.5))
    back = min(len(callers) // 3, n_leads // 2)
    first_call = (
        pl.DataFrame({"c": caller, "t": at}).group_by("c").agg(pl.col("t").min()).head(back)
    )
    lead_number = np.concatenate([first_call["c"].to_numpy(), _numbers(rng, n_leads - back)])
    delay = np.exp(rng.normal(np.log(3600), 2.0, n_leads)).clip(30, 20 * 86_400)
    lead_start = np.concatenate(
        [first_call["t"].to_numpy(), rng.integers(0, DAYS * 86_400, n_leads - back)]
    ) + delay.astype(np.int64)
    passes = np.minimum(rng.geometric(0.4, n_leads), 6)
    lead_of = np.repeat(np.arange(n_leads), passes)[:dials]
    if len(lead_of) < dials:
        lead_of = np.concatenate([lead_of, rng.integers(0, n_leads, dials - len(lead_of))])
    written = _styled(lead_number, rng)
    parts = []
    for lo in range(0, dials, CHUNK):
        idx = lead_of[lo : lo + CHUNK]
        size = len(idx)
        answered = rng.random(size) < 0.3
        sale = answered & (rng.random(size) < 0.15)
        start = lead_start[idx] + rng.integers(0, 3 * 86_400, size) * (rng.random(size) < 0.6)
        part = pl.DataFrame(
            {
                "campaign_id": pl.Series((idx % 4 + 10).astype(str)),
                "campaign_name": "Campaign",
                "lead_phone": written.gather(idx),
                "aux_phone": pl.Series([None] * size, dtype=pl.String),
                "call_start": _instant(start, "America/Chicago"),
                "pass_disposition": pl.Series(np.where(answered, "ANSWER", "NOANSWER")),
                "agent_disposition": pl.Series(np.where(sale, "Sale", "Not Interested")).scatter(
                    np.flatnonzero(~answered), None
                ),
            }
        )
        path = DATA / f"_funnel_part_{lo // CHUNK}.parquet"
        part.write_parquet(path)
        parts.append(path)
    pl.scan_parquet(parts).sink_parquet(dials_path)
    for path in parts:
        path.unlink()
    return traffic_path, dials_path


def run(calls: int, dials: int) -> list[str]:
    traffic, dials_path = build(calls, dials)
    out = DATA / "funnel_matches.parquet"
    lines = []
    for name, body in STEPS.items():
        code = CHILD.format(
            traffic=str(traffic), dials=str(dials_path), out=str(out), body=textwrap.dedent(body)
        )
        seconds, rss = run_child(code, name)
        lines.append(
            f"| {calls:,} × {dials:,} | {name} | {float(seconds):.1f} | {int(rss) / 2**20:,.0f} |"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--dials", type=int, default=10_000_000)
    parser.add_argument("--scaling", action="store_true", help="run 0.1, 0.3 and 1 × the size")
    args = parser.parse_args()
    sizes = [(args.calls, args.dials)]
    if args.scaling:
        sizes = [(args.calls // 10, args.dials // 10), (args.calls * 3 // 10, args.dials * 3 // 10)]
        sizes.append((args.calls, args.dials))
    lines = ["| calls × dial rows | step | wall s | peak RSS MB |", "| --- | --- | ---: | ---: |"]
    print("\n".join(lines), flush=True)
    for calls, dials in sizes:
        lines += run(calls, dials)
    text = "\n".join(["### Lead funnel (LeadFlow calls × dial rows)", "", *lines])
    print("\n" + text)
    (HERE / "results_funnel.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
