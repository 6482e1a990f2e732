"""One local Spark session and one DuckDB connection for the whole run; the shared rows.

Spark needs Java (``.ci/run`` installs Debian's openjdk-17-jre-headless) and the ``spark``
extra (``make test`` installs it): without them these tests fail, they are never skipped.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

import callanalytics as ca

TZ = "America/New_York"
_ZONE = ZoneInfo(TZ)


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java: install openjdk-17-jre-headless (.ci/run does)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("callanalytics-tests")
        .config("spark.ui.enabled", "false")
        # Small data: one shuffle partition, no adaptive re-planning, no code generation
        # (compiling each query costs more than running it here).
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", TZ)
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _at(text: str, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=_ZONE, fold=fold)


def _rows(base: pl.DataFrame, changes: list[dict]) -> pl.DataFrame:
    """One copy of ``base``'s single row per change, with those columns set."""
    out = []
    for change in changes:
        row = base.row(0, named=True) | change
        out.append(pl.DataFrame([row], schema=base.schema, orient="row"))
    return pl.concat(out)


def edge_dialer(sample: pl.DataFrame) -> pl.DataFrame:
    """Hand-built calls: DST days, nulls, a renamed agent, a nameless agent, a 5:00 bound."""
    base = sample.filter(pl.col("pass_disposition") == "ANSWER").head(1)
    common = {"campaign_id": "EDGE", "campaign_name": "Edge cases", "agent_id": "EDGE-A1"}
    minutes = timedelta(minutes=1)
    calls = [
        # Spring forward: arrival 01:30 EST, first dial 03:30 EDT (one hour of wall clock).
        {
            "lead_phone": "5550000001",
            "call_start": _at("2024-03-10T03:30:00"),
            "speed_to_lead_first_pass": 60 * minutes,
            "agent_first_name": "Ann",
            "agent_last_name": "Lee",
            "agent_disposition": "Sale",
        },
        {
            "lead_phone": "5550000001",
            "call_start": _at("2024-03-10T04:00:00"),
            "speed_to_lead_first_pass": None,
            "pass_disposition": "NOANSWER",
            "agent_first_name": "Ann",
            "agent_last_name": "Lee",
        },
        # Fall back: the second 01:30 (EST); arrival 45 minutes earlier, in EDT.
        {
            "lead_phone": "5550000002",
            "call_start": _at("2024-11-03T01:30:00", fold=1),
            "speed_to_lead_first_pass": 45 * minutes,
            "agent_first_name": "Ann",
            "agent_last_name": "Lee",
            "agent_disposition": "No Sale",
        },
        # The agent renamed: the latest call's name is shown.
        {
            "lead_phone": "5550000003",
            "call_start": _at("2024-11-05T10:00:00"),
            "speed_to_lead_first_pass": 5 * minutes,
            "agent_first_name": "Anne",
            "agent_last_name": "Lee",
            "agent_disposition": "sold",
        },
        # Nulls: no start, speed, upload date, disposition, duration or hold.
        {
            "lead_phone": "5550000004",
            "call_start": None,
            "speed_to_lead_first_pass": None,
            "speed_to_lead_agent_conn": None,
            "upload_date": None,
            "agent_disposition": None,
            "duration": None,
            "on_hold": None,
            "agent_wrap_time": None,
            "agent_wait_time": None,
        },
        # An agent with no name at all, and one pass with no pass disposition.
        {
            "lead_phone": "5550000005",
            "agent_id": "EDGE-A2",
            "agent_first_name": None,
            "agent_last_name": None,
            "call_start": _at("2024-11-06T09:00:00"),
        },
        {
            "lead_phone": "5550000005",
            "agent_id": "EDGE-A2",
            "pass_disposition": None,
            "call_start": _at("2024-11-06T09:05:00"),
            "speed_to_lead_first_pass": None,
        },
        # A lead whose campaign id is missing (a null group key).
        {
            "lead_phone": "5550000006",
            "campaign_id": None,
            "agent_id": "EDGE-A3",
            "call_start": _at("2024-11-07T12:00:00"),
        },
    ]
    return _rows(base, [common | call for call in calls])


def edge_leadflow(sample: pl.DataFrame) -> pl.DataFrame:
    """Hand-built calls: half-cent margins per call, null prices and flags, DST hours."""
    base = sample.head(1).with_columns(pl.lit(None, pl.Boolean).alias("contest_qualification"))
    cents = Decimal("0.03")

    def call(sid: str, **change) -> dict:
        return {
            "sid": sid,
            "offer_qualified": False,
            "affiliate_qualified": False,
            "call_date": _at("2024-11-04T12:00:00"),
        } | change

    calls = [
        # 0.03 over 2 calls: 0.015 → 0.02 (half to even); -0.05 over 2: -0.025 → -0.02.
        call("EDGE-1", affiliate="Edge A", offer_qualified=True, offer_price=cents, margin=cents),
        call("EDGE-2", affiliate="Edge A", margin=Decimal("0.00")),
        call(
            "EDGE-3",
            affiliate="Edge B",
            affiliate_qualified=True,
            affiliate_price=Decimal("0.05"),
            margin=Decimal("-0.05"),
        ),
        call("EDGE-4", affiliate="Edge B", margin=None),
        # Null prices and flags; a missing caller id; the two 01:30s of 2024-11-03.
        call(
            "EDGE-5",
            affiliate="Edge C",
            offer_qualified=None,
            offer_price=None,
            affiliate_qualified=True,
            affiliate_price=None,
            caller_id=None,
            call_date=_at("2024-11-03T01:30:00"),
            lead_status=None,
        ),
        call(
            "EDGE-6",
            affiliate="Edge C",
            offer_qualified=True,
            offer_price=None,
            call_date=_at("2024-11-03T01:30:00", fold=1),
            contest_qualification=True,
        ),
        call(
            "EDGE-7",
            affiliate=None,
            offer_qualified=True,
            offer_price=Decimal("12.34"),
            margin=Decimal("12.34"),
            call_date=_at("2024-03-10T03:15:00"),
        ),
    ]
    return _rows(base, calls)


@pytest.fixture(scope="session")
def dialer() -> pl.DataFrame:
    sample = ca.sample_dialer_results()
    return pl.concat([sample, edge_dialer(sample)])


@pytest.fixture(scope="session")
def leadflow() -> pl.DataFrame:
    sample = ca.sample_leadflow_history()
    return pl.concat([sample, edge_leadflow(sample)])


@pytest.fixture(scope="session")
def parquet(tmp_path_factory, dialer, leadflow) -> dict[str, Path]:
    """The rows as polars writes them (``frame.write_parquet``), and empty files alike."""
    folder = tmp_path_factory.mktemp("engines")
    paths = {}
    for name, frame in {"dialer": dialer, "leadflow": leadflow}.items():
        paths[name] = folder / f"{name}.parquet"
        frame.write_parquet(paths[name])
        paths[f"{name}_empty"] = folder / f"{name}_empty.parquet"
        frame.head(0).write_parquet(paths[f"{name}_empty"])
    return paths
