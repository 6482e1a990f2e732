"""Durations: a decimal number in a documented unit (``Duration``), or clock text with no
documented unit (``Clock``); both exact to the millisecond and bounded by ``MAX_DURATION_MS``.

Example:
    >>> import polars as pl
    >>> pl.select(Clock().parse(pl.lit("1:02:03"), "UTC")).item()
    datetime.timedelta(seconds=3723)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from callanalytics.schema.kind import DURATION_UNIT, MAX_DURATION_MS, Kind

__all__ = ["Clock", "Duration"]

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_CLOCK = r"^(?:(\d+)\s*days?,?\s+)?(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$"
_MS_PER = {"ms": 1, "s": 1_000, "min": 60_000, "h": 3_600_000}
_UNIT_WORDS = {"ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours"}


def _float_ms(text: pl.Expr, ms_per_unit: int) -> pl.Expr:
    """Milliseconds from a number written as text, in the given unit, rounded to the nearest
    millisecond (so 4.35 minutes is exactly 261 000 ms, not 260 999.99…); null if the text
    is not a number or out of range."""
    return _number_ms(text.cast(pl.Float64, strict=False), ms_per_unit)


def _number_ms(number: pl.Expr, ms_per_unit: int) -> pl.Expr:
    """``_float_ms`` for a Float64 number. The range check comes before the cast to Int64,
    which would otherwise fail on the whole column."""
    value = (number * ms_per_unit).round(0)
    in_range = value.is_between(-MAX_DURATION_MS, MAX_DURATION_MS)  # false for NaN and inf
    return pl.when(in_range).then(value).cast(pl.Int64)


#: Hours for which every H:59:59 is still in range: the fast clock parse stops there (and
#: leaves the few longer in-range clocks to the full parse) instead of checking the sum.
_MAX_CLOCK_HOURS = (MAX_DURATION_MS - 3_599_000) // 3_600_000
#: The largest HMMSS integer (colons removed) the fast clock parse takes.
_MAX_HMMSS = _MAX_CLOCK_HOURS * 10_000 + 5959


def _within_range(ms: pl.Expr) -> pl.Expr:
    """Integer milliseconds, or null when out of range (see ``MAX_DURATION_MS``)."""
    return pl.when(ms.is_between(-MAX_DURATION_MS, MAX_DURATION_MS)).then(ms)


@dataclass(frozen=True)
class Duration(Kind):
    """A decimal number in a documented unit, as an exact ``pl.Duration('ms')``.

    ``decimals`` is how many decimals the wire format carries (used when writing samples).
    """

    unit: str = "s"
    decimals: int = 0
    describe_as: str = field(default="duration", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Duration(DURATION_UNIT)

    @property
    def ms_per_unit(self) -> int:
        return _MS_PER[self.unit]

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        text = raw.str.strip_chars()
        ms = _float_ms(text, self.ms_per_unit)
        return pl.when(text.str.contains(_NUMBER)).then(ms).otherwise(None).cast(self.dtype(zone))

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        return _float_ms(raw, self.ms_per_unit).cast(self.dtype(zone))

    def wire_dtype(self) -> pl.DataType:
        # The CSV parser reads exactly the numbers a Float64 cast of the text reads.
        return pl.Float64()

    def fast_native(self, value: pl.Expr, zone: str) -> pl.Expr:
        return _number_ms(value, self.ms_per_unit).cast(self.dtype(zone))

    def format(self, typed: pl.Expr) -> pl.Expr:
        ms = typed.dt.total_milliseconds()
        scaled = (ms * 10**self.decimals / self.ms_per_unit).round(0).cast(pl.Int64)
        if self.decimals == 0:
            return scaled.cast(pl.String)
        whole = (scaled.abs() // 10**self.decimals).cast(pl.String)
        frac = (scaled.abs() % 10**self.decimals).cast(pl.String).str.zfill(self.decimals)
        sign = pl.when(scaled < 0).then(pl.lit("-")).otherwise(pl.lit(""))
        return pl.concat_str(sign, whole, pl.lit("."), frac)

    def describe(self) -> str:
        return f"duration (Duration[ms]; sent as {_UNIT_WORDS[self.unit]})"


@dataclass(frozen=True)
class Clock(Kind):
    """A duration with no documented unit: ``HH:MM:SS[.fff]`` (hours may pass 24, an
    optional ``N days`` prefix) or a bare number of seconds, mixed freely in one column."""

    describe_as: str = field(
        default="duration (Duration[ms]; sent as HH:MM:SS, 'N days HH:MM:SS' or seconds)",
        init=False,
    )

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Duration(DURATION_UNIT)

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        text = raw.str.strip_chars()
        parts = text.str.extract_groups(_CLOCK)
        # Days and hours are bounded first, so the sum below cannot overflow Int64.
        days = parts.struct.field("1").cast(pl.Int64, strict=False).fill_null(0)
        days = pl.when(days <= MAX_DURATION_MS // 86_400_000).then(days)
        hours = parts.struct.field("2").cast(pl.Int64, strict=False)
        hours = pl.when(hours <= MAX_DURATION_MS // 3_600_000).then(hours)
        minutes = parts.struct.field("3").cast(pl.Int64, strict=False)
        seconds_ms = _float_ms(parts.struct.field("4"), 1_000)
        clock_ms = _within_range(
            days * 86_400_000 + hours * 3_600_000 + minutes * 60_000 + seconds_ms
        )
        number_ms = _float_ms(text, 1_000)
        return (
            pl.when(text.str.contains(_NUMBER))
            .then(number_ms)
            .otherwise(clock_ms)
            .cast(self.dtype(zone))
        )

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        # Whole seconds, or H:MM:SS with whole seconds. Accepts only what ``parse`` accepts:
        # no sign in the clock form (to_integer takes "-0" or "+5"; it refuses spaces), and
        # the same range. One anchored regex checks the clock's shape; its digits, colons
        # removed, are one integer HMMSS, bounded before any arithmetic so nothing overflows.
        # (Each bound is one comparison: this parse is most of a Dialer read's typing cost.)
        seconds = raw.str.to_integer(strict=False)
        hmmss = raw.str.replace_all(":", "", literal=True).str.to_integer(strict=False)
        clock = raw.str.contains(r"^\d+:[0-5]\d:[0-5]\d$") & (hmmss <= _MAX_HMMSS)
        clock_ms = (hmmss // 10_000 * 3600 + hmmss // 100 % 100 * 60 + hmmss % 100) * 1000
        whole = seconds.is_between(-(MAX_DURATION_MS // 1000), MAX_DURATION_MS // 1000)
        whole_ms = pl.when(whole).then(seconds * 1000)  # (abs() of Int64's minimum wraps)
        return pl.coalesce(whole_ms, pl.when(clock).then(clock_ms)).cast(self.dtype(zone))

    def format(self, typed: pl.Expr) -> pl.Expr:
        seconds = typed.dt.total_seconds()
        hours = (seconds // 3600).cast(pl.String)
        minutes = ((seconds % 3600) // 60).cast(pl.String).str.zfill(2)
        secs = (seconds % 60).cast(pl.String).str.zfill(2)
        return pl.concat_str(hours, pl.lit(":"), minutes, pl.lit(":"), secs)
