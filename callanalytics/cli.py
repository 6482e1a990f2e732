"""The ``callanalytics`` command: ``sample``, ``report`` and ``fetch``.

Example:
    $ callanalytics sample --output-dir reports
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from callanalytics.errors import CallAnalyticsError


def _sample(args: argparse.Namespace) -> int:
    from callanalytics.sample import write_sample_files

    paths = write_sample_files(
        args.output_dir, n_dialer=args.dialer_rows, n_leadflow=args.leadflow_rows, seed=args.seed
    )
    for key, path in paths.items():
        print(f"{key:>17}: {path}")
    calls = pl.read_parquet(paths["dialer_parquet"])
    traffic = pl.read_parquet(paths["leadflow_parquet"])
    print(
        f"\nDialer: {calls.height:,} dial attempts, {calls['lead_phone'].n_unique():,} leads, "
        f"{calls['call_start'].min():%Y-%m-%d} to {calls['call_start'].max():%Y-%m-%d}; "
        f"answered {calls['pass_disposition'].eq('ANSWER').mean():.1%}"
    )
    print(
        f"LeadFlow: {traffic.height:,} calls from {traffic['affiliate'].n_unique()} affiliates; "
        f"margin ${traffic['margin'].sum():,}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callanalytics",
        description="Typed call-center data and scheduled notebook reports.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser("sample", help="write the synthetic sample data files")
    sample.add_argument("--output-dir", type=Path, default=Path("reports"))
    sample.add_argument("--dialer-rows", type=int, default=5_000)
    sample.add_argument("--leadflow-rows", type=int, default=3_000)
    sample.add_argument("--seed", type=int, default=0)
    sample.set_defaults(handler=_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CallAnalyticsError as error:
        print(f"callanalytics: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
