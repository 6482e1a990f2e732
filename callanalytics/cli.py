"""The ``callanalytics`` command: ``sample``, ``report`` and ``fetch``.

Example:
    $ callanalytics sample --output-dir reports
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from callanalytics.errors import CallAnalyticsError

#: Exit statuses, documented in ``callanalytics report --help`` and the README.
EXIT_OK = 0
EXIT_FAILED = 1  # argparse uses 2 for a malformed command line
EXIT_NO_DATA = 3


def _sample(args: argparse.Namespace) -> int:
    from callanalytics import sample

    paths = sample.write_sample_files(
        output_folder(args.output_dir),
        n_dialer=args.dialer_rows,
        n_leadflow=args.leadflow_rows,
        seed=args.seed,
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


def output_folder(path: Path) -> Path:
    """``path`` as an existing folder, created if needed; a clear error if it cannot be.

    Example:
        >>> output_folder(Path("/dev/null"))
        Traceback (most recent call last):
        ...
        callanalytics.errors.CallAnalyticsError: --output-dir /dev/null is a file, not a folder
    """
    path = path.expanduser()
    if path.exists() and not path.is_dir():
        raise CallAnalyticsError(f"--output-dir {path} is a file, not a folder")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise CallAnalyticsError(f"--output-dir {path} cannot be a folder: {parent} is a file")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CallAnalyticsError(
            f"cannot create --output-dir {path}: {error.strerror or error}"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise CallAnalyticsError(f"cannot write to --output-dir {path}: permission denied")
    return path


def _parameter(text: str) -> tuple[str, object]:
    """``KEY=VALUE``; the value is read as JSON when it parses (numbers, lists), else text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


def _report(args: argparse.Namespace) -> int:
    from callanalytics.report import REPORTS, render_report

    names = list(REPORTS) if args.name == "all" else [args.name]
    for name in names:
        print(f"rendering {name} ...", flush=True)
        rendered = render_report(
            name,
            source=args.source,
            start=args.start,
            end=args.end,
            output_dir=output_folder(args.output_dir),
            parameters=dict(args.parameter),
        )
        print(f"  notebook: {rendered.notebook}\n  report:   {rendered.html}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from callanalytics.export import write_frame
    from callanalytics.sources.engage_voice import fetch_dialer_results
    from callanalytics.sources.leadflow import fetch_leadflow_history

    if args.report == "dialer":
        frame = fetch_dialer_results(
            args.start, args.end, timezone=args.timezone, cache=not args.no_cache
        )
    else:
        frame = fetch_leadflow_history(args.start, args.end, sid=args.sid, cache=not args.no_cache)
    path = write_frame(frame, args.out)
    print(f"{frame.height:,} rows written to {path}")
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

    report = commands.add_parser(
        "report", help="run a report notebook with papermill and write HTML"
    )
    report.add_argument("name", help="speed-to-lead, agent-performance, affiliate-margin, or all")
    report.add_argument("--source", default="sample", help="sample (default), api, or a file path")
    report.add_argument("--start", help="first day, ISO date (inclusive)")
    report.add_argument("--end", help="last day, ISO date (exclusive)")
    report.add_argument("--output-dir", type=Path, default=Path("reports"))
    report.add_argument(
        "-p",
        "--parameter",
        action="append",
        type=_parameter,
        default=[],
        metavar="KEY=VALUE",
        help="extra notebook parameter (JSON values allowed), e.g. -p min_calls=10",
    )
    report.set_defaults(handler=_report)

    fetch = commands.add_parser("fetch", help="fetch a report from the API into a file")
    fetch.add_argument("report", choices=["dialer", "leadflow"])
    fetch.add_argument("--start", help="first day or time, ISO (inclusive)")
    fetch.add_argument("--end", help="last day or time, ISO (exclusive); default: now")
    fetch.add_argument("--timezone", default="America/New_York", help="Dialer report time zone")
    fetch.add_argument("--sid", help="LeadFlow: one call by its sid")
    fetch.add_argument("--out", type=Path, required=True, help="output .parquet or .csv")
    fetch.add_argument("--no-cache", action="store_true", help="bypass the Parquet cache")
    fetch.set_defaults(handler=_fetch)
    return parser


def _os_error_text(error: OSError) -> str:
    """``Permission denied: /path`` rather than ``[Errno 13] Permission denied: '/path'``."""
    if not error.strerror:
        return str(error)
    paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
    return f"{error.strerror}: {' -> '.join(paths)}" if paths else error.strerror


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors end as one line on stderr and exit status 1.

    Example:
        >>> main(["sample", "--output-dir", "/dev/null"])
        1
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (CallAnalyticsError, ValueError) as error:
        message = str(error)
    except OSError as error:  # unwritable output, a full disk, a network failure
        message = _os_error_text(error)
    print(f"callanalytics: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
