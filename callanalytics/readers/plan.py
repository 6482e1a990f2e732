"""The per-column typing plan: for each schema column, its kind read in the report's zone
(or typed nulls when an optional group is left out). ``eager`` and ``scanning`` run the same
plan; neither asks which kind a column holds."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from callanalytics.errors import SchemaError, UnknownColumnsWarning, UnreadableFileError
from callanalytics.readers.inputs import first_line
from callanalytics.schema import Column, Schema


@dataclass(frozen=True)
class ColumnPlan:
    """How one schema column becomes typed: its kind read in the report's zone, or typed
    nulls when the input leaves the column out (an optional group)."""

    column: Column
    zone: str
    present: bool

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def dtype(self) -> pl.DataType:
        return self.column.kind.dtype(self.zone)

    @property
    def checked(self) -> bool:
        """Whether values can fail to fit, so the reader must look for unresolved ones."""
        return self.present and self.column.kind.can_fail

    @property
    def wire_dtype(self) -> pl.DataType:
        return self.column.kind.wire_dtype()

    def fast(self, native: bool = False) -> pl.Expr:
        """The fast parse of the column as text or, with ``native``, as the CSV reader
        parsed it (``wire_dtype``)."""
        if not self.present:
            return pl.lit(None, dtype=self.dtype).alias(self.name)
        kind, value = self.column.kind, pl.col(self.name)
        typed = kind.fast_native(value, self.zone) if native else kind.fast(value, self.zone)
        return typed.alias(self.name)

    def parse(self) -> pl.Expr:
        return self.column.kind.parse(pl.col(self.name), self.zone).alias(self.name)

    def invalid(self) -> pl.Expr:
        return self.column.kind.invalid(pl.col(self.name), self.zone)

    def gap(self) -> pl.Expr:
        return self.column.kind.gap(pl.col(self.name), self.zone)

    def repeated(self) -> pl.Expr:
        return self.column.kind.repeated(pl.col(self.name), self.zone)

    def fast_repeated(self, typed: pl.Expr) -> pl.Expr:
        return self.column.kind.fast_repeated(typed, self.zone)


@dataclass(frozen=True)
class TypingPlan:
    """One plan per read: a ``ColumnPlan`` per schema column, plus the undocumented columns
    kept as text. ``type_eagerly`` and ``type_lazily`` run the same plan."""

    schema: Schema
    zone: str
    name: str
    columns: tuple[ColumnPlan, ...]
    extras: tuple[str, ...]

    @classmethod
    def for_input(
        cls,
        schema: Schema,
        zone: str,
        name: str,
        present: Sequence[str],
        *,
        exclude: Sequence[str] = (),
    ) -> TypingPlan:
        """Check the input's header against ``schema`` (missing columns raise, extras warn)."""
        extras = _check_columns(present, schema, name, exclude=exclude)
        columns = tuple(ColumnPlan(c, zone, c.name in present) for c in schema.columns)
        return cls(schema, zone, name, columns, tuple(extras))

    @property
    def checked(self) -> list[ColumnPlan]:
        return [c for c in self.columns if c.checked]

    @property
    def native_dtypes(self) -> dict[str, pl.DataType]:
        """The present columns a CSV reader can parse itself, and their wire dtypes."""
        return {
            c.name: c.wire_dtype for c in self.columns if c.present and c.wire_dtype != pl.String
        }

    @property
    def names(self) -> list[str]:
        return [*self.schema.names, *self.extras]

    def blank_row(self) -> pl.Expr:
        """True for a row with every field empty: a blank line, a line of empty quotes, a
        null JSON record. Such a row is not a record (blanks are null by the time this runs)."""
        present = [c.name for c in self.columns if c.present]
        return pl.all_horizontal(pl.col(c).is_null() for c in [*present, *self.extras])


def _check_columns(
    present: Sequence[str], schema: Schema, name: str, *, exclude: Sequence[str] = ()
) -> list[str]:
    """Raise on missing documented columns; return unknown extras (with a warning)."""
    missing = [c.name for c in schema.columns if c.name not in present and c.group is None]
    if missing:
        hint = ""
        if len(present) == 1 and any(sep in present[0] for sep in (";", "\t", "|")):
            hint = " The header is a single column: is the file separated by ';', tab or '|'?"
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise SchemaError(
            f"{schema.title}: {name} is missing {len(missing)} documented column(s): "
            f"{shown}.{hint}",
            report=schema.name,
            source=name,
            missing=missing,
        )
    known = set(schema.names) | set(exclude)
    extras = [c for c in present if c not in known]
    if extras:
        warnings.warn(
            f"{schema.title}: {name} has {len(extras)} undocumented column(s) kept as "
            f"strings: {', '.join(extras)}",
            UnknownColumnsWarning,
            stacklevel=5,
        )
    return extras


def read_header(raw: pl.LazyFrame, schema: Schema, name: str) -> list[str]:
    try:
        return raw.collect_schema().names()
    except pl.exceptions.PolarsError as error:
        raise UnreadableFileError(
            f"{schema.title}: {name} could not be read: {first_line(error)}",
            report=schema.name,
            source=name,
        ) from None
