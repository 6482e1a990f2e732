"""Timestamps: wall-clock text read in the report's time zone (or text with an offset),
tz-aware at microsecond resolution.

Example:
    >>> import polars as pl
    >>> pl.select(Timestamp().parse(pl.lit("2024-11-03 01:30:00"), "America/New_York")).item()
    datetime.datetime(2024, 11, 3, 1, 30, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from callanalytics.schema.fall_back import in_repeated_hour
from callanalytics.schema.kind import TIME_UNIT, Kind, blank_to_null

__all__ = ["Timestamp"]

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class Timestamp(Kind):
    """A point in time, tz-aware. Local wall-clock text is read in the report's time zone:
    a repeated local time (DST fall-back) takes the earlier instant, a skipped one (the
    spring-forward gap) becomes null and is counted separately. Text with an offset or
    ``Z`` is converted. ``T`` or space between date and time; fractional seconds; a bare
    date means midnight."""

    describe_as: str = field(default="timestamp (Datetime[us, report time zone])", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Datetime(TIME_UNIT, zone)

    @staticmethod
    def _normal(raw: pl.Expr) -> pl.Expr:
        text = raw.str.strip_chars().str.replace(" ", "T", literal=True)
        text = pl.when(text.str.len_bytes() == 10).then(text + "T00:00:00").otherwise(text)
        return text.str.replace(r"Z$", "+00:00")

    def _wall_clock(self, raw: pl.Expr) -> pl.Expr:
        return self._normal(raw).str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit=TIME_UNIT
        )

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        text = self._normal(raw)
        with_offset = text.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit=TIME_UNIT, time_zone="UTC"
        ).dt.convert_time_zone(zone)
        local = _localize(self._wall_clock(raw), zone)
        return pl.when(text.str.contains(_OFFSET)).then(with_offset).otherwise(local)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """``YYYY-MM-DD HH:MM:SS`` only, the form both exports use; null for anything else
        and for a time in the DST gap (which the full parse then counts)."""
        wall = raw.str.strptime(pl.Datetime(TIME_UNIT), "%Y-%m-%d %H:%M:%S", strict=False)
        return _localize(wall, zone)

    def invalid(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """Present but unreadable; a local time in the DST gap is *not* invalid (see gap)."""
        present = blank_to_null(raw.str.strip_chars()).is_not_null()
        has_offset = self._normal(raw).str.contains(_OFFSET)
        unreadable = self.parse(raw, zone).is_null() & (
            has_offset | self._wall_clock(raw).is_null()
        )
        return present & unreadable.fill_null(True)

    def gap(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """True for a local time that does not exist in ``zone`` (spring-forward gap)."""
        has_offset = self._normal(raw).str.contains(_OFFSET).fill_null(False)
        wall = self._wall_clock(raw)
        return (~has_offset & wall.is_not_null() & self.parse(raw, zone).is_null()).fill_null(False)

    def repeated(self, raw: pl.Expr, zone: str) -> pl.Expr:
        has_offset = self._normal(raw).str.contains(_OFFSET).fill_null(False)
        return (~has_offset & in_repeated_hour(self.parse(raw, zone), zone)).fill_null(False)

    def fast_repeated(self, typed: pl.Expr, zone: str) -> pl.Expr:
        return in_repeated_hour(typed, zone)  # ``fast`` reads wall-clock text only

    def format(self, typed: pl.Expr) -> pl.Expr:
        return typed.dt.strftime("%Y-%m-%d %H:%M:%S")


def _localize(wall_clock: pl.Expr, zone: str) -> pl.Expr:
    """A wall-clock time in ``zone``: the earlier instant of a repeated hour, null in the gap."""
    return wall_clock.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
