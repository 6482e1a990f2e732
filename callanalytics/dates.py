"""Dates and instants, one parser for all: report windows, loaders, the sample and the
request windows read their bounds here.

Nothing in this module knows about HTTP or a source; ``sources.windows`` builds request
windows on top of it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl

__all__ = ["SETTLING", "as_instant", "parse_date", "settled_now", "within"]

#: Calls appear in reports minutes after they end; nothing newer than this is final.
SETTLING = timedelta(minutes=15)


def parse_date(value: date | str | None, name: str = "date") -> date | None:
    """An ISO date (``YYYY-MM-DD``), a date or datetime (its date), or None for None or "";
    anything else is a ValueError that names ``name`` and the value.

    Example:
        >>> parse_date("2024-11-01")
        datetime.date(2024, 11, 1)
        >>> parse_date("11/01/2024", "start")
        Traceback (most recent call last):
        ...
        ValueError: start must be an ISO date like 2024-11-01, not '11/01/2024'
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} must be an ISO date like 2024-11-01, not {value!r}") from None


def as_instant(value: date | datetime | str, zone: str) -> datetime:
    """A bound as an aware datetime: a bare date is local midnight in ``zone``; a naive
    datetime is local time in ``zone``; an aware one is converted.

    Example:
        >>> as_instant("2024-11-03", "America/New_York").isoformat()
        '2024-11-03T00:00:00-04:00'
    """
    tz = ZoneInfo(zone)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = parse_date(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO date or datetime: {value!r}") from None
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return datetime(value.year, value.month, value.day, tzinfo=tz)


def settled_now(now: datetime | None = None) -> datetime:
    """The latest instant whose data is final: now minus the settling delay."""
    return (now or datetime.now(ZoneInfo("UTC"))) - SETTLING


def within(frame: pl.DataFrame, column: str, start: datetime, end: datetime) -> pl.DataFrame:
    """Rows whose ``column`` lies in ``[start, end)``, plus rows where it is null. APIs may
    treat a range's end as inclusive; this keeps each row in exactly one window.

    Example:
        >>> from datetime import datetime
        >>> f = pl.DataFrame({"t": [datetime(2024, 1, 1), datetime(2024, 1, 2), None]})
        >>> within(f, "t", datetime(2024, 1, 1), datetime(2024, 1, 2)).height
        2
    """
    moment = pl.col(column)
    return frame.filter(moment.is_null() | ((moment >= start) & (moment < end)))
