"""read_duckdb / read_spark: the cache's layout, its types as each engine sees them, pruning."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from callanalytics.cache import DayCache
from callanalytics.engines import read_duckdb, read_spark
from callanalytics.schema import DIALER_RESULTS

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

DAYS = [date(2024, 11, 4), date(2024, 11, 5), date(2024, 11, 6)]


@pytest.fixture(scope="module")
def cache(tmp_path_factory, dialer):
    """Three days in the cache's layout; the last day's file is not Parquet at all, so a
    reader that opens it fails: pruned reads must never touch it."""
    root = tmp_path_factory.mktemp("cache") / "report=dialer_results"
    days = dialer.with_columns(day=pl.col("call_start").dt.date())
    for day in DAYS:
        folder = root / "query=abc123" / f"date={day.isoformat()}"
        folder.mkdir(parents=True)
        if day == DAYS[-1]:
            (folder / "data.parquet").write_bytes(b"not parquet")
        else:
            days.filter(pl.col("day") == day).drop("day").write_parquet(folder / "data.parquet")
    return root, days.filter(pl.col("day").is_in(DAYS[:2])).drop("day")


def test_duckdb_types(parquet):
    relation = read_duckdb(parquet["dialer"])
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["duration"] == "INTERVAL"
    assert types["int_cost"] == "DECIMAL(38,4)"
    assert types["call_start"] == "TIMESTAMP WITH TIME ZONE"
    assert types["pass_disposition"].startswith("ENUM('ANSWER', 'NOANSWER'")
    leadflow = read_duckdb(parquet["leadflow"])
    assert dict(zip(leadflow.columns, map(str, leadflow.types), strict=True))["margin"] == (
        "DECIMAL(38,2)"
    )


def test_duckdb_values_round_trip(parquet, dialer):
    relation = read_duckdb(parquet["dialer"])
    row = (
        relation.project(
            "epoch_us(duration) // 1000 AS ms, call_start, CAST(pass_disposition AS VARCHAR) AS p,"
            " int_cost"
        )
        .limit(1)
        .fetchall()[0]
    )
    first = dialer.row(0, named=True)
    assert row[0] == first["duration"] // timedelta(milliseconds=1)
    assert row[1] == first["call_start"]
    assert row[2] == first["pass_disposition"]
    assert row[3] == first["int_cost"]


def test_duckdb_cache_pruned_by_date(cache):
    root, expected = cache
    with pytest.raises(duckdb.Error):
        read_duckdb(root).aggregate("count(*)").fetchall()  # the bad day is read: it fails
    relation = read_duckdb(root, start="2024-11-04", end=date(2024, 11, 6))
    assert relation.columns == expected.columns  # no report/query/date partition columns
    assert relation.aggregate("count(*)").fetchall()[0][0] == expected.height


def test_duckdb_refuses_a_connection_in_another_time_zone(parquet):
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    with pytest.raises(ValueError, match=r"America/New_York.*TimeZone is UTC"):
        read_duckdb(parquet["dialer"], connection=connection)
    connection.execute("SET TimeZone = 'America/New_York'")
    assert read_duckdb(parquet["dialer"], connection=connection).columns[0] == "callID"


def test_start_end_need_the_partitioned_cache(parquet):
    with pytest.raises(ValueError, match="date-partitioned cache"):
        read_duckdb(parquet["dialer"], start="2024-11-04")


def test_spark_types(spark, parquet):
    frame = read_spark(spark, parquet["dialer"])
    types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
    assert types["duration"] == "interval day to second"
    assert types["int_cost"] == "decimal(38,4)"
    assert types["call_start"] == "timestamp"
    assert types["pass_disposition"] == "string"
    margin = read_spark(spark, parquet["leadflow"]).schema["margin"].dataType
    assert margin.simpleString() == "decimal(38,2)"


def test_spark_cache_pruned_by_date(spark, cache):
    root, expected = cache
    frame = read_spark(spark, root, start=date(2024, 11, 4), end="2024-11-06")
    assert frame.columns == expected.columns
    assert frame.count() == expected.height
    total = frame.selectExpr("sum(int_cost) AS s").first()["s"]
    assert isinstance(total, Decimal)
    assert total == expected["int_cost"].sum()


def test_spark_refuses_a_session_in_another_time_zone(spark, parquet):
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    try:
        with pytest.raises(ValueError, match=r"America/New_York.*time zone is UTC"):
            read_spark(spark, parquet["dialer"])
    finally:
        spark.conf.set("spark.sql.session.timeZone", "America/New_York")


@pytest.fixture(scope="module")
def written_cache(tmp_path_factory, dialer):
    """Two days written the way the clients write them (DayCache.put, with the folder's
    description beside the days), not laid out by hand."""
    root = tmp_path_factory.mktemp("written")
    cache = DayCache(root, DIALER_RESULTS, {"campaigns": []}, source={"server": "test"})
    days = dialer.with_columns(day=pl.col("call_start").dt.date())
    for day in DAYS[:2]:
        cache.put(day, days.filter(pl.col("day") == day).drop("day"))
    return root / "report=dialer_results", days.filter(pl.col("day").is_in(DAYS[:2]))


def test_spark_reads_a_cache_the_clients_wrote(spark, written_cache):
    # Spark failed with CONFLICTING_PARTITION_COLUMN_NAMES on the description file.
    root, expected = written_cache
    assert expected.height > 0
    assert read_spark(spark, root).count() == expected.height
    first_day = expected.filter(pl.col("day") == DAYS[0]).height
    assert read_spark(spark, root, start=DAYS[0], end=DAYS[1]).count() == first_day


def test_duckdb_reads_a_cache_the_clients_wrote(written_cache):
    root, expected = written_cache
    assert read_duckdb(root).count("*").fetchall()[0][0] == expected.height


def test_end_is_excluded_as_everywhere_in_the_package(cache):
    # read_duckdb/read_spark took end as included, unlike load_window and the reports.
    root, _ = cache
    with pytest.raises(ValueError, match=r"end \(2024-11-04\) must be after start"):
        read_duckdb(root, start=DAYS[0], end=DAYS[0])


def test_a_given_connection_stays_usable_for_a_second_source(parquet):
    # The zone check left its result open on the caller's connection; DuckDB then refused
    # to read a second relation on it (a join of both sources needs one connection).
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'America/New_York'")
    calls = read_duckdb(parquet["dialer"], connection=connection)
    traffic = read_duckdb(parquet["leadflow"], connection=connection)
    assert calls.count("*").fetchall()[0][0] > 0
    assert traffic.count("*").fetchall()[0][0] > 0
