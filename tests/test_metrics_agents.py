"""Agent performance on hand-built calls."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.builders import dialer_csv


def answered(agent, first, talk_minutes, hold, wrap, wait, disposition, **extra):
    return {
        "callID": "1",
        "campaign_id": "C1",
        "lead_phone": "5550100",
        "lead_passes": "1",
        "pass_disposition": "ANSWER",
        "call_start": "2024-11-04 10:00:00",
        "duration": talk_minutes,
        "on_hold": hold,
        "agent_wrap_time": wrap,
        "agent_wait_time": wait,
        "agent_id": agent,
        "agent_first_name": first,
        "agent_last_name": "Lee",
        "agent_disposition": disposition,
        **extra,
    }


@pytest.fixture
def calls() -> pl.DataFrame:
    rows = [
        answered("001", "Ann", "2.00", "30", "00:01:00", "30", "Sale"),
        answered("001", "Ann", "4.00", "0", "60", "90", "Not Interested", transfer_type="WARM"),
        answered("002", "Bo", "1.00", "0", "30", "30", "Not Interested"),
        answered("", "", "0.10", "0", "", "", "") | {"pass_disposition": "NOANSWER"},
    ]
    return ca.read_dialer_results(dialer_csv(rows))


def test_per_agent_numbers(calls):
    table = metrics.agent_performance(calls, min_calls=2)
    ann, bo = table.row(0, named=True), table.row(1, named=True)
    assert (ann["agent_id"], ann["agent_name"], ann["calls"]) == ("001", "Ann Lee", 2)
    # duration includes hold: talk = 360 s - 30 s hold; AHT = (duration + wrap) / calls
    assert ann["talk"] == timedelta(seconds=330)
    assert ann["hold"] == timedelta(seconds=30)
    assert ann["wrap"] == timedelta(minutes=2)
    assert ann["wait"] == timedelta(minutes=2)
    assert ann["handle"] == timedelta(seconds=360 + 120)
    assert ann["aht"] == timedelta(seconds=(360 + 120) / 2)
    assert ann["avg_talk"] == timedelta(seconds=165)
    assert ann["avg_hold"] == timedelta(seconds=15)
    assert ann["occupancy"] == pytest.approx(480 / 600)
    assert (ann["conversion_rate"], ann["transfer_rate"]) == (0.5, 0.5)
    assert (ann["ranked"], ann["rank"], ann["aht_outlier"]) == (True, 1, None)
    assert (bo["calls"], bo["aht"], bo["occupancy"]) == (1, timedelta(seconds=90), 0.75)
    assert (bo["ranked"], bo["rank"]) == (False, None)  # below min_calls: shown, not ranked
    assert table.height == 2  # the unanswered call has no agent


def test_aht_outliers_use_tukey_fences():
    rows = [
        answered(f"00{i}", f"A{i}", minutes, "0", "0", "0", "Sale")
        for i, minutes in enumerate(["1.00", "1.10", "1.20", "1.30", "10.00"])
    ]
    table = metrics.agent_performance(ca.read_dialer_results(dialer_csv(rows)), min_calls=1)
    flags = dict(zip(table["agent_id"], table["aht_outlier"], strict=True))
    # AHTs 60, 66, 72, 78, 600 s: q1 66, q3 78, IQR 12, upper fence 96 s
    assert flags == {"000": None, "001": None, "002": None, "003": None, "004": "high"}


def test_disposition_mix_and_calls_per_hour(calls):
    mix = metrics.agent_disposition_mix(calls)
    ann = mix.filter(pl.col("agent_id") == "001").sort("agent_disposition")
    assert ann.select("agent_disposition", "calls", "share").rows() == [
        ("Not Interested", 1, 0.5),
        ("Sale", 1, 0.5),
    ]
    per_hour = metrics.agent_calls_per_hour(calls).filter(pl.col("agent_id") == "001")
    # logged = handle (duration 360 s + wrap 120 s) + wait 120 s = 600 s; hold is in duration
    assert per_hour["logged"].to_list() == [timedelta(seconds=600)]
    assert per_hour["calls_per_hour"][0] == pytest.approx(2 / (600 / 3600))


def test_matches_an_independent_pandas_computation():
    sample = ca.sample_dialer_results()
    table = metrics.agent_performance(sample, min_calls=1)
    pdf = sample.filter(pl.col("pass_disposition") == "ANSWER").to_pandas()
    pdf["handle"] = pdf["duration"].fillna(pd_zero()) + pdf["agent_wrap_time"].fillna(pd_zero())
    disposition = pdf["agent_disposition"].fillna("")
    pdf["sale"] = disposition.str.contains(r"\b(?:sale|sales|sold)\b", case=False) & ~(
        disposition.str.contains(r"\b(?:no|not|non)\b", case=False)
    )
    grouped = pdf.groupby("agent_id").agg(
        calls=("handle", "size"), aht=("handle", "mean"), conv=("sale", "mean")
    )
    ours = (
        table.select("agent_id", "calls", "aht", "conversion_rate")
        .to_pandas()
        .set_index("agent_id")
        .sort_index()
    )
    assert list(ours.index) == list(grouped.index)
    assert (ours["calls"].to_numpy() == grouped["calls"].to_numpy()).all()
    diff = (ours["aht"] - grouped["aht"]).abs().dt.total_seconds()
    assert diff.max() < 0.001
    assert ours["conversion_rate"].to_numpy() == pytest.approx(grouped["conv"].to_numpy())


def pd_zero():
    import pandas as pd

    return pd.Timedelta(0)


def test_a_renamed_agent_is_one_row_under_the_latest_name():
    rows = [
        answered("001", "Ann", "2.00", "0", "0", "0", "Sale", call_start="2024-11-04 10:00:00"),
        answered("001", "Anne", "4.00", "0", "0", "0", "No Sale", call_start="2024-11-05 10:00:00"),
        answered("001", "Ann", "1.00", "0", "0", "0", "Sale", call_start="2024-11-04 12:00:00"),
    ]
    calls = ca.read_dialer_results(dialer_csv(rows))
    table = metrics.agent_performance(calls, min_calls=1)
    assert table.select("agent_id", "agent_name", "calls", "conversions").rows() == [
        ("001", "Anne Lee", 3, 2)
    ]
    assert table["aht"][0] == timedelta(minutes=7 / 3)
    mix = metrics.agent_disposition_mix(calls)
    assert mix.select("agent_name", "agent_disposition", "calls").rows() == [
        ("Anne Lee", "Sale", 2),
        ("Anne Lee", "No Sale", 1),
    ]
    per_hour = metrics.agent_calls_per_hour(calls)
    assert per_hour.select("agent_name", "calls").rows() == [("Anne Lee", 2), ("Anne Lee", 1)]


def test_team_summary_names_both_handle_times(calls):
    # Ann: 2 calls, handle 360 s + 120 s wrap = 480 s (AHT 240 s), one Sale.
    # Bo: 1 call, handle 60 s + 30 s wrap = 90 s (AHT 90 s). The unanswered call is no one's.
    row = metrics.team_summary(calls, min_calls=1).row(0, named=True)
    assert row == {
        "agents": 2,
        "ranked_agents": 2,
        "answered_calls": 3,
        "conversions": 1,
        "conversion_rate": 1 / 3,
        "aht_all_calls": timedelta(seconds=(480 + 90) / 3),  # 190 s: pooled over calls
        "median_agent_aht": timedelta(seconds=(240 + 90) / 2),  # 165 s: the middle agent
    }
    # Only ranked agents enter the median; every answered call enters the pooled mean.
    ranked = metrics.team_summary(calls, min_calls=2).row(0, named=True)
    assert (ranked["ranked_agents"], ranked["median_agent_aht"]) == (1, timedelta(seconds=240))
    assert ranked["aht_all_calls"] == timedelta(seconds=190)
    none_ranked = metrics.team_summary(calls, min_calls=3).row(0, named=True)
    assert (none_ranked["ranked_agents"], none_ranked["median_agent_aht"]) == (0, None)
    assert set(metrics.TEAM_HANDLE_TIMES) == {"aht_all_calls", "median_agent_aht"}


def test_team_summary_median_rounds_to_the_millisecond_half_to_even():
    # Agents' AHTs 60.001 s and 60.004 s (wrap in seconds): the median is 60.0025 s, and
    # half a millisecond goes to the even side: 60.002 s.
    rows = [
        answered("001", "Ann", "1.00", "0", "0.001", "0", "Sale"),
        answered("002", "Bo", "1.00", "0", "0.004", "0", "No Sale"),
    ]
    row = metrics.team_summary(ca.read_dialer_results(dialer_csv(rows)), min_calls=1).row(
        0, named=True
    )
    assert row["median_agent_aht"] == timedelta(seconds=60, milliseconds=2)
    assert row["aht_all_calls"] == timedelta(seconds=60, milliseconds=2)  # 120.005 / 2, floored


@pytest.mark.parametrize("lazy", [False, True])
def test_team_summary_on_no_calls_is_one_row_of_zeros_and_nulls(calls, lazy):
    empty = calls.clear().lazy() if lazy else calls.clear()
    out = metrics.team_summary(empty)
    assert isinstance(out, pl.LazyFrame) is lazy
    out = out.collect() if lazy else out
    assert out.schema == metrics.team_summary(calls).schema
    assert out.rows(named=True) == [
        {
            "agents": 0,
            "ranked_agents": 0,
            "answered_calls": 0,
            "conversions": 0,
            "conversion_rate": None,
            "aht_all_calls": None,
            "median_agent_aht": None,
        }
    ]
