"""Column kinds, one per meaning: text and identifiers, counts, flags, vocabularies, money;
durations (``durations.py``) and timestamps (``timestamp.py``). All share the interface in
``kind.py``, so readers, the schema table and the sample generator never ask which kind a
column holds.

Example:
    >>> import polars as pl
    >>> pl.select(Money(2).parse(pl.lit("$1,234.50"), "UTC")).item()
    Decimal('1234.50')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from callanalytics.schema.durations import Clock, Duration
from callanalytics.schema.kind import (
    DURATION_UNIT,
    MAX_DURATION_MS,
    TIME_UNIT,
    Kind,
)
from callanalytics.schema.timestamp import Timestamp

__all__ = [
    "DURATION_UNIT",
    "MAX_DURATION_MS",
    "TIME_UNIT",
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

    def wire_dtype(self) -> pl.DataType:
        return pl.Int64()  # signs, leading zeros and spaces as ``parse`` reads them

    def fast_native(self, value: pl.Expr, zone: str) -> pl.Expr:
        return value


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
