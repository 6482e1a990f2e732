"""A caller's frame (polars, DuckDB, Spark) seen through narwhals, and back to the same kind.

Every metric is written once against narwhals and runs on polars (eager or lazy), DuckDB
relations and PySpark DataFrames, returning the kind it was given, lazily (no collect).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import narwhals as nw
import polars as pl

#
# Every metric is written once against narwhals and runs on polars (eager or lazy), DuckDB
# relations and PySpark DataFrames, returning the kind it was given, lazily (no collect).
# Narwhals covers relational operations; the few things engines do differently are handled
# here, once:
#
# - durations are computed as integer milliseconds (Int64) and turned back into each engine's
#   duration type at the end (:meth:`Native.back`): polars ``Duration("ms")``, DuckDB
#   ``INTERVAL``, Spark ``INTERVAL DAY TO SECOND``. Inputs may be durations or integer ms.
# - money stays exact decimal (``DECIMAL(38, 2)``) on every engine; a per-call average is
#   computed in integer cents, rounded half to even (as polars divides decimals), then
#   turned back into a decimal.
# - quantiles are exact with linear interpolation on every engine (polars ``quantile``,
#   DuckDB ``quantile_cont``, Spark ``percentile``), rounded half to even to the millisecond.
# - counts polars types as ``UInt32`` are ``UInt32`` on DuckDB too and ``Int64`` on Spark,
#   which has no unsigned integers.
# - local-time fields (day, week, month, weekday, hour) are read in the frame's time zone:
#   polars' column time zone; the DuckDB connection's ``TimeZone``; Spark's
#   ``spark.sql.session.timeZone`` (:mod:`callanalytics.engines` checks these match the data).


class Native:
    """A caller's frame seen through narwhals, and the way back to the same kind."""

    def __init__(self, frame) -> None:
        self.native = frame
        wrapped = nw.from_native(_intervals_as_ms(frame))
        self.eager = isinstance(wrapped, nw.DataFrame)
        self.lazy: nw.LazyFrame = wrapped.lazy() if self.eager else wrapped
        self.impl = self.lazy.implementation
        self.is_spark = self.impl.is_spark_like()
        self.is_duckdb = self.impl.is_duckdb()
        self.is_polars = self.impl.is_polars()
        self.schema = self.lazy.collect_schema()

    @property
    def durations(self) -> list[str]:
        """The caller's duration columns (integer milliseconds in :attr:`lazy`)."""
        if self.is_spark:  # narwhals does not name Spark's day-time intervals durations
            from pyspark.sql.types import DayTimeIntervalType

            fields = self.native.schema.fields
            return [f.name for f in fields if isinstance(f.dataType, DayTimeIntervalType)]
        wrapped = nw.from_native(self.native)
        schema = wrapped.collect_schema() if isinstance(wrapped, nw.LazyFrame) else wrapped.schema
        return [name for name, dtype in schema.items() if dtype == nw.Duration]

    @property
    def count_dtype(self):
        """The dtype of a count: UInt32 as in polars, Int64 on Spark (no unsigned types)."""
        return nw.Int64 if self.is_spark else nw.UInt32

    def true_count(self, condition: nw.Expr) -> nw.Expr:
        """How many rows ``condition`` holds for (null counts as false), as an aggregation.

        Polars sums booleans natively (and fastest); SQL engines sum them as integers.
        """
        condition = condition.fill_null(False)
        if self.is_polars:
            return condition.sum()
        return condition.cast(nw.Int64).sum().fill_null(0)

    def ms(self, column: str) -> nw.Expr:
        """A duration column as integer milliseconds (durations or integer ms accepted)."""
        dtype = self.schema[column]
        if dtype == nw.Duration:
            return nw.col(column).dt.total_milliseconds().cast(nw.Int64)
        if dtype.is_integer():
            return nw.col(column).cast(nw.Int64)
        raise TypeError(f"{column}: expected a duration or integer milliseconds, got {dtype}")

    def back(self, out: nw.LazyFrame, *, durations: Sequence[str] = (), cents: Sequence[str] = ()):
        """The result as the caller's kind, integer-ms columns as durations, cents as money."""
        native = out.to_native()
        names = out.collect_schema().names()
        if durations or cents:
            native = _native_types(self, native, names, set(durations), set(cents))
        if self.is_polars and self.eager:
            return native.collect()
        return native


def _intervals_as_ms(frame):
    """DuckDB/Spark: interval columns as integer milliseconds (exact), other columns as is."""
    wrapped = nw.from_native(frame)
    if not isinstance(wrapped, nw.LazyFrame) or wrapped.implementation.is_polars():
        return frame
    if wrapped.implementation.is_spark_like():
        return _spark_intervals_as_ms(frame)
    schema = wrapped.collect_schema()
    if not any(dtype == nw.Duration for dtype in schema.values()):
        return frame
    if wrapped.implementation.is_duckdb():

        def sql(c: str) -> str:
            q = '"' + c.replace('"', '""') + '"'
            if schema[c] == nw.Duration:
                # Engine durations have no month/day parts here: microseconds // 1000.
                return f"CAST(epoch_us({q}) // 1000 AS BIGINT) AS {q}"
            return q

        return frame.project(", ".join(sql(c) for c in schema))
    raise TypeError(f"unsupported engine: {wrapped.implementation}")


