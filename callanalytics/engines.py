"""Read the Parquet cache (or any Parquet polars wrote) into DuckDB or Spark, correctly typed.

The metrics in :mod:`callanalytics.metrics` run unchanged on a DuckDB relation or a PySpark
DataFrame; these two readers give them the typed frame polars would have read::

    calls = read_duckdb("~/.cache/callanalytics/report=dialer_results")   # or read_spark(spark, …)
    speed_to_lead_summary(calls)

How each polars type arrives (Parquet has no duration, enum or time-zone name of its own):

============================  ==============================  =================================
polars                        DuckDB                          Spark
============================  ==============================  =================================
``Duration("ms")``            ``INTERVAL`` (exact µs)         ``INTERVAL DAY TO SECOND``
``Decimal(38, s)``            ``DECIMAL(38, s)``              ``DECIMAL(38, s)``
``Datetime("us", tz)``        ``TIMESTAMPTZ`` (an instant)    ``TIMESTAMP`` (an instant)
``Enum([...])``               ``ENUM`` (same categories)      ``STRING`` (Spark has no enum)
``String``/``Boolean``/ints   same                            same
============================  ==============================  =================================

An instant has no time zone of its own in DuckDB or Spark: local fields (day, hour, weekday)
are read in the connection's ``TimeZone`` (DuckDB) or ``spark.sql.session.timeZone``. So that
a day means the same day on every engine, :func:`read_duckdb` sets its own connection's
``TimeZone`` to the data's, and both readers refuse (ValueError) a connection or session set
to another zone, naming the setting to change.

With a cache path (``.../report=<name>/query=<key>/date=YYYY-MM-DD/data.parquet``), ``start``
and ``end`` (dates; ``end`` excluded, as everywhere in the package) prune whole ``date=``
partitions: files outside the range are never opened. The partition columns (``report``,
``query``, ``date``) are not returned, so the columns are exactly the report's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

__all__ = ["read_duckdb", "read_spark"]

_PARTITIONS = ("report", "query", "date")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such Parquet file or directory")
    files = sorted(path.rglob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"{path}: no .parquet files under this directory")
    return files


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _time_zone(schema: pl.Schema, path: Path) -> str | None:
    zones = {d.time_zone for d in schema.values() if isinstance(d, pl.Datetime) and d.time_zone}
    if len(zones) > 1:
        raise ValueError(f"{path}: datetime columns in several time zones: {sorted(zones)}")
    return next(iter(zones), None)


class _Source:
    """The files, the polars schema they were written with, and the date range asked for."""

    def __init__(self, path: str | os.PathLike[str], start: Any, end: Any) -> None:
        self.path = Path(path).expanduser()
        files = _files(self.path)
        self.schema = pl.read_parquet_schema(files[0])
        self.time_zone = _time_zone(self.schema, self.path)
        self.partitioned = self.path.is_dir() and any(
            part.startswith("date=") for part in files[0].relative_to(self.path).parts
        )
        self.start, self.end = _day(start, "start"), _day(end, "end")
        if (self.start or self.end) and not self.partitioned:
            raise ValueError(
                f"{self.path}: start/end need the date-partitioned cache "
                "(.../date=YYYY-MM-DD/data.parquet); this path has no date= folders"
            )
        if self.start and self.end and self.start >= self.end:
            raise ValueError(
                f"end ({self.end}) must be after start ({self.start}); end is excluded"
            )

    def check_zone(self, current: str, setting: str, fix: str) -> None:
        """Refuse an engine whose session zone is not the data's: its local days and hours
        would silently be another zone's."""
        if current != self.time_zone:
            raise ValueError(
                f"{self.path}: the data's times are in {self.time_zone} but the {setting} is "
                f"{current}; run {fix} first, so that days and hours are the report's"
            )

    def date_filter(self, quote: str) -> str | None:
        column = f"{quote}date{quote}"
        parts = []
        if self.start:
            parts.append(f"{column} >= DATE '{self.start.isoformat()}'")
        if self.end:
            parts.append(f"{column} < DATE '{self.end.isoformat()}'")
        return " AND ".join(parts) or None


def _quote(name: str, quote: str) -> str:
    return quote + name.replace(quote, quote * 2) + quote


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _enum_sql(categories: Iterable[str]) -> str:
    return "ENUM(" + ", ".join(_sql_string(c) for c in categories) + ")"


