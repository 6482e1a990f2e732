"""Lazy-or-eager plumbing shared by the metric functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

import polars as pl

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

#: Default meaning of a successful agent disposition: any disposition containing "sale".
DEFAULT_SUCCESS = "(?i)sale"


def like(source: pl.DataFrame | pl.LazyFrame, result: pl.LazyFrame):
    """Return ``result`` eager if ``source`` was eager, lazy if it was lazy."""
    return result.collect() if isinstance(source, pl.DataFrame) else result


def success_expr(column: str, success: str | Sequence[str] | None) -> pl.Expr:
    """True where ``column`` counts as a success.

    A string is a regular expression; a list is exact dispositions (case-insensitive).
    """
    value = pl.col(column)
    if success is None or isinstance(success, str):
        pattern = DEFAULT_SUCCESS if success is None else success
        re.compile(pattern.removeprefix("(?i)"))  # fail early on a bad pattern
        return value.str.contains(pattern).fill_null(False)
    wanted = [s.lower() for s in success]
    return value.str.to_lowercase().is_in(wanted).fill_null(False)


def duration_quantile(column: str, q: float) -> pl.Expr:
    """Quantile of a Duration column, as a Duration (exact to the millisecond)."""
    ms = pl.col(column).dt.total_milliseconds()
    return ms.quantile(q, interpolation="linear").round(0).cast(pl.Int64).cast(pl.Duration("ms"))


def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """A share as Float64, null where the denominator is zero."""
    den = denominator.cast(pl.Float64)
    return pl.when(den > 0).then(numerator.cast(pl.Float64) / den)
