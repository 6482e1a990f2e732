"""Column kinds: what a column means, its polars dtype, and how raw text becomes that dtype.

Every reader first gets each column as text (the CSV as sent, JSON values turned into text),
then asks the column's kind to ``parse`` it. Every kind has the same interface, and every
method that reads text takes the report's time zone, whether the kind uses it or not (only
``Timestamp`` does), so readers never ask which kind they hold:

- ``dtype(zone)``: the polars dtype of the typed column;
- ``fast(raw, zone)``: a cheap parse of the clean, common form, null wherever it is unsure;
- ``parse(raw, zone)``: the full parse, null for values that do not fit;
- ``invalid(raw, zone)``: true for present values that do not fit (to count and show them);
- ``gap(raw, zone)``: true for readable local times that do not exist in ``zone`` (the
  daylight-saving gap); always false for kinds without wall-clock times;
- ``repeated(raw, zone)``: true for local times in the repeated fall-back hour (read as the
  earlier instant), and ``fast_repeated(typed, zone)`` the same test on what ``fast`` typed;
- ``format(typed)``: the wire text, the inverse of ``parse`` (the sample generator writes
  files exactly as the APIs send them with it).

Example:
    >>> import polars as pl
    >>> pl.select(Duration("min").parse(pl.lit("4.35"), "UTC")).item()
    datetime.timedelta(seconds=261)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from callanalytics.schema.fall_back import in_repeated_hour

__all__ = [
    "Clock",
    "Count",
    "Duration",
    "Flag",
    "Id",
    "Kind",
    "Money",
    "Text",
    "Timestamp",
    "Vocabulary",
]

#: Every timestamp in the package has this resolution.
TIME_UNIT = "us"
#: Every duration is exact to the millisecond.
DURATION_UNIT = "ms"

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_CLOCK = r"^(?:(\d+)\s*days?,?\s+)?(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_MS_PER = {"ms": 1, "s": 1_000, "min": 60_000, "h": 3_600_000}
#: The longest duration any kind accepts, in either sign: 2**53 ms (about 285,000 years), so
#: every accepted value is exact in a float and fits a Python ``timedelta``. Longer values
#: are bad values like any other (never an overflow, never a wrapped negative number).
MAX_DURATION_MS = 2**53
_UNIT_WORDS = {"ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours"}


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_bytes() == 0).then(None).otherwise(expr)


def _float_ms(text: pl.Expr, ms_per_unit: int) -> pl.Expr:
    """Milliseconds from a number written as text, in the given unit, rounded to the nearest
    millisecond (so 4.35 minutes is exactly 261 000 ms, not 260 999.99…); null if the text
    is not a number or out of range. The range check comes before the cast to Int64, which
    would otherwise fail on the whole column."""
    value = (text.cast(pl.Float64, strict=False) * ms_per_unit).round(0)
    in_range = value.is_between(-MAX_DURATION_MS, MAX_DURATION_MS)  # false for NaN and inf
    return pl.when(in_range).then(value).cast(pl.Int64)


#: Hours for which every H:59:59 is still in range: the fast clock parse stops there (and
#: leaves the few longer in-range clocks to the full parse) instead of checking the sum.
_MAX_CLOCK_HOURS = (MAX_DURATION_MS - 3_599_000) // 3_600_000


def _within_range(ms: pl.Expr) -> pl.Expr:
    """Integer milliseconds, or null when out of range (see ``MAX_DURATION_MS``)."""
    return pl.when(ms.is_between(-MAX_DURATION_MS, MAX_DURATION_MS)).then(ms)


@dataclass(frozen=True)
class Kind:
    """Base class: a kind knows its dtype and how to parse, validate and format text."""

    #: One line for the docs.
    describe_as: str = field(default="text", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        """The polars dtype of the typed column, for a report read in ``zone``."""
        return pl.String()

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """Typed value from raw text (``raw`` may hold nulls and empty strings)."""
        return _blank_to_null(raw)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """A cheaper ``parse`` for the common, clean case: equal to ``parse`` wherever it is
        not null, and null wherever it is unsure. Readers run ``fast`` first and fall back to
        ``parse`` (and ``invalid``) only for columns where it left present values unresolved.
        ``raw`` here has no empty strings (readers turn them into nulls first)."""
        return self.parse(raw, zone)

    def invalid(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """True where the raw text is present but does not fit this kind."""
        present = _blank_to_null(raw.str.strip_chars()).is_not_null()
        return present & self.parse(raw, zone).is_null()

    def gap(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """True where the raw text is a local time that does not exist in ``zone``."""
        return raw.is_null() & pl.lit(False)

    def repeated(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """True where the raw text is a local time that happened twice in ``zone`` (the
        fall-back hour): it names two instants, and ``parse`` takes the earlier."""
        return raw.is_null() & pl.lit(False)

    def fast_repeated(self, typed: pl.Expr, zone: str) -> pl.Expr:
        """``repeated`` for the values ``fast`` typed (``typed`` is its output), wherever
        ``fast`` answered: readers count repeats without reading the text again."""
        return typed.is_null() & pl.lit(False)

    def format(self, typed: pl.Expr) -> pl.Expr:
        """Wire text for a typed value: the inverse of ``parse``."""
        return typed.cast(pl.String)

    @property
    def can_fail(self) -> bool:
        return True

    def describe(self) -> str:
        return self.describe_as


@dataclass(frozen=True)
class Text(Kind):
    """Free text. Empty strings (quoted ``""`` included) are null; nothing else changes."""

    describe_as: str = field(default="text", init=False)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        return raw

    @property
    def can_fail(self) -> bool:
        return False


@dataclass(frozen=True)
class Id(Text):
    """Identifiers, phone numbers, ZIP codes: kept as sent so leading zeros survive."""

    describe_as: str = field(default="identifier (string, kept as sent)", init=False)


@dataclass(frozen=True)
class Count(Kind):
    """A whole number of things."""

    describe_as: str = field(default="count (Int64)", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Int64()

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        text = raw.str.strip_chars()
        ok = text.str.contains(r"^[+-]?\d+$")
        return pl.when(ok).then(text.cast(pl.Int64, strict=False)).otherwise(None)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        return raw.str.to_integer(strict=False)


@dataclass(frozen=True)
class Flag(Kind):
    """Yes/no flags: Y/N in any case, Yes/No, true/false, T/F, 1/0."""

    describe_as: str = field(default="flag (Boolean; Y/N, Yes/No, true/false, 1/0)", init=False)

    TRUE = ("y", "yes", "true", "t", "1")
    FALSE = ("n", "no", "false", "f", "0")

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Boolean()

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        mapping = {v: True for v in self.TRUE} | {v: False for v in self.FALSE}
        text = raw.str.strip_chars().str.to_lowercase()
        return text.replace_strict(mapping, default=None, return_dtype=pl.Boolean)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        # is_in rather than replace_strict: the latter stops polars from streaming.
        return (
            pl.when(raw.is_in(["Y", "y", "Yes", "true", "1"]))
            .then(pl.lit(True))
            .when(raw.is_in(["N", "n", "No", "false", "0"]))
            .then(pl.lit(False))
        )

    def format(self, typed: pl.Expr) -> pl.Expr:
        return pl.when(typed).then(pl.lit("Y")).when(~typed).then(pl.lit("N"))


@dataclass(frozen=True)
class Vocabulary(Kind):
    """A closed list of values, as a ``pl.Enum``; matching ignores case and outer spaces."""

    values: tuple[str, ...] = ()
    describe_as: str = field(default="vocabulary (Enum)", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Enum(list(self.values))

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        mapping = {v.lower(): v for v in self.values}
        text = raw.str.strip_chars().str.to_lowercase()
        return text.replace_strict(mapping, default=None, return_dtype=self.dtype(zone))

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        # A non-strict cast: exact values only, anything else null (replace_strict would
        # stop polars from streaming).
        return raw.cast(self.dtype(zone), strict=False)

    def describe(self) -> str:
        return "one of " + ", ".join(self.values) + " (Enum)"


@dataclass(frozen=True)
class Money(Kind):
    """Exact money as ``pl.Decimal``: ``12.50``, ``$1,234.50``, ``-15.00``, ``(15.00)``.

    More decimals than ``scale`` are refused (unless they are zeros) rather than rounded.
    """

    scale: int = 2
    describe_as: str = field(default="money (Decimal)", init=False)

    def dtype(self, zone: str) -> pl.DataType:
        return pl.Decimal(38, self.scale)

    def parse(self, raw: pl.Expr, zone: str) -> pl.Expr:
        text = raw.str.strip_chars().str.replace_all(r"[$,\s]", "")
        text = text.str.replace(r"^\((.*)\)$", "-$1")
        pattern = rf"^[+-]?(?:\d+(?:\.\d{{0,{self.scale}}}0*)?|\.\d{{1,{self.scale}}}0*)$"
        ok = text.str.contains(pattern)
        return pl.when(ok).then(text.cast(self.dtype(zone), strict=False)).otherwise(None)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        # Plain decimals only (no $, commas, parentheses or spaces), so the cast, which
        # would round extra decimals and take exponents, sees only what ``parse`` accepts.
        plain = raw.str.contains(rf"^-?\d{{1,30}}(?:\.\d{{1,{self.scale}}})?$")
        return pl.when(plain).then(raw.cast(self.dtype(zone), strict=False))

    def describe(self) -> str:
        return f"money (Decimal, {self.scale} decimals)"


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
        # removed, are one integer HMMSS.
        seconds = raw.str.to_integer(strict=False)
        hmmss = raw.str.replace_all(":", "", literal=True).str.to_integer(strict=False)
        hours, minutes, secs = hmmss // 10_000, hmmss // 100 % 100, hmmss % 100
        clock = raw.str.contains(r"^\d+:[0-5]\d:[0-5]\d$") & (hours <= _MAX_CLOCK_HOURS)
        whole = seconds.is_between(-(MAX_DURATION_MS // 1000), MAX_DURATION_MS // 1000)
        return (
            pl.when(whole)
            .then(seconds * 1000)
            .when(clock)
            .then((hours * 3600 + minutes * 60 + secs) * 1000)
            .cast(self.dtype(zone))
        )

    def format(self, typed: pl.Expr) -> pl.Expr:
        seconds = typed.dt.total_seconds()
        hours = (seconds // 3600).cast(pl.String)
        minutes = ((seconds % 3600) // 60).cast(pl.String).str.zfill(2)
        secs = (seconds % 60).cast(pl.String).str.zfill(2)
        return pl.concat_str(hours, pl.lit(":"), minutes, pl.lit(":"), secs)


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
        present = _blank_to_null(raw.str.strip_chars()).is_not_null()
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
