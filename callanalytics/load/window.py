"""The window a report covers: local days ``[start, end)``, how it reads, and its defaults
(the sample's two weeks, a file's own date range, the last 7 days from the API).

Example:
    >>> window_label("2024-11-01", "2024-11-08")
    '1–7 November 2024'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from callanalytics.dates import parse_date
from callanalytics.sample import DEFAULT_START

SAMPLE_DAYS = 14
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


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


def file_range(
    frame: pl.DataFrame, column: str, zone: str, name: str, start: date | None, end: date | None
) -> tuple[date, date]:
    """Fill a missing start/end from the file's own first and last local day (of ``column``
    in ``zone``); ``name`` is the file, for the error when it has no dates or misses them.

    Example:
        >>> from datetime import datetime
        >>> frame = pl.DataFrame({"t": [datetime(2024, 11, 1, 9), datetime(2024, 11, 3, 17)]})
        >>> file_range(frame.with_columns(pl.col("t").dt.replace_time_zone("UTC")), "t", "UTC",
        ...            "export.csv", None, None)
        (datetime.date(2024, 11, 1), datetime.date(2024, 11, 4))
    """
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
