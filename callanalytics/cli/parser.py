"""The command line's shape: commands, options, help texts (``callanalytics --help``).

Example:
    >>> build_parser().parse_args(["report", "speed-to-lead", "-p", "min_calls=10"]).parameter
    [('min_calls', '10')]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from callanalytics.cli.commands import fetch_command, report_command, sample_command
from callanalytics.report import FAIL_ON, REPORTS

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


def _parameter(text: str) -> tuple[str, str]:
    """``KEY=VALUE``; the value is read against the parameter's type once the report is known."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value


def build_parser() -> argparse.ArgumentParser:
    """The ``callanalytics`` parser; each command's ``handler`` runs it."""
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
    sample.set_defaults(handler=sample_command)

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
        choices=sorted(FAIL_ON),
        default=[],
        help="exit 4 when the compliance report finds a rule broken (violations) or the "
        "data-quality report finds rows to look at (quality); may be given twice",
    )
    report.set_defaults(handler=report_command)

    fetch = commands.add_parser("fetch", help="fetch a report from the API into a file")
    fetch.add_argument("report", choices=["dialer", "leadflow"])
    fetch.add_argument("--start", help="first day or time, ISO (inclusive)")
    fetch.add_argument("--end", help="last day or time, ISO (exclusive); default: now")
    fetch.add_argument("--timezone", default="America/New_York", help="Dialer report time zone")
    fetch.add_argument("--sid", help="LeadFlow: one call by its sid")
    fetch.add_argument("--out", type=Path, required=True, help="output .parquet or .csv")
    fetch.add_argument("--no-cache", action="store_true", help="bypass the Parquet cache")
    fetch.set_defaults(handler=fetch_command)
    return parser
