"""The funnel and quality functions give the same answer on polars, DuckDB and Spark.

The rows are the sample plus conftest's edge cases plus funnel edge cases built here: one
caller written four ways in the two sources (and as a lead's aux phone), a caller in both
sources across the fall-back hour of a DST day, masked and missing caller IDs, a lead whose
first dial has no start time, and a lead first dialed before the call. Each engine reads the
Parquet polars wrote. Counts equal, money to the cent, durations to the millisecond,
instants equal, rates within 1e-12; row order and column names equal too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import callanalytics.metrics as m
import callanalytics.quality as m_quality
from callanalytics.engines import read_duckdb, read_spark
from tests.engines.conftest import TZ, _at, _rows
from tests.engines.test_parity import _from_duckdb, _from_spark, _normalized

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

Pair = Callable[[object, object], object]

FUNNEL: dict[str, Pair] = {
    "match_leads": m.match_leads,
    "match_leads_wide_window": lambda t, c: m.match_leads(t, c, within=timedelta(days=400)),
    "lead_funnel": m.lead_funnel,
    "lead_funnel_valued": lambda t, c: m.lead_funnel(
        t, c, sale_value={"EDGE": "250.00", "Campaign 10453": 99}, success=["Sale"]
    ),
    "lead_funnel_periods": lambda t, c: m.lead_funnel(t, c, by=["day", "week", "month"]),
    "lead_funnel_offer_state": lambda t, c: m.lead_funnel(t, c, by=["offer", "state"]),
    "lead_funnel_column": lambda t, c: m.lead_funnel(t, c, by="lead_status"),
    "lead_funnel_summary": lambda t, c: m.lead_funnel_summary(t, c, sale_value=Decimal("300")),
    "callback_outcomes": m.callback_outcomes,
}
EMPTY = ["match_leads", "lead_funnel_valued", "lead_funnel_summary", "callback_outcomes"]
CASES = [(name, "") for name in FUNNEL] + [(name, "_empty") for name in EMPTY]


def funnel_leadflow(sample: pl.DataFrame) -> pl.DataFrame:
    """Callers for the funnel edges: one number written four ways, masks, nulls, DST hours."""
    base = sample.head(1)
    calls = [
        # The same caller, twice: before and after the fall-back hour's repeat.
        ("FUN-1", "617-555-0100", _at("2024-11-03T01:30:00")),
        ("FUN-2", "+1 (617) 555-0100", _at("2024-11-03T01:30:00", fold=1)),
        ("FUN-3", "XXX-XXX-0100", _at("2024-11-03T09:00:00")),  # masked
        ("FUN-4", None, _at("2024-11-03T09:00:00")),  # missing
        ("FUN-5", "2125550199", _at("2024-11-04T10:00:00")),  # dialed before the call
        ("FUN-6", "7185550122", _at("2024-11-04T11:00:00")),  # a lead's aux phone
        ("FUN-7", "6175550100", None),  # no call date
    ]
    changes = [
        {"sid": sid, "caller_id": caller, "call_date": at, "affiliate": "Funnel edge"}
        for sid, caller, at in calls
    ]
    return _rows(base, changes)


def funnel_dialer(sample: pl.DataFrame) -> pl.DataFrame:
    """Leads for the funnel edges, in the Dialer's own formats."""
    base = sample.filter(pl.col("pass_disposition") == "ANSWER").head(1)
    common = {"campaign_id": "EDGE", "campaign_name": "Edge cases", "aux_phone": None}
    dials = [
        # 617 as a lead, first dialed 45 minutes after FUN-1 (across the repeated hour).
        {"lead_phone": "(617) 555-0100", "call_start": _at("2024-11-03T01:15:00", fold=1)},
        {
            "lead_phone": "(617) 555-0100",
            "call_start": _at("2024-11-04T09:00:00"),
            "agent_disposition": "Sale",
        },
        # The same number in another campaign, written with its country code.
        {"campaign_id": "EDGE2", "lead_phone": "16175550100", "call_start": None},
        {
            "campaign_id": "EDGE2",
            "lead_phone": "1 617 555 0100",
            "call_start": _at("2024-11-05T08:00:00"),
            "pass_disposition": "NOANSWER",
        },
        {"lead_phone": "212.555.0199", "call_start": _at("2024-11-04T09:00:00")},
        {
            "lead_phone": "718-555-0111",
            "aux_phone": "+1 (718) 555-0122",
            "call_start": _at("2024-11-04T11:30:00"),
            "agent_disposition": "Sale - Upsell",
        },
    ]
    return _rows(base, [common | dial for dial in dials])


