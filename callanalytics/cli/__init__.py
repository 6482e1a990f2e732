"""The ``callanalytics`` command: ``sample``, ``report`` and ``fetch``.

One job per module: :mod:`~callanalytics.cli.parser` (commands, options, help),
:mod:`~callanalytics.cli.options` (which source and parameters each report gets),
:mod:`~callanalytics.cli.commands` (what each command does) and
:mod:`~callanalytics.cli.status` (exit statuses; errors and warnings as one line each).

Example:
    $ callanalytics sample --output-dir reports
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from callanalytics.cli.commands import output_folder
from callanalytics.cli.options import report_sources, second_sources
from callanalytics.cli.parser import REPORT_EPILOG, build_parser
from callanalytics.cli.status import (
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_NO_DATA,
    EXIT_OK,
    print_error,
    show_warning,
)
from callanalytics.errors import CallAnalyticsError

__all__ = [
    "EXIT_FAILED",
    "EXIT_FINDINGS",
    "EXIT_NO_DATA",
    "EXIT_OK",
    "REPORT_EPILOG",
    "build_parser",
    "main",
    "output_folder",
    "report_sources",
    "second_sources",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors end as one line on stderr and exit status 1.

    Example:
        >>> main(["sample", "--output-dir", "/dev/null"])
        1
    """
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = show_warning
            return int(args.handler(args))
    except (CallAnalyticsError, ValueError, OSError) as error:  # OSError: unwritable output,
        print_error(error)  # a full disk, a network failure
    return EXIT_FAILED
