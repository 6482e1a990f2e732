"""Speed to lead on a hand-built frame, answers worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.builders import dialer_csv


def call(phone, campaign, start, speed, disposition, agent_disposition=""):
    return {
        "callID": "1",
        "campaign_id": campaign,
        "campaign_name": f"Campaign {campaign}",
        "lead_phone": phone,
        "pass_disposition": disposition,
        "call_start": start,
        "upload_date": "2024-11-04 09:00:00",
        "speed_to_lead_first_pass": speed,
        "agent_disposition": agent_disposition,
        "lead_passes": "1",
        "duration": "1",
    }


@pytest.fixture
def calls() -> pl.DataFrame:
    rows = [
        call("1", "C1", "2024-11-04 09:00:30", "30", "NOANSWER"),
        call("1", "C1", "2024-11-04 11:00:00", "30", "ANSWER", "Sale"),
        call("2", "C1", "2024-11-04 09:03:00", "00:03:00", "ANSWER", "Not Interested"),
        call("3", "C2", "2024-11-04 11:00:00", "7200", "NOANSWER"),
        call("1", "C2", "2024-11-06 09:00:00", "2 days 00:00:00", "ANSWER", "SALE - upsell"),
    ]
    return ca.read_dialer_results(dialer_csv(rows))


def test_one_row_per_lead_from_its_earliest_pass(calls):
    leads = metrics.lead_outcomes(calls).sort("campaign_id", "lead_phone")
    assert leads.select("campaign_id", "lead_phone", "passes", "contacted", "converted").rows() == [
        ("C1", "1", 2, True, True),
        ("C1", "2", 1, True, False),
        ("C2", "1", 1, True, True),
        ("C2", "3", 1, False, False),
    ]
    assert leads["speed_bucket"].cast(pl.String).to_list() == ["0–1m", "1–5m", ">24h", "1–24h"]


def test_summary_quantiles_and_shares(calls):
    row = metrics.speed_to_lead_summary(calls).row(0, named=True)
    # speeds 30 s, 180 s, 7200 s, 172800 s; linear interpolation
    assert row["leads"] == 4
    assert row["median"] == timedelta(seconds=(180 + 7200) / 2)
    assert row["p75"] == timedelta(seconds=7200 + 0.25 * (172800 - 7200))
    assert row["p90"] == timedelta(seconds=7200 + 0.7 * (172800 - 7200))
    assert (row["within_1m"], row["within_5m"], row["within_15m"], row["within_60m"]) == (
        0.25,
        0.5,
        0.5,
        0.5,
    )
    assert (row["contact_rate"], row["conversion_rate"]) == (0.75, 0.5)


def test_success_dispositions_are_a_parameter(calls):
    exact = metrics.speed_to_lead_summary(calls, success=["not interested"])
    assert exact["conversion_rate"][0] == 0.25
    regex = metrics.speed_to_lead_summary(calls, success="^Sale$")
    assert regex["conversion_rate"][0] == 0.25


def test_outcomes_by_bucket(calls):
    out = metrics.outcomes_by_speed(calls)
    assert out.select(
        pl.col("speed_bucket").cast(pl.String), "leads", "contact_rate", "conversion_rate"
    ).rows() == [
        ("0–1m", 1, 1.0, 1.0),
        ("1–5m", 1, 1.0, 0.0),
        ("1–24h", 1, 0.0, 0.0),
        (">24h", 1, 1.0, 1.0),
    ]


def test_by_campaign_and_day_and_heatmap(calls):
    by_campaign = metrics.speed_to_lead_by(calls, "campaign")
    assert by_campaign.select("campaign_id", "leads").rows() == [("C1", 2), ("C2", 2)]
    assert by_campaign["median"].to_list() == [timedelta(seconds=105), timedelta(seconds=90000)]
    by_day = metrics.speed_to_lead_by(calls, "day")
    assert by_day.select(pl.col("day").cast(pl.String), "leads").rows() == [
        ("2024-11-04", 3),
        ("2024-11-06", 1),
    ]
    heat = metrics.speed_to_lead_heatmap(calls)
    assert heat.select("weekday", "hour", "leads").rows() == [(1, 9, 4)]  # a Monday, 9 am
    with pytest.raises(ValueError, match="'campaign', 'day', 'week', 'month'"):
        metrics.speed_to_lead_by(calls, "weeks")


def test_lazy_in_lazy_out_and_streaming(calls):
    lazy = metrics.speed_to_lead_summary(calls.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect(engine="streaming").equals(metrics.speed_to_lead_summary(calls))


def test_matches_an_independent_pandas_computation():
    sample = ca.sample_dialer_results()
    pdf = sample.select(
        "campaign_id", "lead_phone", "call_start", "speed_to_lead_first_pass"
    ).to_pandas()
    first = (
        pdf.sort_values("call_start", kind="stable")
        .groupby(["campaign_id", "lead_phone"], sort=False)
        .first()
    )
    seconds = first["speed_to_lead_first_pass"].dt.total_seconds()
    row = metrics.speed_to_lead_summary(sample).row(0, named=True)
    assert row["leads"] == len(first)
    assert row["median"].total_seconds() == pytest.approx(seconds.median(), abs=0.001)
    assert row["within_5m"] == pytest.approx((seconds <= 300).mean())


def test_heatmap_places_leads_at_arrival_not_at_the_list_upload():
    # The list was uploaded on Monday 4 Nov at 9:00; this lead was appended later and first
    # dialed on Tuesday at 14:10 after 10 minutes: it arrived on Tuesday at 14:00.
    appended = call("7", "C1", "2024-11-05 14:10:00", "600", "NOANSWER")
    no_speed = call("8", "C1", "2024-11-05 16:00:00", "", "NOANSWER")
    calls = ca.read_dialer_results(dialer_csv([appended, no_speed]))
    leads = metrics.lead_outcomes(calls).sort("lead_phone")
    assert leads["arrival_source"].to_list() == ["speed_to_lead", "upload_date"]
    assert [a.strftime("%a %H:%M") for a in leads["arrival"]] == ["Tue 14:00", "Mon 09:00"]
    heat = metrics.speed_to_lead_heatmap(calls)
    assert heat.select("weekday", "hour", "leads", "from_upload_date").rows() == [
        (1, 9, 1, 1),
        (2, 14, 1, 0),
    ]
    assert heat["median"].to_list() == [None, timedelta(minutes=10)]


@pytest.mark.parametrize("by", ["week", "month", "campaign_name", "upload_date", "lead_state"])
def test_every_by_takes_periods_and_column_names(calls, by):
    table = metrics.speed_to_lead_by(calls, by)
    assert table.columns[0] == by
    assert table["leads"].sum() == 4