@pytest.fixture(scope="module")
def frames(dialer, leadflow) -> dict[str, pl.DataFrame]:
    traffic = pl.concat([leadflow, funnel_leadflow(leadflow)])
    calls = pl.concat([dialer, funnel_dialer(dialer)])
    return {
        "traffic": traffic,
        "calls": calls,
        "traffic_empty": traffic.head(0),
        "calls_empty": calls.head(0),
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory, frames) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("funnel")
    paths = {}
    for name, frame in frames.items():
        paths[name] = folder / f"{name}.parquet"
        frame.write_parquet(paths[name])
    return paths


def _duckdb(files, suffix: str):
    """Both sources on one connection (a join needs one)."""
    connection = duckdb.connect()
    connection.execute(f"SET TimeZone = '{TZ}'").fetchall()
    relations = []
    for source in ("traffic", "calls"):
        relations.append(read_duckdb(files[f"{source}{suffix}"], connection=connection))
    return tuple(relations)


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize(("name", "suffix"), CASES, ids=[f"{n}{s}" for n, s in CASES])
def test_funnel_is_the_same_on_every_engine(request, files, engine, name, suffix):
    metric = FUNNEL[name]
    expected = metric(
        pl.read_parquet(files[f"traffic{suffix}"]), pl.read_parquet(files[f"calls{suffix}"])
    )
    assert isinstance(expected, pl.DataFrame)
    if engine == "duckdb":
        result = metric(*_duckdb(files, suffix))
        assert isinstance(result, duckdb.DuckDBPyRelation)  # lazy in, lazy out
        got = _from_duckdb(result)
    else:
        from pyspark.sql import DataFrame

        spark = request.getfixturevalue("spark")
        traffic = read_spark(spark, files[f"traffic{suffix}"])
        result = metric(traffic, read_spark(spark, files[f"calls{suffix}"]))
        assert isinstance(result, DataFrame)
        got = _from_spark(result)
    if suffix:
        assert expected.height == (1 if "summary" in name else 0)
    assert got.columns == expected.columns
    assert_frame_equal(
        _normalized(got), _normalized(expected), check_exact=False, rel_tol=0, abs_tol=1e-12
    )


def test_the_funnel_edges_are_in_the_results(frames):
    """The hand-built rows reach the answers compared above (so the parity covers them)."""
    rows = m.match_leads(frames["traffic"], frames["calls"]).filter(
        pl.col("affiliate") == "Funnel edge"
    )
    got = {r["sid"]: r for r in rows.iter_rows(named=True)}
    # FUN-1 at 01:30 EDT and the first dial at 01:15 EST are 45 minutes apart; FUN-2 at
    # 01:30 EST is after that dial, but matches the second campaign's lead (first dialed
    # 11-05), written without and with its country code.
    assert got["FUN-1"]["speed_to_callback"] == timedelta(minutes=45)
    assert (got["FUN-1"]["leads"], got["FUN-2"]["leads"]) == (2, 1)
    assert got["FUN-1"]["converted"] is True
    assert [got[s]["unmatched_reason"] for s in ("FUN-3", "FUN-4")] == ["invalid_number"] * 2
    assert got["FUN-5"]["unmatched_reason"] == "dialed_before_call"
    assert (got["FUN-6"]["leads"], got["FUN-6"]["converted"]) == (1, True)
    assert got["FUN-7"]["unmatched_reason"] == "no_dial"
    assert got["FUN-1"]["caller"] == "•••0100"


def test_polars_lazy_in_lazy_out(frames):
    traffic, calls = frames["traffic"], frames["calls"]
    for metric in FUNNEL.values():
        lazy = metric(traffic.lazy(), calls.lazy())
        assert isinstance(lazy, pl.LazyFrame)
        assert_frame_equal(lazy.collect(), metric(traffic, calls))


