"""One door for notebooks: ``source`` is ``"sample"``, a file path, or ``"api"``.

Whatever the door, the result is the same typed frame, filtered to ``[start, end)`` in the
report's time zone. Missing dates default to the sample's window, a file's own date range,
or the last 7 days from the API. Filters that match nothing say so, with the values there are.

One job per module: :mod:`~callanalytics.load.window` (the window, its defaults and how it
reads), :mod:`~callanalytics.load.filters` (filters that must match) and
:mod:`~callanalytics.load.loaders` (the loaders themselves).

Example:
    >>> load_window("dialer", "sample", "2024-11-01", "2024-11-08").label
    '1–7 November 2024'
"""

from callanalytics.load.filters import (
    LISTED_VALUES,
    FilterError,
    UnmatchedFilterWarning,
    check_dispositions,
)
from callanalytics.load.loaders import load_dialer_results, load_leadflow_history, load_window
from callanalytics.load.window import SAMPLE_DAYS, LoadedWindow, default_range, window_label

__all__ = [
    "LISTED_VALUES",
    "SAMPLE_DAYS",
    "FilterError",
    "LoadedWindow",
    "UnmatchedFilterWarning",
    "check_dispositions",
    "default_range",
    "load_dialer_results",
    "load_leadflow_history",
    "load_window",
    "window_label",
]
