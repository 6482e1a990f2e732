"""Grouping: the ``by=`` every metric accepts, calendar periods, and ordered picks per group."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import narwhals as nw
import polars as pl

from callanalytics.metrics._engine import Native, native_columns

#: Calendar periods every ``by=`` accepts: the day, the week (its Monday), the month (its 1st).
PERIODS = ("day", "week", "month")


def resolve_by(
    by: str | Sequence[str],
    *,
    named: dict[str, list[str]],
    columns: Sequence[str],
    what: str,
) -> list[str]:
    """The group keys for ``by``: a named grouping, a period, or column names; else ValueError.

    ``named`` maps names like ``"offer"`` to their key columns; periods (day, week, month)
    become a Date key of that name; any other string must be one of ``columns``.
    """
    items = [by] if isinstance(by, str) else list(by)
    if not items:
        raise ValueError("by: give at least one grouping")
    keys: list[str] = []
    for item in items:
        if item in named:
            keys.extend(named[item])
        elif item in PERIODS or item in columns:
            keys.append(item)
        else:
            choices = [*named, *PERIODS]
            close = difflib.get_close_matches(str(item), [*choices, *columns], n=1)
            meant = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(
                f"by={item!r} is not a grouping: {meant}choose one of "
                f"{', '.join(repr(c) for c in choices)}, or a {what} column name "
                f"({', '.join(columns)})"
            )
    return keys


def with_periods(frame: Native, lf: nw.LazyFrame, periods: Sequence[str], column: str):
    """Add the Date columns ``day``, ``week`` (its Monday), ``month`` (its 1st) of ``column``.

    Local dates: in the column's time zone (polars) or the session's (DuckDB, Spark).
    """
    periods = [p for p in PERIODS if p in periods]
    if not periods:
        return lf
    lf = lf.with_columns(nw.col(column).dt.date().alias("_day"))
    polars = {
        "day": pl.col("_day"),
        "week": pl.col("_day").dt.truncate("1w"),
        "month": pl.col("_day").dt.month_start(),
    }
    sql = {
        "day": '"_day"',
        "week": "CAST(date_trunc('week', \"_day\") AS DATE)",
        "month": "CAST(date_trunc('month', \"_day\") AS DATE)",
    }
    added = native_columns(frame, lf, {p: (polars[p], sql[p]) for p in periods})
    return added.drop("_day")


def ordered_picks(
    frame: Native, lf: nw.LazyFrame, keys: Sequence[str], picks: dict[str, tuple]
) -> tuple[nw.LazyFrame, list[nw.Expr]]:
    """Aggregations taking a column's first (or last) value per group in a given order.

    ``picks`` maps an output name to ``(column, order_by, last)``. Returns the frame to
    group and the aggregations to pass to ``agg``. Polars and DuckDB take the value with
    narwhals' ``first``/``last(order_by=…)``; narwhals has none for PySpark, so there the
    value is taken by a window (``first`` over the group in that order) and carried through
    the group-by with ``max`` (every row of the group holds the same value).
    """
    if not frame.is_spark:
        aggs = [
            (nw.col(c).last(order_by=o) if last else nw.col(c).first(order_by=o)).alias(name)
            for name, (c, o, last) in picks.items()
        ]
        return lf, aggs
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    native = lf.to_native()
    added = {}
    for name, (column, order, last) in picks.items():
        ordering = [
            F.col(o).desc_nulls_last() if last else F.col(o).asc_nulls_first() for o in order
        ]
        window = (
            Window.partitionBy(*keys)
            .orderBy(*ordering)
            .rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
        )
        added[f"_pick_{name}"] = F.first(F.col(column)).over(window)
    aggs = [nw.col(f"_pick_{name}").max().alias(name) for name in picks]
    return nw.from_native(native.withColumns(added)), aggs


def with_weekday_hour(frame: Native, lf: nw.LazyFrame, column: str) -> nw.LazyFrame:
    """Add ``weekday`` (ISO: 1 Monday … 7 Sunday) and ``hour`` (0–23) of ``column``, local."""
    weekday = {"duckdb": f'isodow("{column}")', "spark": f'extract(DAYOFWEEK_ISO FROM "{column}")'}
    lf = native_columns(frame, lf, {"weekday": (pl.col(column).dt.weekday(), weekday)})
    return lf.with_columns(
        nw.col("weekday").cast(nw.Int8), nw.col(column).dt.hour().cast(nw.Int8).alias("hour")
    )
