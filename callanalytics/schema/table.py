"""The shape of a schema table: one ``Column`` per documented field, in documented order.

Casting, validation, documentation and the sample generator all read these tables, so adding
a column is one line in ``dialer_results.py`` or ``leadflow_history.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import polars as pl

from callanalytics.schema.kinds import Kind


@dataclass(frozen=True)
class Column:
    """One documented column.

    ``group`` names an optional block the API leaves out when its include flag is off
    (``aux``, ``transfer``, ``speed_to_lead``); such columns are added back as typed nulls.
    ``pii`` marks row-level personal data that reports must not show; reader errors show
    such a value only as its last four digits (or not at all).
    """

    name: str
    kind: Kind
    description: str
    group: str | None = None
    pii: bool = False


@dataclass(frozen=True)
class Schema:
    """A report's columns plus the facts needed to read it."""

    name: str
    title: str
    columns: tuple[Column, ...]
    default_timezone: str = "America/New_York"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __getitem__(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def dtype_of(self, column: Column, timezone: str) -> pl.DataType:
        return column.kind.dtype(timezone)

    def polars_schema(self, timezone: str | None = None) -> pl.Schema:
        """The exact dtypes a reader returns.

        Example:
            >>> from callanalytics.schema import LEADFLOW_HISTORY
            >>> LEADFLOW_HISTORY.polars_schema()["margin"]
            Decimal(precision=38, scale=2)
        """
        zone = timezone or self.default_timezone
        return pl.Schema({c.name: self.dtype_of(c, zone) for c in self.columns})

    def fingerprint(self, timezone: str | None = None) -> str:
        """A short hash of the column names and exact polars dtypes (time zone, Enum
        categories, Decimal scale included): adding, renaming or retyping a column changes
        it, so the cache keyed by it never serves a frame of an older schema.

        Example:
            >>> from callanalytics.schema import LEADFLOW_HISTORY
            >>> len(LEADFLOW_HISTORY.fingerprint())
            16
            >>> LEADFLOW_HISTORY.fingerprint() == LEADFLOW_HISTORY.fingerprint("UTC")
            False
        """
        shape = [[name, repr(dtype)] for name, dtype in self.polars_schema(timezone).items()]
        return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]

    def describe(self) -> pl.DataFrame:
        """One row per column: name, dtype, kind, group, PII flag and description."""
        return pl.DataFrame(
            {
                "column": self.names,
                "dtype": [str(self.dtype_of(c, self.default_timezone)) for c in self.columns],
                "kind": [c.kind.describe() for c in self.columns],
                "group": [c.group for c in self.columns],
                "pii": [c.pii for c in self.columns],
                "description": [c.description for c in self.columns],
            }
        )

    @property
    def pii_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pii]
