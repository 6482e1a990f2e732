"""How a command ends: its exit status, and errors and warnings as one line each.

Example:
    >>> os_error_text(PermissionError(13, "Permission denied", "/srv/reports"))
    'Permission denied: /srv/reports'
"""

from __future__ import annotations

import sys
import warnings

from callanalytics.errors import CallAnalyticsWarning

#: Exit statuses, documented in ``callanalytics report --help`` and the README.
EXIT_OK = 0
EXIT_FAILED = 1  # argparse uses 2 for a malformed command line
EXIT_NO_DATA = 3
EXIT_FINDINGS = 4  # --fail-on: a compliance rule failed, or a data-quality check found rows


def os_error_text(error: OSError) -> str:
    """``Permission denied: /path`` rather than ``[Errno 13] Permission denied: '/path'``."""
    if not error.strerror:
        return str(error)
    paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
    return f"{error.strerror}: {' -> '.join(paths)}" if paths else error.strerror


def error_text(error: Exception) -> str:
    """An error as the one line the command prints (OS errors without their errno).

    Example:
        >>> error_text(ValueError("end (2024-11-01)\\n  must be after start"))
        'end (2024-11-01) must be after start'
    """
    text = os_error_text(error) if isinstance(error, OSError) else str(error)
    return " ".join(text.split())


def print_error(error: Exception) -> None:
    """``callanalytics: error: <one line>`` on stderr."""
    print(f"callanalytics: error: {error_text(error)}", file=sys.stderr, flush=True)


_default_show_warning = warnings.showwarning


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """The package's own warnings as one line each, like its errors; others as Python shows them."""
    if issubclass(category, CallAnalyticsWarning):
        print(f"callanalytics: warning: {' '.join(str(message).split())}", file=sys.stderr)
    else:
        _default_show_warning(message, category, filename, lineno, file, line)
