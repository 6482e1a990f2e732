"""The few compliance steps narwhals cannot express, each one expression per engine.

Everything else in this package is written once with narwhals. These steps are native
because narwhals has no per-row time zone, no epoch arithmetic, no time-range window, no
date sequence and no list aggregation on every engine; each is one expression, the same
definition on polars, DuckDB and Spark (the parity tests hold them equal):

- the lead's wall clock (:func:`with_local_start`): polars converts per zone (the zones are
  the small known set of :func:`~callanalytics.rules.tables.zone_aliases`), DuckDB with
  ``timezone(zone, instant)`` and Spark with ``from_utc_timestamp(instant, zone)``, both
  taking the zone from the row. Each engine's own tz database: exact and DST-correct.
- elapsed time between two instants in integer microseconds, and back to each engine's
  duration type (polars ``Duration("us")``, DuckDB ``INTERVAL``, Spark ``INTERVAL DAY TO
  SECOND``);
- dials to one number in a rolling window ending at each dial (polars ``rolling_sum_by``;
  SQL ``RANGE`` frames), the window's start excluded;
- every day from a first to a last day (polars ``date_range``, DuckDB ``generate_series``,
  Spark ``sequence``);
- the findings' groups: counts, first and last dial, and up to five example texts in a
  given order (a list column);
- an instant as text with its zone abbreviation (``EST``/``EDT``) in the frame's zone;
- a lookup in a small Python mapping (state names, ZIP prefixes, zone spellings): polars
  ``replace_strict``; on DuckDB and Spark a join with the mapping as a small table in the
  caller's engine (a mapping literal is evaluated per row there: 1.6 s per lookup on 1M
  rows in DuckDB, against a hash join's few milliseconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import Native, native_columns
from callanalytics.rules.tables import zone_aliases

#: How an instant is written in an example: ``2024-10-28 21:30:00 EDT``.
INSTANT_FORMAT = "%Y-%m-%d %H:%M:%S"
_EPOCH_NTZ = "TIMESTAMP_NTZ'1970-01-01 00:00:00'"


def with_lookup(
    frame: Native, lf: nw.LazyFrame, name: str, key: str, mapping: dict[str, str]
) -> nw.LazyFrame:
    """Add ``name``: ``mapping[key]`` (String), null where ``key`` is null or not a key."""
    if frame.is_polars:
        looked_up = nw.col(key).replace_strict(
            mapping, default=nw.lit(None, nw.String), return_dtype=nw.String
        )
        return lf.with_columns(looked_up.alias(name))
    if frame.is_duckdb:

        def listed(values) -> str:
            return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

        # One row of the caller's input (not of ``lf``, whose plan may hold other lookups),
        # unnested into the mapping's rows (none on an empty input, where nothing is looked
        # up): the table lives on the caller's connection.
        table = (
            frame.lazy.to_native()
            .limit(1)
            .project(
                f'unnest({listed(mapping)}) AS "_lookup", unnest({listed(mapping.values())}) '
                f'AS "{name}"'
            )
        )
    else:
        table = frame.lazy.to_native().sparkSession.createDataFrame(
            list(mapping.items()), schema=f"_lookup string, `{name}` string"
        )
    joined = lf.join(nw.from_native(table), left_on=key, right_on="_lookup", how="left")
    return joined.drop("_lookup", strict=False)


def with_local_start(frame: Native, lf: nw.LazyFrame) -> nw.LazyFrame:
    """Add ``local_start``: ``call_start`` on the wall clock of ``lead_zone`` (naive)."""
    start = pl.col("call_start")
    polars = pl.coalesce(
        [
            pl.when(pl.col("lead_zone") == z).then(
                start.dt.convert_time_zone(z).dt.replace_time_zone(None)
            )
            for z in sorted(set(zone_aliases().values()))
        ]
    )
    sql = {
        "duckdb": 'timezone("lead_zone", "call_start")',
        # The result's epoch value is the wall clock at the zone, read as UTC.
        "spark": 'timestampadd(MICROSECOND, unix_micros(from_utc_timestamp("call_start", '
        f'"lead_zone")), {_EPOCH_NTZ})',
    }
    return native_columns(frame, lf, {"local_start": (polars, sql)})


def with_elapsed_us(
    frame: Native, lf: nw.LazyFrame, name: str, later: str, earlier: str
) -> nw.LazyFrame:
    """Add ``name``: ``later - earlier`` (two instants) in integer microseconds."""
    polars = (pl.col(later) - pl.col(earlier)).dt.total_microseconds()
    sql = {
        "duckdb": f'epoch_us("{later}") - epoch_us("{earlier}")',
        "spark": f'unix_micros("{later}") - unix_micros("{earlier}")',
    }
    return native_columns(frame, lf, {name: (polars, sql)})


def with_duration_us(frame: Native, lf: nw.LazyFrame, name: str, micros: str) -> nw.LazyFrame:
    """Add ``name``: the integer microseconds ``micros`` as the engine's duration type."""
    polars = pl.col(micros).cast(pl.Duration("us"))
    sql = {
        "duckdb": f'to_microseconds("{micros}")',
        "spark": f"CAST(\"{micros}\" * INTERVAL '0.000001' SECOND AS INTERVAL DAY TO SECOND)",
    }
    return native_columns(frame, lf, {name: (polars, sql)})


