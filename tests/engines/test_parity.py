"""Every metric gives the same answer on polars, DuckDB and Spark, on the same rows.

The rows are the sample plus hand-built edge cases (DST days, nulls, null group keys, a
renamed agent, half-cent margins per call; see conftest.py), read by each engine from the
Parquet polars wrote. Counts must be equal, money equal to the cent, durations to the
millisecond, instants equal, rates within 1e-12; row order and column names equal too.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl
import polars.selectors as cs
import pytest
from polars.testing import assert_frame_equal

import callanalytics.metrics as m
from callanalytics.engines import read_duckdb, read_spark
from callanalytics.metrics._frames import _spark_intervals_as_ms

# pyspark warns about pandas >= 3 whenever it converts to Arrow; nothing here uses pandas.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

Metric = Callable[[object], object]

DIALER: dict[str, Metric] = {
    "disposition_split": m.disposition_split,
    "disposition_split_list": lambda f: m.disposition_split(f, [" sale ", "SOLD"]),
    "disposition_split_regex": lambda f: m.disposition_split(f, r"(?i)\bsale\b"),
    "lead_outcomes": m.lead_outcomes,
    "speed_to_lead_summary": m.speed_to_lead_summary,
    "speed_to_lead_by_campaign": m.speed_to_lead_by,
    "speed_to_lead_by_periods": lambda f: m.speed_to_lead_by(f, ["day", "week", "month"]),
    "speed_to_lead_by_column": lambda f: m.speed_to_lead_by(f, "dial_type", success=["Sale"]),
    "speed_to_lead_heatmap": m.speed_to_lead_heatmap,
    "outcomes_by_speed": m.outcomes_by_speed,
    "agent_performance": lambda f: m.agent_performance(f, min_calls=5),
    "agent_disposition_mix": m.agent_disposition_mix,
    "agent_calls_per_hour": m.agent_calls_per_hour,
    "team_summary": lambda f: m.team_summary(f, min_calls=5),
    "team_summary_none_ranked": lambda f: m.team_summary(f, min_calls=10**6),
}
LEADFLOW: dict[str, Metric] = {
    "affiliate_margin": m.affiliate_margin,
    "affiliate_margin_offer_state": lambda f: m.affiliate_margin(f, ["offer", "state"]),
    "affiliate_margin_periods": lambda f: m.affiliate_margin(f, ["day", "week", "month"]),
    "affiliate_margin_column": lambda f: m.affiliate_margin(f, "set_name"),
    "margin_summary": m.margin_summary,
    "margin_discrepancies": m.margin_discrepancies,
    "margin_reconciliation_summary": lambda f: m.margin_reconciliation(f).summary,
    "margin_reconciliation_rows": lambda f: m.margin_reconciliation(f).rows,
}
EMPTY = {
    "dialer": [
        "lead_outcomes",
        "speed_to_lead_summary",
        "agent_performance",
        "outcomes_by_speed",
        "team_summary",
    ],
    "leadflow": ["affiliate_margin", "margin_summary", "margin_reconciliation_summary"],
}
CASES = [("dialer", name) for name in DIALER] + [("leadflow", name) for name in LEADFLOW]
CASES += [(f"{source}_empty", name) for source, names in EMPTY.items() for name in names]


def _normalized(frame: pl.DataFrame) -> pl.DataFrame:
    """Durations as ms, instants in UTC, money as exact text, ints as Int64, enums as text."""
    return frame.with_columns(
        cs.duration().dt.total_milliseconds(),
        cs.datetime().dt.convert_time_zone("UTC").dt.cast_time_unit("us"),
        cs.decimal().cast(pl.Decimal(38, 2)).cast(pl.String),
        cs.integer().cast(pl.Int64),
        (cs.categorical() | cs.enum()).cast(pl.String),
    )


def _from_duckdb(relation) -> pl.DataFrame:
    columns = [
        f'epoch_us("{c}") // 1000 AS "{c}"' if str(t) == "INTERVAL" else f'"{c}"'
        for c, t in zip(relation.columns, relation.types, strict=True)
    ]
    return relation.project(", ".join(columns)).pl()


def _from_spark(frame) -> pl.DataFrame:
    return pl.from_arrow(_spark_intervals_as_ms(frame).toArrow())


def _metric(source: str, name: str) -> Metric:
    return (DIALER | LEADFLOW)[name]


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize(("source", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_metric_is_the_same_on_every_engine(request, parquet, engine, source, name):
    metric = _metric(source, name)
    expected = metric(pl.read_parquet(parquet[source]))
    assert isinstance(expected, pl.DataFrame)
    if engine == "duckdb":
        result = metric(read_duckdb(parquet[source]))
        assert isinstance(result, duckdb.DuckDBPyRelation)  # lazy in, lazy out
        got = _from_duckdb(result)
    else:
        from pyspark.sql import DataFrame

        spark = request.getfixturevalue("spark")
        result = metric(read_spark(spark, parquet[source]))
        assert isinstance(result, DataFrame)
        got = _from_spark(result)
    if source.endswith("_empty") and name != "lead_outcomes":
        assert expected.height == (1 if "summary" in name else 0)
    assert got.columns == expected.columns
    assert_frame_equal(
        _normalized(got), _normalized(expected), check_exact=False, rel_tol=0, abs_tol=1e-12
    )


def test_polars_lazy_in_lazy_out(dialer, leadflow):
    for metric in DIALER.values():
        lazy = metric(dialer.lazy())
        assert isinstance(lazy, pl.LazyFrame)
        assert_frame_equal(lazy.collect(), metric(dialer))
    for metric in LEADFLOW.values():
        lazy = metric(leadflow.lazy())
        assert isinstance(lazy, pl.LazyFrame)
        assert_frame_equal(lazy.collect(), metric(leadflow))


def test_edge_cases_are_in_the_results(dialer, leadflow):
    """The hand-built rows reach the answers compared above (so the parity covers them)."""
    agents = m.agent_performance(dialer, min_calls=1).filter(pl.col("agent_id") == "EDGE-A1")
    assert agents["agent_name"].to_list() == ["Anne Lee"]
    leads = m.lead_outcomes(dialer).filter(pl.col("campaign_id") == "EDGE")
    spring = leads.filter(pl.col("lead_phone") == "5550000001").row(0, named=True)
    assert str(spring["arrival"]) == "2024-03-10 01:30:00-05:00"
    margins = m.affiliate_margin(leadflow).filter(pl.col("affiliate").str.starts_with("Edge"))
    per_call = dict(zip(margins["affiliate"], margins["margin_per_call"], strict=True))
    assert [str(per_call["Edge A"]), str(per_call["Edge B"])] == ["0.02", "-0.02"]
