"""The kind interface: what a column means, its polars dtype, and how raw text becomes it.

Every reader first gets each column as text (the CSV as sent, JSON values turned into text),
then asks the column's kind to ``parse`` it. Every kind has the same interface, and every
method that reads text takes the report's time zone, whether the kind uses it or not (only
``Timestamp`` does), so readers never ask which kind they hold:

- ``dtype(zone)``: the polars dtype of the typed column;
- ``fast(raw, zone)``: a cheap parse of the clean, common form, null wherever it is unsure;
- ``wire_dtype()`` and ``fast_native(value, zone)``: the dtype a CSV parser can read the
  clean wire form as by itself (``String`` for most kinds), and ``fast`` for a column read
  that way; a value the CSV parser refuses sends the reader back to the text;
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
    >>> from callanalytics.schema import Duration
    >>> pl.select(Duration("min").parse(pl.lit("4.35"), "UTC")).item()
    datetime.timedelta(seconds=261)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

__all__ = ["DURATION_UNIT", "MAX_DURATION_MS", "TIME_UNIT", "Kind", "blank_to_null"]

#: Every timestamp in the package has this resolution.
TIME_UNIT = "us"
#: Every duration is exact to the millisecond.
DURATION_UNIT = "ms"
#: The longest duration any kind accepts, in either sign: 2**53 ms (about 285,000 years), so
#: every accepted value is exact in a float and fits a Python ``timedelta``. Longer values
#: are bad values like any other (never an overflow, never a wrapped negative number).
MAX_DURATION_MS = 2**53


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_bytes() == 0).then(None).otherwise(expr)


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
        return blank_to_null(raw)

    def fast(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """A cheaper ``parse`` for the common, clean case: equal to ``parse`` wherever it is
        not null, and null wherever it is unsure. Readers run ``fast`` first and fall back to
        ``parse`` (and ``invalid``) only for columns where it left present values unresolved.
        ``raw`` here has no empty strings (readers turn them into nulls first)."""
        return self.parse(raw, zone)

    def wire_dtype(self) -> pl.DataType:
        """The dtype the CSV parser may read this kind's wire text as, itself, before
        ``fast_native`` types it: only where every value it accepts is one ``parse`` reads
        the same way (numbers, not money, which it would round, nor timestamps, whose
        offsets it would drop). Text otherwise."""
        return pl.String()

    def fast_native(self, value: pl.Expr, zone: str) -> pl.Expr:
        """``fast`` for a column the CSV parser read as ``wire_dtype``: equal to ``parse`` of
        the text wherever it is not null, null wherever it is unsure."""
        return self.fast(value, zone)

    def invalid(self, raw: pl.Expr, zone: str) -> pl.Expr:
        """True where the raw text is present but does not fit this kind."""
        present = blank_to_null(raw.str.strip_chars()).is_not_null()
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
