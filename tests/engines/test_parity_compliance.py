"""Every compliance check gives the same answer on polars, DuckDB and Spark, on the same rows.

The rows are the sample plus hand-built edge cases (below): dials at 20:59:59 and 21:00:00
local, a state with stricter hours (Florida ends at 20:00) and Sunday hours (Texas), both
DST change days and the repeated hour at fall back for a lead three zones away, leads whose
zone is unknown, nulls (no call time, no number, no campaign), an abandonment rate crossing
3% and back within 30 days, four dials to one Florida number in 24 hours, a do-not-call
request followed by a redial, and a 30-day limit (from a rules file) counted across the
fall-back day. Each engine reads the Parquet polars wrote. Counts must be equal, durations
equal to the millisecond, instants equal, rates within 1e-12; row order and columns equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import duckdb
import polars as pl
import polars.selectors as cs
import pytest
from polars.testing import assert_frame_equal

import callanalytics as ca
from callanalytics.engines import read_duckdb, read_spark
from callanalytics.metrics import compliance
from tests.engines.test_parity import _from_duckdb, _from_spark
from tests.test_compliance import dial, dials

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

_RULES_30D = (
    "code,start,end,max_calls_30d,citation\n"
    "US,08:00,21:00,,47 CFR 64.1200(c)(1)\n"
    "NY,09:00,21:00,2,House policy\n"
)


def _abandon_days() -> list[dict]:
    """'Crossing': 2 of 100 abandoned on day 1, 3 of 50 on day 10 (5 of 150, above 3%),
    then 0 of 100 on day 35 (the bad days have left the 30-day window)."""
    rows, n = [], 5000
    for day, answered, abandoned in ((0, 98, 2), (9, 47, 3), (34, 100, 0)):
        for i in range(answered + abandoned):
            rows.append(
                dial(
                    datetime(2024, 9, 1, 10) + timedelta(days=day, minutes=i),
                    n=n,
                    campaign_name="Crossing",
                    lead_phone=f"71855{n:05d}",
                    lead_state="NY",
                    pass_disposition="ANSWER" if i < answered else "ABANDON",
                )
            )
            n += 1
    return rows


def edge_calls() -> pl.DataFrame:
    night = datetime(2024, 10, 28, 20, 59, 59)
    fl = {"lead_state": "FL", "campaign_name": "Florida", "lead_phone": "3055550101"}
    la = {"lead_timezone": "PST", "campaign_name": "West", "lead_phone": "3105550100"}
    ny_30d = {"lead_state": "NY", "campaign_name": "Monthly", "lead_phone": "2125550300"}
    rows = [
        # Federal hours: 20:59:59 is inside, 21:00:00 outside; 07:59:59 outside, 08:00 inside.
        dial(night, n=1, lead_state="NY"),
        dial(night + timedelta(seconds=1), n=2, lead_state="NY"),
        dial(datetime(2024, 10, 28, 7, 59, 59), n=3, lead_state="NY"),
        dial(datetime(2024, 10, 28, 8), n=4, lead_state="NY"),
        # Florida ends at 20:00 and allows three dials in 24 hours (the fourth is one too many;
        # exactly 24 hours later the first has left the window).
        dial(datetime(2024, 10, 29, 9), n=5, **fl),
        dial(datetime(2024, 10, 29, 10), n=6, **fl),
        dial(datetime(2024, 10, 29, 19, 59, 59), n=7, **fl),
        dial(datetime(2024, 10, 30, 9), n=8, **fl),
        dial(datetime(2024, 10, 30, 9, 0, 1), n=9, **fl),
        dial(datetime(2024, 10, 30, 20), n=10, **fl),
        # Texas: noon on Sunday 2024-11-10.
        dial(datetime(2024, 11, 10, 12, 59, 59), n=11, lead_state="TX"),
        dial(datetime(2024, 11, 10, 13), n=12, lead_state="TX"),
        # A lead three zones away on both DST change days, and the repeated 01:30 at fall back
        # (01:30 EDT and 01:30 EST, an hour apart; 22:30 and 23:30 PDT the evening before).
        dial(datetime(2024, 3, 10, 10, 59, 59), n=13, **la),
        dial(datetime(2024, 3, 10, 11), n=14, **la),
        dial(datetime(2024, 11, 3, 23, 59, 59), n=15, **la),
        dial(datetime(2024, 11, 4), n=16, **la),
        dial(datetime(2024, 11, 3, 1, 30), n=17, **la),
        # Arizona keeps MST all year.
        dial(datetime(2024, 7, 1, 23, 59, 59), n=18, lead_state="AZ"),
        dial(datetime(2024, 7, 2), n=19, lead_state="AZ"),
        # Zones that cannot be placed, and nulls.
        dial(datetime(2024, 10, 28, 12), n=20, zip="090", lead_phone="2125550020"),
        dial(datetime(2024, 10, 28, 12), n=21, lead_timezone="MST", lead_phone="2125550021"),
        dial(None, n=22, lead_state="NY", lead_phone="2125550022"),
        dial(datetime(2024, 10, 28, 13), n=23, lead_state="NY", lead_phone=None),
        dial(datetime(2024, 10, 28, 14), n=24, lead_state="CA", campaign_name=None),
        dial(datetime(2024, 10, 28, 15), n=25, state="Texas", zip="75001"),
        dial(datetime(2024, 10, 28, 15), n=26, zip="33101-1234", lead_phone="+1 305 555 0126"),
        # A do-not-call request, then a redial in another campaign two hours later.
        dial(datetime(2024, 10, 28, 10), n=27, lead_phone="2125550027", lead_state="NY"),
        dial(
            datetime(2024, 10, 28, 11),
            n=28,
            lead_phone="2125550027",
            lead_state="NY",
            agent_disposition="Do-Not-Call",
        ),
        dial(datetime(2024, 10, 28, 13), n=29, lead_phone="12125550027", campaign_name="Auto"),
        # 30 calendar days across the fall-back day (a 30-day limit of 2 in _RULES_30D): the
        # dial 30 days after the first is not counted with it, the one a second later is.
        dial(datetime(2024, 10, 20, 12), n=30, **ny_30d),
        dial(datetime(2024, 11, 1, 12), n=31, **ny_30d),
        dial(datetime(2024, 11, 19, 12), n=32, **ny_30d),
        dial(datetime(2024, 11, 19, 12, 0, 1), n=33, **ny_30d),
    ]
    return pl.concat([dials(rows), dials(_abandon_days())]).with_columns(campaign_id=pl.lit("EDGE"))


@pytest.fixture(scope="module")
def calls_parquet(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("compliance")
    sample = ca.sample_dialer_results()
    frame = pl.concat([sample, edge_calls().select(sample.columns)])
    paths: dict[str, object] = {"calls": folder / "calls.parquet"}
    frame.write_parquet(paths["calls"])
    paths["empty"] = folder / "empty.parquet"
    frame.head(0).write_parquet(paths["empty"])
    paths["rules"] = folder / "rules_30d.csv"
    paths["rules"].write_text(_RULES_30D, encoding="utf-8")
    return paths


Check = Callable[..., object]

CHECKS: dict[str, Callable[[object, dict], object]] = {
    "with_lead_local_time": lambda f, p: compliance.with_lead_local_time(f),
    "calling_hours": lambda f, p: compliance.calling_hours(f),
    "calling_hours_own_rules": lambda f, p: compliance.calling_hours(f, rules=p["rules"]),
    "abandonment_rates": lambda f, p: compliance.abandonment_rates(f),
    "abandonment_rates_7d": lambda f, p: compliance.abandonment_rates(
        f, limit=0.05, margin=0.02, days=7
    ),
    "call_frequency": lambda f, p: compliance.call_frequency(f),
    "call_frequency_30d": lambda f, p: compliance.call_frequency(f, rules=p["rules"]),
    "dnc_redials": lambda f, p: compliance.dnc_redials(f),
    "dnc_redials_listed_grace": lambda f, p: compliance.dnc_redials(
        f, dispositions=["do-not-call", "DNC"], grace=timedelta(minutes=90)
    ),
    "compliance_findings": lambda f, p: compliance.compliance_findings(f),
    "compliance_findings_options": lambda f, p: compliance.compliance_findings(
        f, rules=p["rules"], abandon_limit=0.02, abandon_margin=0.01, dnc_grace=timedelta(hours=3)
    ),
    "compliance_summary": lambda f, p: compliance.compliance_summary(f),
    "compliance_summary_options": lambda f, p: compliance.compliance_summary(
        f, rules=p["rules"], abandon_limit=0.02, dnc_dispositions=r"(?i)do.not"
    ),
}
CASES = [("calls", name) for name in CHECKS] + [("empty", name) for name in CHECKS]


def _normalized(frame: pl.DataFrame) -> pl.DataFrame:
    """Durations as ms, instants in UTC, ints as Int64, enums as text (naive wall clocks,
    such as ``local_start``, stay as they are)."""
    return frame.with_columns(
        cs.duration().dt.total_milliseconds(),
        cs.datetime(time_zone="*").dt.convert_time_zone("UTC").dt.cast_time_unit("us"),
        cs.integer().cast(pl.Int64),
        (cs.categorical() | cs.enum()).cast(pl.String),
    )


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize(("source", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_compliance_is_the_same_on_every_engine(request, calls_parquet, engine, source, name):
    check = CHECKS[name]
    expected = check(pl.read_parquet(calls_parquet[source]), calls_parquet)
    assert isinstance(expected, pl.DataFrame)
    if engine == "duckdb":
        result = check(read_duckdb(calls_parquet[source]), calls_parquet)
        assert isinstance(result, duckdb.DuckDBPyRelation)  # lazy in, lazy out
        got = _from_duckdb(result)
    else:
        from pyspark.sql import DataFrame

        spark = request.getfixturevalue("spark")
        result = check(read_spark(spark, calls_parquet[source]), calls_parquet)
        assert isinstance(result, DataFrame)
        got = _from_spark(result)
    if source == "empty":
        assert expected.height == (5 if "summary" in name else 0)
    assert got.columns == expected.columns
    got, expected = _normalized(got), _normalized(expected)
    if name == "with_lead_local_time":  # the caller's rows, in no order on DuckDB or Spark
        got, expected = (f.sort(f.columns, nulls_last=True) for f in (got, expected))
    assert_frame_equal(got, expected, check_exact=False, rel_tol=0, abs_tol=1e-12)


def test_the_edge_cases_reach_the_answers(calls_parquet):
    """The hand-built rows are in the results compared above (so the parity covers them)."""
    calls = pl.read_parquet(calls_parquet["calls"])
    hours = compliance.calling_hours(calls).filter(pl.col("callID").str.starts_with("call00"))
    status = dict(zip(hours["callID"], hours["status"], strict=True))
    # Federal 21:00 and 08:00 bounds; Florida's 20:00; Texas' Sunday noon (Central time).
    outside = {"call0002", "call0003", "call0010", "call0011"}
    inside = {"call0001", "call0004", "call0007", "call0012"}
    # Los Angeles on both DST days and the repeated hour; Arizona without DST.
    outside |= {"call0013", "call0016", "call0017", "call0019"}
    inside |= {"call0014", "call0015", "call0018"}
    assert {status[c] for c in outside} == {"outside hours"}
    assert not inside & set(status)
    assert status["call0020"] == status["call0021"] == "zone unknown"
    assert status["call0022"] == "no call time"
    rates = compliance.abandonment_rates(calls).filter(pl.col("campaign") == "Crossing")
    assert set(rates["status"]) >= {"above", "ok"}
    frequency = compliance.call_frequency(calls)
    assert frequency.filter(pl.col("campaign") == "Florida")["callID"].to_list() == ["call0009"]
    monthly = compliance.call_frequency(calls, rules=calls_parquet["rules"])
    assert monthly.filter(pl.col("campaign") == "Monthly")["callID"].to_list() == ["call0033"]
    redials = compliance.dnc_redials(calls).filter(pl.col("callID").str.starts_with("call00"))
    assert redials["callID"].to_list() == ["call0029"]


def test_polars_lazy_in_lazy_out(calls_parquet):
    calls = pl.read_parquet(calls_parquet["calls"])
    for check in CHECKS.values():
        lazy = check(calls.lazy(), calls_parquet)
        assert isinstance(lazy, pl.LazyFrame)
        assert_frame_equal(lazy.collect(), check(calls, calls_parquet))