def with_window_count(
    frame: Native, lf: nw.LazyFrame, name: str, keys: Sequence[str], window: str
) -> nw.LazyFrame:
    """Add ``name``: rows of the same ``keys`` whose ``call_start`` lies in the ``window``
    (``24h``: 24 hours; ``30d``: 30 calendar days in the frame's zone) ending at this row's,
    the window's start excluded and this row's instant included (ties count each other).
    ``call_start`` must not be null."""
    polars = (
        pl.col("call_start")
        .is_not_null()
        .cast(pl.UInt32)
        .rolling_sum_by("call_start", window_size=window)
        .over(keys)
    ).cast(pl.UInt32)
    amount, unit = int(window[:-1]), {"h": "HOUR", "d": "DAY"}[window[-1]]
    span = f"INTERVAL '{amount}' {unit} PRECEDING"
    over = f'PARTITION BY {", ".join(f"{chr(34)}{k}{chr(34)}" for k in keys)} ORDER BY "call_start"'
    # The frame includes its start; the rows exactly at the start are taken off again.
    sql = (
        f"count(*) OVER ({over} RANGE BETWEEN {span} AND CURRENT ROW)"
        f" - count(*) OVER ({over} RANGE BETWEEN {span} AND {span})"
    )
    return native_columns(frame, lf, {name: (polars, sql)})


def with_days(frame: Native, lf: nw.LazyFrame, name: str, first: str, last: str) -> nw.LazyFrame:
    """Add ``name``: the list of every Date from ``first`` to ``last``, both included."""
    polars = pl.date_ranges(pl.col(first), pl.col(last), "1d")
    sql = {
        "duckdb": f'CAST(generate_series("{first}", "{last}", INTERVAL 1 DAY) AS DATE[])',
        "spark": f'sequence("{first}", "{last}")',
    }
    return native_columns(frame, lf, {name: (polars, sql)})


def finding_groups(
    frame: Native, lf: nw.LazyFrame, keys: Sequence[str], value: str, order: Sequence[str]
) -> nw.LazyFrame:
    """Per group of ``keys``: ``count`` (rows), ``first`` and ``last`` (``call_start``) and
    ``examples``, the first five ``value`` in ``order`` (nulls first, as polars sorts),
    nulls kept. One aggregation (a list is not a narwhals aggregation)."""
    native = lf.to_native()
    if frame.is_polars:
        return nw.from_native(
            native.group_by(keys).agg(
                pl.len().cast(pl.UInt32).alias("count"),
                pl.col("call_start").min().alias("first"),
                pl.col("call_start").max().alias("last"),
                pl.col(value).sort_by(*order).head(5).alias("examples"),
            )
        )
    if frame.is_duckdb:
        quoted = ", ".join(f'"{k}"' for k in keys)
        by = ", ".join(f'"{o}" ASC NULLS FIRST' for o in order)
        return nw.from_native(
            native.aggregate(
                f'{quoted}, CAST(count(*) AS UINTEGER) AS "count", min("call_start") AS "first",'
                f' max("call_start") AS "last", list("{value}" ORDER BY {by})[1:5] AS examples',
                quoted,
            )
        )
    from pyspark.sql import functions as F

    fields = ", ".join(f"`{c}`" for c in [*order, value])
    listed = F.expr(
        f"slice(transform(array_sort(collect_list(struct({fields}))), x -> x.`{value}`), 1, 5)"
    )
    return nw.from_native(
        native.groupBy(*keys).agg(
            F.count(F.lit(1)).alias("count"),
            F.min("call_start").alias("first"),
            F.max("call_start").alias("last"),
            listed.alias("examples"),
        )
    )


def with_instant_text(frame: Native, lf: nw.LazyFrame, name: str, column: str) -> nw.LazyFrame:
    """Add ``name``: ``column`` as ``2024-10-28 21:30:00 EDT``, in the frame's own zone."""
    polars = pl.col(column).dt.to_string(f"{INSTANT_FORMAT} %Z")
    zone = frame.schema[column].time_zone
    offsets = {
        "duckdb": f'(epoch_us(CAST("{column}" AS TIMESTAMP)) - epoch_us("{column}")) // 1000000',
        "spark": f'(unix_micros(from_utc_timestamp("{column}", current_timezone()))'
        f' - unix_micros("{column}")) DIV 1000000',
    }
    text = {
        "duckdb": f"strftime(\"{column}\", '{INSTANT_FORMAT}')",
        "spark": f"date_format(\"{column}\", 'yyyy-MM-dd HH:mm:ss')",
    }
    sql = {}
    for engine in ("duckdb", "spark"):
        names = " ".join(
            f"WHEN {seconds} THEN '{abbreviation}'"
            for seconds, abbreviation in zone_abbreviations(zone).items()
        )
        sql[engine] = f"{text[engine]} || ' ' || CASE {offsets[engine]} {names} END"
    return native_columns(frame, lf, {name: (polars, sql)})


@cache
def zone_abbreviations(zone: str) -> dict[int, str]:
    """UTC offset in seconds -> the abbreviation ``zone`` uses for it (``-14400: 'EDT'``),
    from the tz database, over 1970-2100 (the latest use of an offset wins)."""
    tz = ZoneInfo(zone)
    out: dict[int, str] = {}
    moment = datetime(1970, 1, 1, tzinfo=UTC)
    while moment.year < 2100:
        local = moment.astimezone(tz)
        out[int(local.utcoffset().total_seconds())] = local.tzname()
        moment += timedelta(days=7)
    return out