def read_duckdb(
    path: str | os.PathLike[str],
    *,
    connection: Any = None,
    start: date | str | None = None,
    end: date | str | None = None,
):
    """A DuckDB relation over the cache (or a Parquet file/folder polars wrote), typed.

    ``connection`` defaults to a new in-memory DuckDB connection whose ``TimeZone`` is the
    data's; a given connection must already use that zone (else ValueError). ``start`` and
    ``end`` (dates, ``[start, end)`` as everywhere in the package) prune ``date=``
    partitions of the cache.

    Example:
        >>> import tempfile, callanalytics as ca
        >>> folder = Path(tempfile.mkdtemp())
        >>> ca.sample_dialer_results(n=200).write_parquet(folder / "calls.parquet")
        >>> read_duckdb(folder / "calls.parquet").types[21]  # call_start
        TIMESTAMP WITH TIME ZONE
    """
    import duckdb

    source = _Source(path, start, end)
    if connection is None:
        connection = duckdb.connect()
        if source.time_zone:
            connection.execute(f"SET TimeZone = {_sql_string(source.time_zone)}")
    elif source.time_zone:
        # fetchall: a result left open blocks the caller's connection for other work.
        ((current,),) = connection.execute("SELECT current_setting('TimeZone')").fetchall()
        source.check_zone(
            current,
            "DuckDB connection's TimeZone",
            f"connection.execute(\"SET TimeZone = '{source.time_zone}'\")",
        )
    target = str(source.path / "**" / "*.parquet") if source.path.is_dir() else str(source.path)
    relation = connection.read_parquet(target, hive_partitioning=source.partitioned)
    where = source.date_filter('"')
    if where:
        relation = relation.filter(where)
    columns = []
    for name, dtype in source.schema.items():
        column = _quote(name, '"')
        if isinstance(dtype, pl.Duration):
            unit = {"ms": "to_milliseconds", "us": "to_microseconds"}.get(dtype.time_unit)
            expr = f"{unit}({column})" if unit else f"to_microseconds({column} // 1000)"
        elif isinstance(dtype, pl.Enum):
            expr = f"CAST({column} AS {_enum_sql(dtype.categories.to_list())})"
        else:
            expr = column
        columns.append(f"{expr} AS {column}")
    return relation.project(", ".join(columns))


def read_spark(
    spark: Any,
    path: str | os.PathLike[str],
    *,
    start: date | str | None = None,
    end: date | str | None = None,
):
    """A PySpark DataFrame over the cache (or a Parquet file/folder polars wrote), typed.

    The session's ``spark.sql.session.timeZone`` must be the data's time zone (else
    ValueError: set it with ``spark.conf.set``). ``start`` and ``end`` (dates,
    ``[start, end)`` as everywhere in the package) prune ``date=`` partitions of the cache.
    ``path`` may be any path Spark reads (``s3a://…``, ``abfss://…``) when it is a local
    folder here too; on a cluster, pass the object-storage path of the same layout.

    Example: (it needs a Spark session, so it is not run as a doctest)::

        calls = read_spark(spark, "/data/cache/report=dialer_results", start="2024-11-01")
        calls.schema["duration"].dataType.simpleString()  # 'interval day to second'
    """
    from pyspark.sql import functions as F

    source = _Source(path, start, end)
    if source.time_zone:
        source.check_zone(
            spark.conf.get("spark.sql.session.timeZone"),
            "Spark session's time zone",
            f"spark.conf.set('spark.sql.session.timeZone', '{source.time_zone}')",
        )
    reader = spark.read
    if source.partitioned:
        reader = reader.option("basePath", str(source.path))
    frame = reader.parquet(str(source.path))
    where = source.date_filter("`")
    if where:
        frame = frame.filter(where)
    columns = []
    for name, dtype in source.schema.items():
        column = _quote(name, "`")
        if isinstance(dtype, pl.Duration):
            step = {"ms": "0.001", "us": "0.000001"}.get(dtype.time_unit)
            value = column if step else f"{column} DIV 1000"
            expr = F.expr(
                f"CAST({value} * INTERVAL '{step or '0.000001'}' SECOND AS INTERVAL DAY TO SECOND)"
            )
        elif isinstance(dtype, pl.Enum | pl.Categorical):
            expr = F.col(column).cast("string")
        else:
            expr = F.col(column)
        columns.append(expr.alias(name))
    return frame.select(*columns)
