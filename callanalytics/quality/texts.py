"""How a quality example shows a value: durations as clocks, timestamps with their zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import narwhals as nw
import polars as pl

from callanalytics.metrics._engine import Native, native_columns

__all__ = ["clock", "text", "with_stamps", "zone_of"]


def text(value: nw.Expr) -> nw.Expr:
    """A value as text, ``"null"`` where missing."""
    return value.cast(nw.String).fill_null("null")


def _two(value: nw.Expr) -> nw.Expr:
    digits = value.cast(nw.String)
    return nw.when(value < 10).then(nw.concat_str(nw.lit("0"), digits)).otherwise(digits)


def clock(ms: nw.Expr) -> nw.Expr:
    """Integer milliseconds as ``[-]H:MM:SS`` (whole seconds, toward zero)."""
    magnitude = ms.abs() // 1000
    sign = nw.when(ms <= -1000).then(nw.lit("-")).otherwise(nw.lit(""))
    return nw.concat_str(
        sign,
        (magnitude // 3600).cast(nw.String),
        nw.lit(":"),
        _two(magnitude % 3600 // 60),
        nw.lit(":"),
        _two(magnitude % 60),
    )


def zone_of(frame: Native, column: str) -> str | None:
    """The time zone ``column``'s local fields are read in (None: a naive column)."""
    dtype = frame.schema.get(column)
    if dtype != nw.Datetime:
        return None
    if dtype.time_zone is None and frame.is_spark:
        return frame.native.sparkSession.conf.get("spark.sql.session.timeZone")
    return dtype.time_zone


def _abbreviations(zone: str) -> dict[int, str]:
    """UTC offsets (seconds) of ``zone`` since 1970 and their abbreviations (EST, EDT)."""
    tz = ZoneInfo(zone)
    names: dict[int, str] = {}
    for year in range(1970, 2040):
        for month in (1, 7):
            local = datetime(year, month, 1, tzinfo=UTC).astimezone(tz)
            names[int(local.utcoffset().total_seconds())] = local.tzname() or zone
    return names


def with_stamps(frame: Native, lf: nw.LazyFrame, columns: list[str]) -> nw.LazyFrame:
    """Add ``_stamp_<column>``: ``2024-10-28 09:00:00 EDT`` (no zone for a naive column)."""
    added = {}
    for column in columns:
        zone = zone_of(frame, column)
        shown = "%Y-%m-%d %H:%M:%S" + (" %Z" if zone else "")
        polars = pl.col(column).dt.to_string(shown)
        q = f'"{column}"'
        duck = f"strftime({q}, '%Y-%m-%d %H:%M:%S')"
        spark = f"date_format({q}, 'yyyy-MM-dd HH:mm:ss')"
        if zone:
            cases = " ".join(
                f"WHEN {offset} THEN '{name}'" for offset, name in _abbreviations(zone).items()
            )
            offset = f"CAST(date_part('timezone', {q}) AS BIGINT)"
            duck = f"{duck} || ' ' || (CASE {offset} {cases} ELSE '{zone}' END)"
            spark = f"date_format({q}, 'yyyy-MM-dd HH:mm:ss z')"
        added[f"_stamp_{column}"] = (polars, {"duckdb": duck, "spark": spark})
    return native_columns(frame, lf, added)