def _spark_intervals_as_ms(frame):
    """Spark day-time interval columns as integer milliseconds (exact, via an instant)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DayTimeIntervalType

    fields = frame.schema.fields
    if not any(isinstance(f.dataType, DayTimeIntervalType) for f in fields):
        return frame

    def col(field):
        q = "`" + field.name.replace("`", "``") + "`"
        if isinstance(field.dataType, DayTimeIntervalType):
            # From the interval's own fields (adding it to an instant would add its days on
            # the session's local calendar).
            # BIGINT first: INT days × 86,400,000 overflows from 25 days on.
            ms = (
                f"CAST(extract(DAY FROM {q}) AS BIGINT) * 86400000"
                f" + extract(HOUR FROM {q}) * 3600000 + extract(MINUTE FROM {q}) * 60000"
                f" + CAST(extract(SECOND FROM {q}) * 1000 AS BIGINT)"
            )
            return F.expr(f"CAST({ms} AS BIGINT)").alias(field.name)
        return F.col(q)

    return frame.select(*[col(f) for f in fields])


def _native_types(frame: Native, native, names: list[str], durations: set[str], cents: set[str]):
    if frame.is_polars:
        return native.with_columns(
            *[pl.col(c).cast(pl.Duration("ms")) for c in names if c in durations],
            *[
                (pl.col(c).cast(pl.Decimal(38, 2)) * pl.lit(Decimal("0.01"))).cast(
                    pl.Decimal(38, 2)
                )
                for c in names
                if c in cents
            ],
        )
    if frame.is_duckdb:

        def sql(c: str) -> str:
            q = '"' + c.replace('"', '""') + '"'
            if c in durations:
                return f"to_milliseconds({q}) AS {q}"
            if c in cents:
                return f"CAST(CAST({q} AS DECIMAL(38, 0)) * 0.01 AS DECIMAL(38, 2)) AS {q}"
            return q

        return native.project(", ".join(sql(c) for c in names))
    if frame.is_spark:
        from pyspark.sql import functions as F

        def col(c: str):
            q = "`" + c.replace("`", "``") + "`"
            if c in durations:
                return F.expr(
                    f"CAST({q} * INTERVAL '0.001' SECOND AS INTERVAL DAY TO SECOND)"
                ).alias(c)
            if c in cents:
                return F.expr(f"CAST(CAST({q} AS DECIMAL(38, 0)) / 100 AS DECIMAL(38, 2))").alias(c)
            return F.col(q)

        return native.select(*[col(c) for c in names])
    raise TypeError(f"unsupported engine: {frame.impl}")


def match_laziness(source: pl.DataFrame | pl.LazyFrame, result: pl.LazyFrame):
    """Return ``result`` eager if ``source`` was eager, lazy if it was lazy."""
    return result.collect() if isinstance(source, pl.DataFrame) else result


def rate_nw(numerator: nw.Expr, denominator: nw.Expr) -> nw.Expr:
    """:func:`rate` for any engine: a Float64 share, null where the denominator is zero."""
    den = denominator.cast(nw.Float64)
    return nw.when(den > 0).then(numerator.cast(nw.Float64) / den)


def round_half_even(value: nw.Expr) -> nw.Expr:
    """Round a float to a whole number, ties to even (as polars' ``round``), as Int64."""
    low = value.floor()
    frac = value - low
    even = (low - (low / 2).floor() * 2) == 0
    up = (frac > 0.5) | ((frac == 0.5) & ~even)
    return nw.when(up).then(low + 1).otherwise(low).cast(nw.Int64)


def native_columns(frame: Native, lf: nw.LazyFrame, columns: dict) -> nw.LazyFrame:
    """Add columns narwhals cannot express, given per engine as ``{name: (polars, sql)}``.

    ``polars`` is a polars expression; ``sql`` a SQL expression that DuckDB and Spark both
    read (identifiers in double quotes are rewritten to backticks for Spark), or a dict
    ``{"duckdb": …, "spark": …}`` where they differ.
    """

    def sql_for(sql, engine: str) -> str:
        return sql[engine] if isinstance(sql, dict) else sql

    native = lf.to_native()
    if frame.is_polars:
        return nw.from_native(native.with_columns(e.alias(n) for n, (e, _) in columns.items()))
    if frame.is_duckdb:
        added = ", ".join(
            f'{sql_for(sql, "duckdb")} AS "{name}"' for name, (_, sql) in columns.items()
        )
        return nw.from_native(native.project(f"*, {added}"))
    from pyspark.sql import functions as F

    spark = {
        name: F.expr(sql_for(sql, "spark").replace('"', "`")) for name, (_, sql) in columns.items()
    }
    return nw.from_native(native.withColumns(spark))


def minus_ms(frame: Native, lf: nw.LazyFrame, name: str, instant: str, ms: str) -> nw.LazyFrame:
    """Add column ``name`` = datetime ``instant`` minus ``ms`` milliseconds (an exact instant).

    Narwhals has no per-row datetime offset, so this one step is native on each engine.
    """
    polars = pl.col(instant) - pl.col(ms).cast(pl.Duration("ms"))
    if frame.is_spark:
        # Spark adds a day-time interval's days on the local calendar (23- or 25-hour days
        # across DST); epoch microseconds keep the instant exact.
        sql = f'timestamp_micros(unix_micros("{instant}") - "{ms}" * 1000)'
    else:
        sql = f'"{instant}" - to_microseconds("{ms}" * 1000)'
    return native_columns(frame, lf, {name: (polars, sql)})


def with_epoch_ms(frame: Native, lf: nw.LazyFrame, name: str, column: str) -> nw.LazyFrame:
    """Add ``name``: the instant ``column`` as epoch milliseconds (Int64), on every engine
    (narwhals has no epoch on DuckDB; a naive polars column counts as UTC wall clock)."""
    sql = {"duckdb": f'epoch_ms("{column}")', "spark": f'unix_millis("{column}")'}
    added = native_columns(frame, lf, {name: (pl.col(column).dt.epoch("ms"), sql)})
    return added.with_columns(nw.col(name).cast(nw.Int64))
