"""Date ranges to request windows: bounds in the report's time zone, settled ends, days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from callanalytics.dates import as_instant, settled_now

__all__ = [
    "Window",
    "day_windows",
    "resolve_range",
    "split_days",
]


@dataclass(frozen=True)
class Window:
    """``[start, end)`` as aware datetimes; ``day`` is set when it lies within one local day,
    and ``complete`` when it covers that whole day."""

    start: datetime
    end: datetime
    day: date | None = None
    complete: bool = False


def resolve_range(
    start: date | datetime | str, end: date | datetime | str | None, zone: str
) -> tuple[datetime, datetime]:
    """``[start, end)`` as aware datetimes; ``end`` defaults to, and is clamped to, the
    settled now (data newer than that is still arriving).

    Example:
        >>> resolve_range("2024-11-02", "2024-11-01", "UTC")
        Traceback (most recent call last):
        ...
        ValueError: end (2024-11-01 00:00:00+00:00) must be after start (2024-11-02 00:00:00+00:00)
    """
    first = as_instant(start, zone)
    last = min(as_instant(end, zone) if end is not None else settled_now(), settled_now())
    if last <= first:
        raise ValueError(f"end ({last}) must be after start ({first})")
    return first, last


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def day_windows(start: datetime, end: datetime, zone: str) -> Iterator[Window]:
    """One window per local calendar day in ``[start, end)``.

    Example:
        >>> a, b = as_instant("2024-11-03", "UTC"), as_instant("2024-11-04T06:00", "UTC")
        >>> [(w.day.isoformat(), w.complete) for w in day_windows(a, b, "UTC")]
        [('2024-11-03', True), ('2024-11-04', False)]
    """
    tz = ZoneInfo(zone)
    start, end = start.astimezone(tz), end.astimezone(tz)
    day = start.date()
    while _midnight(day, tz) < end:
        lo, hi = _midnight(day, tz), _midnight(day + timedelta(days=1), tz)
        begin, finish = max(lo, start), min(hi, end)
        yield Window(begin, finish, day, complete=(begin == lo and finish == hi))
        day += timedelta(days=1)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Absolute time from ``start`` to ``end``. Subtracting two datetimes that share one
    ``ZoneInfo`` gives the wall-clock difference (a fall-back day counts 24 hours, not 25),
    so both are taken to UTC first."""
    utc = ZoneInfo("UTC")
    return end.astimezone(utc) - start.astimezone(utc)


def split_days(days: list[Window], most: int) -> Iterator[list[Window]]:
    """Runs of consecutive day windows, each at most ``most`` days and at most ``most`` x 24
    hours long in absolute time: a week that holds the November fall-back (169 hours) is cut
    a day short, so an API that measures ranges in absolute time never refuses one.

    Example:
        >>> a, b = as_instant("2024-11-01", "UTC"), as_instant("2024-11-10", "UTC")
        >>> [len(run) for run in split_days(list(day_windows(a, b, "UTC")), 7)]
        [7, 2]
        >>> ny = "America/New_York"
        >>> a, b = as_instant("2024-10-28", ny), as_instant("2024-11-10", ny)
        >>> [len(run) for run in split_days(list(day_windows(a, b, ny)), 7)]
        [6, 6, 1]
    """
    longest = timedelta(days=most)
    run: list[Window] = []
    for window in days:
        contiguous = run and run[-1].end == window.start
        if run and (
            not contiguous or len(run) == most or _elapsed(run[0].start, window.end) > longest
        ):
            yield run
            run = []
        run.append(window)
    if run:
        yield run
