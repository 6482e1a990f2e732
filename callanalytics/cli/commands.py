"""What each command does: ``sample`` writes the sample files, ``report`` checks and loads
everything and then renders each report, ``fetch`` writes one API report to a file.

Example:
    >>> output_folder(Path("/dev/null"))
    Traceback (most recent call last):
    ...
    callanalytics.errors.CallAnalyticsError: --output-dir /dev/null is a file, not a folder
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from callanalytics.cli.options import report_parameters, report_sources, second_sources
from callanalytics.cli.status import (
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_NO_DATA,
    EXIT_OK,
    print_error,
)
from callanalytics.errors import CallAnalyticsError


def sample_command(args: argparse.Namespace) -> int:
    """``callanalytics sample``: write the sample files and print what they hold."""
    from callanalytics import metrics, narrative, sample
    from callanalytics.display import fmt_money

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
    reconciled = metrics.margin_reconciliation(traffic).summary.row(0, named=True)
    print(
        f"LeadFlow: {traffic.height:,} calls from {traffic['affiliate'].n_unique()} affiliates; "
        f"margin {fmt_money(reconciled['margin'])}\n"
        f"  {narrative.margin_reconciliation_story(reconciled, listed=False)}"
    )
    return EXIT_OK


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


def report_command(args: argparse.Namespace) -> int:
    """``callanalytics report``: check and load every report before the first kernel starts,
    then render each; the exit status says whether all rendered with data."""
    from callanalytics.report import REPORTS, prepare_report, render_prepared

    names = list(REPORTS) if args.name == "all" else [args.name]
    if args.name != "all" and args.name not in REPORTS:
        raise CallAnalyticsError(
            f"unknown report {args.name!r}; choose one of {', '.join(REPORTS)} (or 'all')"
        )
    sources = report_sources(names, args.source, args.dialer, args.leadflow)
    seconds = second_sources(names, args.source, args.dialer, args.leadflow)
    parameters = report_parameters(names, args.parameter)
    # Check and load everything before the first kernel starts.
    memo: dict = {}
    prepared = [
        prepare_report(
            name,
            source=sources[name],
            start=args.start,
            end=args.end,
            parameters=parameters[name],
            memo=memo,
            dialer=seconds.get(name),
        )
        for name in names
    ]
    found = _findings(prepared, getattr(args, "fail_on", None) or [], memo)
    out = output_folder(args.output_dir)
    status = EXIT_OK
    for report in prepared:
        if report.rows:
            print(f"{report.name}: {report.rows:,} rows loaded for {report.window}", flush=True)
        else:
            print(f"{report.name}: No data for {report.window}", flush=True)
        for note in report.notes:
            print(f"  {note}", flush=True)
        try:
            rendered = render_prepared(report, out)
        except (CallAnalyticsError, ValueError, OSError) as error:
            print_error(error)
            status = EXIT_FAILED
            continue
        print(f"  notebook: {rendered.notebook}\n  report:   {rendered.html}", flush=True)
        if not report.rows and status == EXIT_OK:
            status = EXIT_NO_DATA
    return EXIT_FINDINGS if found and status != EXIT_FAILED else status


def _findings(prepared: Sequence, fail_on: Sequence[str], memo: dict) -> bool:
    """Print what each ``--fail-on`` choice found (from the loaded data, before any kernel
    starts); whether anything was found. A choice whose report is not run is refused."""
    from callanalytics.report import FAIL_ON, report_findings

    by_name = {report.name: report for report in prepared}
    found = False
    for choice in dict.fromkeys(fail_on):
        name = FAIL_ON[choice]
        if name not in by_name:
            raise CallAnalyticsError(
                f"--fail-on {choice} needs the {name} report; run 'report {name}' or 'report all'"
            )
        names = report_findings(by_name[name], memo)
        what = "rule(s) failed" if choice == "violations" else "check(s) found rows"
        if names:
            found = True
            print(f"{name}: {len(names)} {what}: {', '.join(names)}", flush=True)
        else:
            print(f"{name}: no findings (--fail-on {choice})", flush=True)
    return found


def fetch_command(args: argparse.Namespace) -> int:
    """``callanalytics fetch``: one API report, for a window, to a Parquet or CSV file."""
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
    return EXIT_OK
