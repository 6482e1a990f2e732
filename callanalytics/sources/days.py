"""The day-cache loop both clients share: cached days are read, missing days are grouped into
request windows, fetched, split back into days, and the complete days are written.

A day is the unit of the cache (``DayCache``); a request may cover several consecutive days
(LeadFlow: runs of at most 7 x 24 hours) or exactly one (Engage Voice). The result is the days'
frames in day order, or the typed empty frame when there is none.

Example:
    >>> from callanalytics.dates import as_instant
    >>> from callanalytics.sources.windows import day_windows
    >>> start, end = as_instant("2024-01-01", "UTC"), as_instant("2024-01-04", "UTC")
    >>> days = list(day_windows(start, end, "UTC"))
    >>> asked = []
    >>> def fetch(window):
    ...     asked.append((window.start.day, window.end.day))
    ...     return pl.DataFrame({"at": [window.start]})
    >>> frame = fetch_days(days, fetch, column="at", schema=pl.Schema(), most_days=2)
    >>> asked, frame.height
    ([(1, 3), (3, 4)], 2)
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from callanalytics.cache import DayCache
from callanalytics.dates import within
from callanalytics.errors import OutOfWindowRowsWarning
from callanalytics.progress import track
from callanalytics.sources.windows import Window, split_days

__all__ = ["fetch_days"]

log = logging.getLogger("callanalytics.days")


def fetch_days(
    days: Iterable[Window],
    fetch: Callable[[Window], pl.DataFrame],
    *,
    column: str,
    schema: pl.Schema,
    cache: DayCache | None = None,
    most_days: int = 1,
    label: str = "windows",
    progress: bool | None = None,
    source: str = "the server",
) -> pl.DataFrame:
    """The frames of ``days`` (one local day each, in order), concatenated in day order.

    Complete days found in ``cache`` are not requested. The others are grouped into runs of
    consecutive days (at most ``most_days`` days and ``most_days`` x 24 hours each, see
    ``split_days``); ``fetch`` is called once per run with the run's window (which carries
    the day when the run is one day). Rows whose ``column`` lies outside the run's window
    ``[start, end)`` are dropped; the rest are split by the local date of ``column``, rows
    where it is null staying with the run's first day. Complete days are written to
    ``cache``. With no day at all the result is the empty frame of ``schema``.

    A row exactly at a window's end is a boundary row (an API may treat the end as
    inclusive; the row belongs to the next window): dropped quietly. Rows strictly outside
    ``[start, end]`` are counted in one ``OutOfWindowRowsWarning`` per call, naming
    ``source``; when a response had such rows and no row in its window, ``source`` ignored
    the range, so that run's days are not cached (an empty day would hide the fault).

    Example:
        >>> fetch_days([], lambda window: pl.DataFrame(), column="at",
        ...            schema=pl.Schema({"at": pl.Date})).schema
        Schema([('at', Date)])
    """
    days = list(days)
    cacheable = [day.day for day in days if cache and day.complete and day.day]
    found: dict[date, pl.DataFrame] = cache.get_many(cacheable) if cache else {}
    missing = [day for day in days if day.day not in found]
    runs = list(split_days(missing, most_days))
    strays = _Strays(source)
    for run in track(runs, len(runs), label, progress):
        window = run[0] if len(run) == 1 else Window(run[0].start, run[-1].end)
        frame = fetch(window)
        honoured = strays.count(frame, column, window)
        for day, part in zip(run, _split(frame, column, window, run), strict=True):
            assert day.day is not None
            if cache and day.complete and honoured:
                cache.put(day.day, part)
            found[day.day] = part
    strays.warn()
    if not found:
        return pl.DataFrame(schema=schema)
    return pl.concat([found[day] for day in sorted(found)], how="diagonal")


@dataclass
class _Strays:
    """Rows strictly outside their request's window, counted over one ``fetch_days`` call."""

    source: str
    rows: int = 0
    requests: int = 0
    ignored: list[Window] = field(default_factory=list)

    def count(self, frame: pl.DataFrame, column: str, window: Window) -> bool:
        """Count ``frame``'s stray rows; False when the response had only stray rows (the
        server ignored the range)."""
        moment = frame.get_column(column)
        stray = int(((moment < window.start) | (moment > window.end)).sum())
        if not stray:
            return True
        self.rows += stray
        self.requests += 1
        kept = int(((moment >= window.start) & (moment <= window.end)).sum())
        if kept:
            return True
        self.ignored.append(window)
        return False

    def warn(self) -> None:
        if not self.rows:
            return
        message = (
            f"{self.source} returned {_plural(self.rows, 'row')} outside the requested window in "
            f"{_plural(self.requests, 'request')}; they were dropped"
        )
        if self.ignored:
            spans = ", ".join(f"{w.start.isoformat()}–{w.end.isoformat()}" for w in self.ignored)
            message += (
                f". For {spans} every row was outside the window: {self.source} ignored "
                "the requested dates, so those days were not cached (check the API's date "
                "parameters and try again)"
            )
        warnings.warn(message, OutOfWindowRowsWarning, stacklevel=3)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _split(
    frame: pl.DataFrame, column: str, window: Window, run: list[Window]
) -> list[pl.DataFrame]:
    """``frame`` within ``window``, one part per day of ``run`` (null ``column`` rows go to
    the first day)."""
    inside = within(frame, column, window.start, window.end)
    if outside := frame.height - inside.height:
        log.info("%s outside %s-%s dropped", _plural(outside, "row"), window.start, window.end)
    if len(run) == 1:
        return [inside]
    day_of = inside.get_column(column).dt.date()
    first = run[0].day
    return [
        inside.filter((day_of == day.day) | day_of.is_null())
        if day.day == first
        else inside.filter(day_of == day.day)
        for day in run
    ]
