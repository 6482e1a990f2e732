"""The loaders: ``source`` is ``"sample"``, a file path, or ``"api"``; whatever the door,
the same typed frame, cut to the window and filtered.

Example:
    >>> load_leadflow_history("sample", "2024-11-01", "2024-11-02").height > 0
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import polars as pl

from callanalytics.dates import as_instant, parse_date, within
from callanalytics.load.filters import apply_filter
from callanalytics.load.window import (
    SAMPLE_DAYS,
    LoadedWindow,
    default_range,
    file_range,
    window_label,
)
from callanalytics.readers import read_dialer_results, read_leadflow_history
from callanalytics.sample import DEFAULT_START, sample_dialer_results, sample_leadflow_history
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Schema
from callanalytics.timezones import canonical_timezone


def _window(frame: pl.DataFrame, column: str, start: date, end: date, zone: str) -> pl.DataFrame:
    """Local days ``[start, end)``; rows whose time is null (a DST-gap time, already
    counted in a warning by the reader) are kept, not dropped."""
    return within(frame, column, as_instant(start, zone), as_instant(end, zone))


def _read_file(path: Path, schema: Schema, zone: str) -> pl.DataFrame:
    if path.suffix.lower() == ".parquet":
        frame = pl.read_parquet(path)
        missing = [c for c in schema.names if c not in frame.columns]
        if missing:
            raise ValueError(f"{path} is not Parquet of the {schema.title} (missing {missing[:5]})")
        return frame
    if schema is DIALER_RESULTS:
        return read_dialer_results(path, timezone=zone)
    return read_leadflow_history(path)


def load_window(
    report: Literal["dialer", "leadflow"],
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    timezone: str = "America/New_York",
    campaigns: Sequence[object] = (),
    affiliates: Sequence[object] = (),
) -> LoadedWindow:
    """Load ``report`` ("dialer" or "leadflow") like load_dialer_results/load_leadflow_history
    and say which window it covers: the dates given, else the sample's window, a file's own
    date range, or the last 7 days from the API. ``timezone`` and ``campaigns`` apply to the
    Dialer, ``affiliates`` to LeadFlow.

    Example:
        >>> loaded = load_window("dialer", "sample", "2024-11-01", "2024-11-08")
        >>> loaded.label, loaded.frame.height > 0
        ('1–7 November 2024', True)
    """
    if report == "dialer":
        schema, column, zone = DIALER_RESULTS, "call_start", canonical_timezone(timezone)
    elif report == "leadflow":
        schema, column, zone = LEADFLOW_HISTORY, "call_date", LEADFLOW_HISTORY.default_timezone
    else:
        raise ValueError(f"report must be 'dialer' or 'leadflow', not {report!r}")
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if source in ("sample", "api"):
        first, last = default_range(source, first, last)
    if source == "sample":
        if report == "dialer":
            frame = sample_dialer_results(start=DEFAULT_START, days=SAMPLE_DAYS, timezone=zone)
        else:
            frame = sample_leadflow_history(start=DEFAULT_START, days=SAMPLE_DAYS)
    elif source == "api":
        if report == "dialer":
            from callanalytics.sources.engage_voice import fetch_dialer_results

            frame = fetch_dialer_results(first, last, timezone=zone)
        else:
            from callanalytics.sources.leadflow import fetch_leadflow_history

            frame = fetch_leadflow_history(first, last)
    else:
        frame = _read_file(Path(source), schema, zone)
        if first is None or last is None:
            first, last = file_range(frame, column, zone, source, first, last)
        elif last <= first:
            raise ValueError(f"end ({last}) must be after start ({first})")
    if source != "api":
        frame = _window(frame, column, first, last, zone)
    label = window_label(first, last)
    if report == "dialer":
        frame = apply_filter(frame, "campaigns", campaigns, ["campaign_id", "campaign_name"], label)
    else:
        frame = apply_filter(frame, "affiliates", affiliates, ["affiliate"], label)
    return LoadedWindow(frame, first, last)


def load_dialer_results(
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    timezone: str = "America/New_York",
    campaigns: Sequence[object] = (),
) -> pl.DataFrame:
    """Dialer results from the sample, a saved file (CSV or Parquet) or the API, for
    ``[start, end)`` and, if given, only the ``campaigns`` named by id or name. Without
    dates, a file is read over its own date range.

    Example:
        >>> calls = load_dialer_results("sample", "2024-11-01", "2024-11-02", campaigns=["10452"])
        >>> calls["campaign_id"].unique().to_list()
        ['10452']
    """
    return load_window("dialer", source, start, end, timezone=timezone, campaigns=campaigns).frame


def load_leadflow_history(
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    affiliates: Sequence[object] = (),
) -> pl.DataFrame:
    """LeadFlow history from the sample, a saved file (JSON, CSV or Parquet) or the API, for
    ``[start, end)`` and, if given, only the named ``affiliates``. Without dates, a file is
    read over its own date range.

    Example:
        >>> load_leadflow_history("sample", "2024-11-01", "2024-11-02").height > 0
        True
    """
    return load_window("leadflow", source, start, end, affiliates=affiliates).frame