# --------------------------------------------------------------------------- quality

QUALITY: dict[str, dict[str, Callable[[object], object]]] = {
    "calls": {
        "dialer_quality": lambda f: m_quality.dialer_quality(f),
        "dialer_quality_window": lambda f: m_quality.dialer_quality(
            f, start="2024-11-03", end="2024-11-05", read_report={"coerced": {"duration": 2}}
        ),
        "dialer_quality_baseline": lambda f: m_quality.dialer_quality(f, baseline=f),
        "null_shares": lambda f: m_quality.null_shares(f),
    },
    "traffic": {
        "leadflow_quality": lambda f: m_quality.leadflow_quality(f),
        "leadflow_quality_window": lambda f: m_quality.leadflow_quality(
            f, start="2024-11-03", end="2024-11-04", read_report={"blank_rows": 2}
        ),
        "null_shares_baseline": lambda f: m_quality.null_shares(f, f),
    },
}
QUALITY_CASES = [(s, n, "") for s, names in QUALITY.items() for n in names]
QUALITY_CASES += [(s, n, "_empty") for s, n in [("calls", "dialer_quality_window")]]
QUALITY_CASES += [("traffic", "leadflow_quality", "_empty"), ("calls", "null_shares", "_empty")]


def _with_flaws(frames: dict[str, pl.DataFrame], source: str, suffix: str) -> pl.DataFrame:
    """The rows plus what the quality checks look for: a duplicate, a negative and an
    over-long duration, an agent on an unanswered call, a margin that disagrees."""
    frame = frames[f"{source}{suffix}"]
    if suffix:
        return frame
    head = frame.head(1)
    if source == "calls":
        flawed = head.with_columns(
            pl.lit(-1500, pl.Int64).cast(pl.Duration("ms")).alias("duration"),
            pl.lit(timedelta(hours=13)).cast(pl.Duration("ms")).alias("on_hold"),
            pl.lit("NOANSWER").cast(frame.schema["pass_disposition"]).alias("pass_disposition"),
        )
    else:
        flawed = head.with_columns(
            pl.lit(Decimal("1.23")).cast(frame.schema["margin"]).alias("margin"),
            pl.lit(timedelta(seconds=5000))
            .cast(frame.schema["talk_seconds"])
            .alias("talk_seconds"),
        )
    return pl.concat([frame, flawed])


@pytest.fixture(scope="module")
def quality_files(tmp_path_factory, frames) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("quality")
    paths = {}
    for source in ("calls", "traffic"):
        for suffix in ("", "_empty"):
            paths[f"{source}{suffix}"] = folder / f"{source}{suffix}.parquet"
            _with_flaws(frames, source, suffix).write_parquet(paths[f"{source}{suffix}"])
    return paths


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize(
    ("source", "name", "suffix"), QUALITY_CASES, ids=[f"{n}{x}" for _, n, x in QUALITY_CASES]
)
def test_quality_is_the_same_on_every_engine(request, quality_files, engine, source, name, suffix):
    check = QUALITY[source][name]
    path = quality_files[f"{source}{suffix}"]
    expected = check(pl.read_parquet(path))
    assert isinstance(expected, pl.DataFrame)
    if engine == "duckdb":
        result = check(read_duckdb(path))
        assert isinstance(result, duckdb.DuckDBPyRelation)
        got = _from_duckdb(result)
    else:
        from pyspark.sql import DataFrame

        result = check(read_spark(request.getfixturevalue("spark"), path))
        assert isinstance(result, DataFrame)
        got = _from_spark(result)
    if "quality" in name:
        found = expected.filter(pl.col("status") == "found")["check"].to_list()
        # the flaws are found; on no rows only what the reader counted can be
        assert set(found) <= {"coerced_to_null", "blank_rows"} if suffix else len(found) >= 4
    assert got.columns == expected.columns
    assert_frame_equal(
        _normalized(got), _normalized(expected), check_exact=False, rel_tol=0, abs_tol=1e-12
    )
