"""One door for notebooks: ``source`` is ``"sample"``, a file path, or ``"api"``.

Whatever the door, the result is the same typed frame, filtered to ``[start, end)`` in the
report's time zone. Missing dates default to the sample's window, a file's own date range,
or the last 7 days from the API. Filters that match nothing say so, with the values there are.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import polars as pl

from callanalytics.dates import as_instant, parse_date, within
from callanalytics.errors import CallAnalyticsError, CallAnalyticsWarning
from callanalytics.readers import read_dialer_results, read_leadflow_history
from callanalytics.sample import DEFAULT_START, sample_dialer_results, sample_leadflow_history
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY, Schema
from callanalytics.timezones import canonical_timezone

__all__ = [
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

SAMPLE_DAYS = 14
#: How many available values a filter error lists before "and N more".
LISTED_VALUES = 25
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


class FilterError(CallAnalyticsError, ValueError):
    """No value of a filter (``campaigns``, ``affiliates``) matches the data in the window."""


class UnmatchedFilterWarning(CallAnalyticsWarning):
    """Some values of a filter match nothing in the window; the others were applied."""


def window_label(start: date | str, end: date | str) -> str:
    """``[start, end)`` as a reader reads it: the end is exclusive, the label is not.

    Example:
        >>> window_label("2024-11-01", "2024-11-08")
        '1–7 November 2024'
        >>> window_label("2024-10-28", "2024-11-11")
        '28 October – 10 November 2024'
    """
    first = parse_date(start, "start")
    after = parse_date(end, "end")
    if first is None or after is None:
        raise ValueError("window_label needs both a start and an end date")
    last = after - timedelta(days=1)
    if last < first:
        raise ValueError(f"end ({after}) must be after start ({first})")
    if last == first:
        return f"{first.day} {_MONTHS[first.month - 1]} {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{last.day} {_MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return (
            f"{first.day} {_MONTHS[first.month - 1]} \u2013 "
            f"{last.day} {_MONTHS[last.month - 1]} {last.year}"
        )
    return (
        f"{first.day} {_MONTHS[first.month - 1]} {first.year} \u2013 "
        f"{last.day} {_MONTHS[last.month - 1]} {last.year}"
    )


@dataclass(frozen=True)
class LoadedWindow:
    """A loaded frame with the window it covers: local days ``[start, end)``."""

    frame: pl.DataFrame
    start: date
    end: date

    @property
    def label(self) -> str:
        """The window as a reader reads it, e.g. ``1–7 November 2024``."""
        return window_label(self.start, self.end)


def default_range(source: str, start: date | None, end: date | None) -> tuple[date, date]:
    """Fill in a missing start/end: the sample's window, or the last 7 days from the API.
    (A file's default is its own date range, which only reading it tells: see load_window.)

    Example:
        >>> default_range("sample", None, None)
        (datetime.date(2024, 10, 28), datetime.date(2024, 11, 11))
    """
    if source == "sample":
        first = DEFAULT_START
        last = DEFAULT_START + timedelta(days=SAMPLE_DAYS)
    else:
        last = date.today()
        first = last - timedelta(days=7)
    start = start or (end - timedelta(days=7) if end and source != "sample" else first)
    end = end or last
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    return start, end


def _window(frame: pl.DataFrame, column: str, start: date, end: date, zone: str) -> pl.DataFrame:
    """Local days ``[start, end)``; rows whose time is null (a DST-gap time, already
    counted in a warning by the reader) are kept, not dropped."""
    return within(frame, column, as_instant(start, zone), as_instant(end, zone))


def _file_range(
    frame: pl.DataFrame, column: str, zone: str, name: str, start: date | None, end: date | None
) -> tuple[date, date]:
    """Fill a missing start/end from the file's own first and last local day."""
    days = frame.get_column(column).dt.convert_time_zone(zone).dt.date().drop_nulls()
    if days.is_empty():
        raise ValueError(
            f"{name} has no {column} values, so it has no date range of its own: "
            "give the window with --start and --end (start= and end=)"
        )
    first_day, last_day = days.min(), days.max()
    covers = window_label(first_day, last_day + timedelta(days=1))
    first = start or first_day
    last = end or last_day + timedelta(days=1)
    if end is None and last <= first:
        raise ValueError(f"start ({first}) is after the last day in {name}, which covers {covers}")
    if start is None and last <= first:
        raise ValueError(
            f"end ({last}) is not after the first day in {name}, which covers {covers}"
        )
    return first, last


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


def _listed(values: Sequence[str]) -> str:
    shown = ", ".join(values[:LISTED_VALUES])
    more = len(values) - LISTED_VALUES
    return f"{shown} and {more:,} more" if more > 0 else shown


def _apply_filter(
    frame: pl.DataFrame,
    name: str,
    wanted: Sequence[object],
    columns: Sequence[str],
    label: str,
) -> pl.DataFrame:
    """Keep rows whose ``columns`` (any of them) hold one of ``wanted``.

    No value matching is a FilterError; some values matching nothing is one warning. Both
    list the values the window has. An empty window is left to say "no data" itself.
    """
    if not wanted or frame.is_empty():
        return frame
    texts = [str(value) for value in wanted]  # `-p campaigns=[10452]` arrives as numbers
    seen = frame.select(columns).unique().sort(columns)
    present = {str(v) for column in columns for v in seen.get_column(column) if v is not None}
    unmatched = [text for text in texts if text not in present]
    if unmatched:
        rows = seen.rows()
        available = [
            f"{row[0]} ({row[1]})" if len(row) > 1 and row[1] not in (None, row[0]) else str(row[0])
            for row in rows
        ]
        _say_unmatched(name, unmatched, len(texts), available, label, "kept the rows of")
    condition = pl.any_horizontal(pl.col(column).is_in(texts) for column in columns)
    return frame.filter(condition)


def _say_unmatched(
    name: str,
    unmatched: Sequence[str],
    given: int,
    available: Sequence[str],
    label: str,
    kept: str,
) -> None:
    """Every value of ``name`` unmatched: a FilterError; some: one warning. Both list the
    values the window has."""
    missing = ", ".join(repr(text) for text in unmatched)
    where = f"{name} {missing} not found in {label}; available: {_listed(available)}"
    if len(unmatched) == given:
        raise FilterError(f"no rows match: {where}")
    warnings.warn(f"{where}; {kept} the other {name}", UnmatchedFilterWarning, stacklevel=4)


def check_dispositions(
    frame: pl.DataFrame, wanted: Sequence[object], label: str = "the data"
) -> None:
    """Check a list of conversion dispositions (``success_dispositions``) against the agent
    dispositions in ``frame``, compared as the conversion rule compares them (any case,
    surrounding spaces ignored): none found is a FilterError, some not found one warning,
    each listing the dispositions seen. A typo would otherwise read as 0% conversion.

    Example:
        >>> frame = pl.DataFrame({"agent_disposition": ["Sale", "No Sale"]})
        >>> check_dispositions(frame, ["sale "])
        >>> check_dispositions(frame, ["Sael"])
        Traceback (most recent call last):
        ...
        callanalytics.load.FilterError: no rows match: success_dispositions 'Sael' not found ...
    """
    if not wanted or frame.is_empty():
        return
    seen = frame.get_column("agent_disposition").drop_nulls().unique().sort().to_list()
    present = {value.strip().lower() for value in seen}
    texts = [str(value) for value in wanted]
    unmatched = [text for text in texts if text.strip().lower() not in present]
    if unmatched:
        _say_unmatched("success_dispositions", unmatched, len(texts), seen, label, "counted")


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
            first, last = _file_range(frame, column, zone, source, first, last)
        elif last <= first:
            raise ValueError(f"end ({last}) must be after start ({first})")
    if source != "api":
        frame = _window(frame, column, first, last, zone)
    label = window_label(first, last)
    if report == "dialer":
        frame = _apply_filter(
            frame, "campaigns", campaigns, ["campaign_id", "campaign_name"], label
        )
    else:
        frame = _apply_filter(frame, "affiliates", affiliates, ["affiliate"], label)
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
