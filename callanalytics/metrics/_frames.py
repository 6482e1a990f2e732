"""Lazy-or-eager plumbing and the definitions every metric shares.

The conversion rule lives here and nowhere else: :func:`success_expr` is what every metric,
table and sentence uses to decide whether an agent disposition is a conversion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

import narwhals as nw
import polars as pl

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

#: Words that make a disposition a conversion under the default rule (whole words, any case).
SUCCESS_WORDS: tuple[str, ...] = ("sale", "sold")
#: Words that veto a conversion under the default rule: negations ("No Sale", "Not Sold",
#: "Non-sale"), a sale not made yet ("Pre-sale", "Sale Pending") or undone ("Sale cancelled",
#: "Sale - Declined", "Sale refunded", "Lost sale"). "Sales" is not a success word: it names
#: a department ("Transferred to Sales") or an enquiry ("Sales Inquiry").
NEGATION_WORDS: tuple[str, ...] = (
    "no",
    "not",
    "non",
    "pre",
    "pending",
    "cancel",
    "cancelled",
    "canceled",
    "declined",
    "refund",
    "refunded",
    "lost",
)


def _whole_words(words: Sequence[str]) -> str:
    """A pattern for any of ``words`` as a whole word, where spaces, ``_``, ``-``, ``/`` and
    any other non-alphanumeric character separate words (dialer codes such as ``SALE_MADE``).
    Written without look-arounds or ``\\b`` so polars, DuckDB (RE2) and Spark (Java) read it
    alike."""
    return r"(?i)(?:^|[^a-z0-9])(?:" + "|".join(words) + r")(?:$|[^a-z0-9])"


_SUCCESS_PATTERN = _whole_words(SUCCESS_WORDS)
_NEGATION_PATTERN = _whole_words(NEGATION_WORDS)

#: How a success rule reads in a report: ``success=None`` means this.
DEFAULT_SUCCESS_RULE = (
    "a disposition counts as a conversion when it contains the word "
    + " or ".join(f'"{w}"' for w in SUCCESS_WORDS)
    + " (whole words, any case; _ - / and spaces separate words) and none of the words "
    + ", ".join(f'"{w}"' for w in NEGATION_WORDS)
)

#: The kinds of ``success=`` every metric accepts.
Success = str | Sequence[str] | None


def match_laziness(source: pl.DataFrame | pl.LazyFrame, result: pl.LazyFrame):
    """Return ``result`` eager if ``source`` was eager, lazy if it was lazy."""
    return result.collect() if isinstance(source, pl.DataFrame) else result


def success_expr(column: str, success: Success) -> pl.Expr:
    """True where ``column`` counts as a conversion; False where it does not or is null.

    ``success`` is the rule:

    - ``None`` (the default): the disposition contains the whole word ``sale`` or ``sold``
      (any case; ``_``, ``-``, ``/`` and spaces separate words) and none of
      :data:`NEGATION_WORDS`. "Sale", "Sale - Upsell", "SALE_CLOSED" and "Sold" count;
      "No Sale", "Not Sold - Sale Pending", "Non-sale", "Pre-sale", "Sale cancelled",
      "Transferred to Sales" and "Wholesale" do not.
    - a list of dispositions: exactly those (compared case-insensitively, surrounding
      spaces ignored);
    - a string: a regular expression (prefix ``(?i)`` for any case).

    Example:
        >>> frame = pl.DataFrame({"d": ["Sale", "No Sale", "Non-sale", "Sold", None]})
        >>> frame.select(success_expr("d", None))["d"].to_list()
        [True, False, False, True, False]
    """
    return _success_rule(pl, column, success)


def describe_success(success: Success = None) -> str:
    """The conversion rule in words, for a report to state under its tables.

    Example:
        >>> describe_success(["Sale"])
        'A disposition counts as a conversion when it is one of "Sale" (any case).'
    """
    if success is None:
        return DEFAULT_SUCCESS_RULE[0].upper() + DEFAULT_SUCCESS_RULE[1:] + "."
    if isinstance(success, str):
        return f"A disposition counts as a conversion when it matches the pattern {success!r}."
    if not success:
        return "No disposition counts as a conversion (an empty list was given)."
    listed = ", ".join(f'"{s.strip()}"' for s in success)
    return f"A disposition counts as a conversion when it is one of {listed} (any case)."


def disposition_split(calls, success: Success = None):
    """Every agent disposition seen, whether the rule counted it as a conversion, and how often.

    One row per distinct non-null ``agent_disposition``: ``disposition`` (String),
    ``counted`` (Boolean) and ``calls`` (UInt32), counted dispositions first, then by calls.
    A report shows the counted ones ("conversions are …") and the others ("seen but not
    counted: …"), so the rule is never hidden.

    Example:
        >>> import callanalytics as ca
        >>> split = disposition_split(ca.sample_dialer_results(n=2_000))
        >>> split.filter(pl.col("counted"))["disposition"].to_list()
        ['Sale', 'Sale - Upsell']
    """
    frame = Native(calls)
    out = (
        frame.lazy.filter(~nw.col("agent_disposition").is_null())
        .group_by(nw.col("agent_disposition").alias("disposition"))
        .agg(nw.len().alias("calls"))
        .with_columns(success_nw("disposition", success).alias("counted"))
        .select(
            nw.col("disposition").cast(nw.String),
            nw.col("counted").cast(nw.Boolean),
            nw.col("calls").cast(frame.count_dtype),
        )
        .sort(["counted", "calls", "disposition"], descending=[True, True, False])
    )
    return frame.back(out)


def duration_quantile(column: str, q: float) -> pl.Expr:
    """Quantile of a Duration column, as a Duration (exact to the millisecond)."""
    ms = pl.col(column).dt.total_milliseconds()
    return ms.quantile(q, interpolation="linear").round(0).cast(pl.Int64).cast(pl.Duration("ms"))


def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """A share as Float64, null where the denominator is zero."""
    den = denominator.cast(pl.Float64)
    return pl.when(den > 0).then(numerator.cast(pl.Float64) / den)


#: Calendar periods every ``by=`` accepts, and how each is cut from a datetime.
PERIODS = ("day", "week", "month")


def period_expr(period: str, column: str) -> pl.Expr:
    """The Date of the period containing ``column``: the day, the week's Monday, the 1st.

    Example:
        >>> from datetime import datetime
        >>> frame = pl.DataFrame({"t": [datetime(2024, 11, 7, 15)]})
        >>> str(frame.select(period_expr("week", "t"))["week"][0])
        '2024-11-04'
    """
    day = pl.col(column).dt.date()
    if period == "day":
        return day.alias("day")
    if period == "week":
        return day.dt.truncate("1w").alias("week")
    if period == "month":
        return day.dt.month_start().alias("month")
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


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


# --- Engine-neutral plumbing (narwhals) -------------------------------------------------------
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
            ms = (
                f"extract(DAY FROM {q}) * 86400000 + extract(HOUR FROM {q}) * 3600000"
                f" + extract(MINUTE FROM {q}) * 60000"
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


def success_nw(column: str, success: Success) -> nw.Expr:
    """:func:`success_expr` for any engine (the same rule, as a narwhals expression)."""
    return _success_rule(nw, column, success)


def _success_rule(namespace: Any, column: str, success: Success) -> Any:
    """The conversion rule in ``namespace`` (``polars`` or ``narwhals``: their expression
    APIs agree on everything used here), so polars and every other engine read one rule."""
    value = namespace.col(column)
    if success is None:
        hit = value.str.contains(_SUCCESS_PATTERN) & ~value.str.contains(_NEGATION_PATTERN)
        return hit.fill_null(False)
    if isinstance(success, str):
        try:
            re.compile(success.removeprefix("(?i)"))
        except re.error as exc:
            raise ValueError(
                f"success: {success!r} is not a valid regular expression: {exc}"
            ) from None
        return value.str.contains(success).fill_null(False)
    wanted = [s.strip().lower() for s in success]
    return value.str.strip_chars().str.to_lowercase().is_in(wanted).fill_null(False)


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
