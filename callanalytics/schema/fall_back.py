"""The repeated hour of a time zone: the instants whose local wall clock happens twice when
the clocks fall back. Read from polars' own time-zone rules (so they agree with
``replace_time_zone``) for 1900-2200 and kept as a small table per zone: finding a value's
span is a binary search, far cheaper than localizing every value a second time. Values
outside the table are localized again.

Example:
    >>> import polars as pl
    >>> from datetime import datetime
    >>> times = pl.Series([datetime(2024, 11, 3, 5, 30), datetime(2024, 11, 3, 6, 30)])
    >>> aware = times.dt.replace_time_zone("UTC").dt.convert_time_zone("America/New_York")
    >>> pl.select(in_repeated_hour(pl.lit(aware), "America/New_York")).to_series().to_list()
    [True, False]
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import polars as pl

__all__ = ["in_repeated_hour"]

#: The table covers these instants (UTC); values outside are checked by localizing again.
_FIRST, _LAST = datetime(1900, 1, 1), datetime(2200, 1, 1)
_EPOCH = datetime(1970, 1, 1)
_FIRST_US = (_FIRST - _EPOCH) // timedelta(microseconds=1)
_LAST_US = (_LAST - _EPOCH) // timedelta(microseconds=1)
_BEFORE_ALL = -(2**63)


def in_repeated_hour(instant: pl.Expr, zone: str) -> pl.Expr:
    """True for a tz-aware instant whose wall clock in ``zone`` also names a later instant
    (the earlier reading of a time in the fall-back hour); false for null."""
    starts, ends = _spans(zone)
    us = instant.dt.epoch("us")
    covered = us.is_between(_FIRST_US, _LAST_US, closed="left")
    # The last span starting at or before the value (a sentinel span precedes them all).
    index = _last_at_or_before(starts, us.fill_null(_FIRST_US))
    from_table = us < pl.lit(ends).gather(index)
    outside = _localized_again(pl.when(~covered).then(instant), zone)
    return pl.when(covered).then(from_table).otherwise(outside).fill_null(False)


def _last_at_or_before(starts: pl.Series, values: pl.Expr) -> pl.Expr:
    """Index of the last of the sorted ``starts`` at or before each value (``starts`` begins
    with a sentinel below every value, so the index is never negative)."""
    return pl.lit(starts).search_sorted(values, side="right").cast(pl.Int64) - 1


def _localized_again(instant: pl.Expr, zone: str) -> pl.Expr:
    """The direct test: read the wall clock back in ``zone`` as the later instant."""
    wall = instant.dt.replace_time_zone(None)
    later = wall.dt.replace_time_zone(zone, ambiguous="latest", non_existent="null")
    return (later != instant).fill_null(False)


def _offset(instant: pl.Expr, zone: str) -> pl.Expr:
    local = instant.dt.convert_time_zone(zone)
    return local.dt.base_utc_offset() + local.dt.dst_offset()


@lru_cache(maxsize=64)
def _transitions(zone: str) -> pl.DataFrame:
    """Every change of ``zone``'s UTC offset between 1900 and 2200: ``at`` (UTC epoch
    microseconds of the first instant with the new offset), ``before`` and ``after`` (the
    offsets, microseconds). Each day whose offset changes is searched by hour, minute and
    second; a row with ``at`` null holds the offset at the start of the table."""
    days = pl.datetime_range(_FIRST, _LAST, "1d", time_unit="us", time_zone="UTC", eager=True)
    frame = pl.DataFrame({"t": days}).with_columns(g=pl.lit(0))
    first = frame.head(1).select(
        at=pl.lit(None, pl.Int64), before=pl.lit(None, pl.Int64), after=_offset(pl.col("t"), zone)
    )
    steps = (("1h", timedelta(days=1)), ("1m", timedelta(hours=1)), ("1s", timedelta(minutes=1)))
    for step, width in steps:
        changes = (pl.col("off").shift(-1) != pl.col("off")).over("g")
        found = frame.with_columns(off=_offset(pl.col("t"), zone)).filter(changes)
        ranges = pl.datetime_ranges(pl.col("t"), pl.col("t") + width, step)
        frame = found.select(g=pl.col("t"), t=ranges).explode("t")
    frame = frame.with_columns(off=_offset(pl.col("t"), zone))
    frame = frame.with_columns(
        after=pl.col("off").shift(-1).over("g"), at=pl.col("t").shift(-1).over("g")
    )
    found = frame.filter(pl.col("after") != pl.col("off")).select(
        at=pl.col("at").dt.epoch("us"),
        before=pl.col("off").dt.total_microseconds(),
        after=pl.col("after").dt.total_microseconds(),
    )
    first = first.with_columns(after=pl.col("after").dt.total_microseconds())
    return pl.concat([first, found.sort("at")], how="vertical_relaxed")


@lru_cache(maxsize=64)
def _spans(zone: str) -> tuple[pl.Series, pl.Series]:
    """Start and end (UTC epoch microseconds, sorted) of every fall-back hour in ``zone``
    between 1900 and 2200: ``[T - drop, T)`` for each transition ``T`` whose offset drops."""
    drops = _transitions(zone).filter(pl.col("after") < pl.col("before"))
    spans = drops.select(start=pl.col("at") - (pl.col("before") - pl.col("after")), end="at")
    spans = pl.concat([pl.DataFrame({"start": [_BEFORE_ALL], "end": [_BEFORE_ALL]}), spans])
    spans = spans.cast(pl.Int64).sort("start")
    return spans["start"], spans["end"]
