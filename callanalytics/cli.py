"""The ``callanalytics`` command: ``sample``, ``report`` and ``fetch``.

Example:
    $ callanalytics sample --output-dir reports
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from callanalytics.errors import CallAnalyticsError, CallAnalyticsWarning
from callanalytics.report import REPORTS, parameter_from_text

#: Exit statuses, documented in ``callanalytics report --help`` and the README.
EXIT_OK = 0
EXIT_FAILED = 1  # argparse uses 2 for a malformed command line
EXIT_NO_DATA = 3
EXIT_FINDINGS = 4  # --fail-on: a compliance rule failed, or a data-quality check found rows

REPORT_EPILOG = """\
Window:
  --start/--end given: those local days, end exclusive (--end 2024-11-08 ends on the 7th).
  Otherwise the sample's two weeks, a file's own first to last day, or the last 7 days
  before today from the API. The window is printed as "N rows loaded for 1-7 November 2024".
  The runner sets source, start and end itself: -p source=/start=/end= are refused.

Data:
  --source sample|api feeds every report. A file feeds one kind of report only:
  --dialer PATH for speed-to-lead and agent-performance, --leadflow PATH for
  affiliate-margin (report all needs both, or one of them with --source api).
  lead-funnel reads both: --leadflow PATH for its window, and --dialer PATH, read from
  the window's first day to within_days (default 30) after its last, so callers dialed
  back after the window still count as dialed back.
  compliance and data-quality read the Dialer (data-quality also checks LeadFlow from
  --source sample or api).

Exit status:
  0  every report rendered with data
  1  failed: bad options, parameters or data, or a notebook that failed (its executed
     notebook is kept; the message says where)
  2  the command line itself could not be parsed
  3  no data: every report rendered, at least one says "No data for <window>"
  4  findings (only with --fail-on): every report rendered, and a compliance rule failed
     (--fail-on violations) or a data-quality check found rows (--fail-on quality); the
     findings are printed. Failures (1) win over findings, findings over no data (3).
"""


def _sample(args: argparse.Namespace) -> int:
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


def _parameter(text: str) -> tuple[str, str]:
    """``KEY=VALUE``; the value is read against the parameter's type once the report is known."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value


def report_sources(
    names: Sequence[str],
    source: str | None = None,
    dialer: str | None = None,
    leadflow: str | None = None,
) -> dict[str, str]:
    """The source each report reads: ``--dialer``/``--leadflow`` for its kind, else
    ``--source``, else the sample. One file cannot be both kinds, and an option no report
    reads is refused rather than ignored.

    Example:
        >>> report_sources(["speed-to-lead", "affiliate-margin"], dialer="d.csv", leadflow="l.json")
        {'speed-to-lead': 'd.csv', 'affiliate-margin': 'l.json'}
    """
    from callanalytics.report import DATA, SECOND_DATA

    kinds = {DATA[name] for name in names} | {SECOND_DATA[n] for n in names if n in SECOND_DATA}
    is_file = source is not None and source not in ("sample", "api")
    if is_file and len(kinds) > 1:
        raise CallAnalyticsError(
            f"--source {source} cannot feed both the Dialer and the LeadFlow reports; "
            "give --dialer PATH and --leadflow PATH (--source is for sample or api)"
        )
    given = {"dialer": dialer, "leadflow": leadflow}
    if is_file and any(given.values()):
        raise CallAnalyticsError(
            f"--source {source} and --dialer/--leadflow both name a file; give each file once, "
            "with --dialer PATH or --leadflow PATH"
        )
    for kind, path in given.items():
        if path is not None and kind not in kinds:
            readers = ", ".join(sorted(names))
            raise CallAnalyticsError(
                f"--{kind} is not read by {readers}; drop it, or run a report that reads it"
            )
    sources = {}
    for name in names:
        kind = DATA[name]
        other = "leadflow" if kind == "dialer" else "dialer"
        chosen = given[kind] or source
        if chosen is None and given[other] is not None:
            raise CallAnalyticsError(
                f"{name} reads {'Dialer results' if kind == 'dialer' else 'LeadFlow history'}: "
                f"give --{kind} PATH too (or --source sample/api), so it does not silently "
                "run on the sample"
            )
        sources[name] = chosen or "sample"
    return sources


def second_sources(
    names: Sequence[str],
    source: str | None = None,
    dialer: str | None = None,
    leadflow: str | None = None,
) -> dict[str, str]:
    """The second source of each report that reads two kinds of data (``SECOND_DATA``: the
    lead funnel's Dialer results): ``--dialer``/``--leadflow`` for that kind, else
    ``--source`` sample or api, else the sample when no file was named at all.

    Example:
        >>> second_sources(["lead-funnel", "speed-to-lead"], dialer="d.csv", leadflow="l.json")
        {'lead-funnel': 'd.csv'}
    """
    from callanalytics.report import SECOND_DATA

    given = {"dialer": dialer, "leadflow": leadflow}
    chosen = {}
    for name in names:
        kind = SECOND_DATA.get(name)
        if kind is None:
            continue
        path = given[kind] or (source if source in ("sample", "api") else None)
        if path is None and (source is not None or any(given.values())):
            what = "Dialer results" if kind == "dialer" else "LeadFlow history"
            raise CallAnalyticsError(
                f"{name} reads {what} too: give --{kind} PATH (or --source sample/api), so "
                "it does not silently run on the sample"
            )
        chosen[name] = path or "sample"
    return chosen


def _report_parameters(names: Sequence[str], raw: Sequence[tuple[str, str]]) -> dict[str, dict]:
    """Each report's ``-p`` values, read against the types of its notebook's defaults. With
    ``all``, a parameter goes to the reports that have it and must belong to at least one."""
    from callanalytics.report import RESERVED_PARAMETERS, is_secret_name, notebook_parameters

    known = {name: notebook_parameters(name) for name in names}
    refused = {k for k, _ in raw if k in RESERVED_PARAMETERS or is_secret_name(k)}
    if len(names) > 1:
        everywhere = set().union(*known.values())
        nowhere = sorted({k for k, _ in raw} - everywhere - refused)
        if nowhere:
            raise CallAnalyticsError(
                f"no report has parameter(s) {', '.join(nowhere)}; "
                f"their parameters are {', '.join(sorted(everywhere))}"
            )
    chosen: dict[str, dict] = {}
    for name in names:
        single = len(names) == 1
        chosen[name] = {
            key: parameter_from_text(known[name].get(key, (None, None))[0], text)
            for key, text in raw
            if single or key in known[name] or key in refused
        }
    return chosen


def _report(args: argparse.Namespace) -> int:
    from callanalytics.report import REPORTS, prepare_report, render_prepared

    names = list(REPORTS) if args.name == "all" else [args.name]
    if args.name != "all" and args.name not in REPORTS:
        raise CallAnalyticsError(
            f"unknown report {args.name!r}; choose one of {', '.join(REPORTS)} (or 'all')"
        )
    sources = report_sources(names, args.source, args.dialer, args.leadflow)
    seconds = second_sources(names, args.source, args.dialer, args.leadflow)
    parameters = _report_parameters(names, args.parameter)
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
            text = _os_error_text(error) if isinstance(error, OSError) else str(error)
            print(f"callanalytics: error: {' '.join(text.split())}", file=sys.stderr, flush=True)
            status = EXIT_FAILED
            continue
        print(f"  notebook: {rendered.notebook}\n  report:   {rendered.html}", flush=True)
        if not report.rows and status == EXIT_OK:
            status = EXIT_NO_DATA
    return EXIT_FINDINGS if found and status != EXIT_FAILED else status


def _fail_on_choices() -> dict[str, str]:
    from callanalytics.report import FAIL_ON

    return FAIL_ON


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
        "report",
        help="run a report notebook with papermill and write HTML",
        description="Run report notebooks with papermill and write them as HTML. Everything "
        "is checked, and the data loaded once, before the first notebook runs.",
        epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("name", choices=[*REPORTS, "all"], help=f"{', '.join(REPORTS)}, or all")
    report.add_argument(
        "--source",
        help="sample (the default) or api for every report; a file path only for one report",
    )
    report.add_argument("--dialer", metavar="PATH", help="Dialer export (CSV or Parquet)")
    report.add_argument("--leadflow", metavar="PATH", help="LeadFlow export (JSON, CSV, Parquet)")
    report.add_argument(
        "--start", help="first day, ISO date (inclusive); default: see 'Window' below"
    )
    report.add_argument("--end", help="the day after the last, ISO date (exclusive)")
    report.add_argument("--output-dir", type=Path, default=Path("reports"))
    report.add_argument(
        "-p",
        "--parameter",
        action="append",
        type=_parameter,
        default=[],
        metavar="KEY=VALUE",
        help="notebook parameter, checked against the type of its default: text for text, "
        "JSON otherwise, e.g. -p min_calls=10 -p 'campaigns=[\"10452\"]'",
    )
    report.add_argument(
        "--fail-on",
        action="append",
        choices=sorted(_fail_on_choices()),
        default=[],
        help="exit 4 when the compliance report finds a rule broken (violations) or the "
        "data-quality report finds rows to look at (quality); may be given twice",
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


_default_show_warning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """The package's own warnings as one line each, like its errors; others as Python shows them."""
    if issubclass(category, CallAnalyticsWarning):
        print(f"callanalytics: warning: {' '.join(str(message).split())}", file=sys.stderr)
    else:
        _default_show_warning(message, category, filename, lineno, file, line)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors end as one line on stderr and exit status 1.

    Example:
        >>> main(["sample", "--output-dir", "/dev/null"])
        1
    """
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return int(args.handler(args))
    except (CallAnalyticsError, ValueError) as error:
        message = str(error)
    except OSError as error:  # unwritable output, a full disk, a network failure
        message = _os_error_text(error)
    print(f"callanalytics: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
