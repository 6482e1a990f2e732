"""The synthetic generator: deterministic, realistic, and identical through the readers."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import callanalytics as ca
from callanalytics.schema import DIALER_RESULTS, LEADFLOW_HISTORY

_fast = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parsed_csv(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


@_fast
@given(
    n=st.integers(1, 400),
    seed=st.integers(0, 2**16),
    days=st.integers(1, 30),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_dialer_wire_file_holds_what_the_sample_promises(n, seed, days, start):
    """Issue 11: this compared read(raw) with sample(), which is read(raw): determinism only.
    Now the raw CSV, parsed with the csv module, is held to the generator's promises."""
    raw = ca.sample_dialer_results(n, start=start, days=days, seed=seed, raw=True)
    assert re.fullmatch(r'(?:"(?:[^"]|"")*"[,\n])+', raw.decode("utf-8"))  # all quoted
    rows = parsed_csv(raw)
    assert len(rows) == n and len({row["ID"] for row in rows}) == n
    midnight = datetime(start.year, start.month, start.day)
    starts = [datetime.strptime(row["call_start"], "%Y-%m-%d %H:%M:%S") for row in rows]
    assert starts == sorted(starts) and starts[0] > midnight
    for row, wall in zip(rows, starts, strict=True):
        assert re.fullmatch(r"\d{30}", row["callID"])
        assert row["callID"][:14] == wall.strftime("%Y%m%d%H%M%S")
        assert datetime.strptime(row["upload_date"], "%Y-%m-%d %H:%M:%S") <= wall
        assert row["pass_disposition"] in ca.schema.PASS_DISPOSITIONS
        assert (row["agent_disposition"] == "") == (row["pass_disposition"] != "ANSWER")
    frame = ca.sample_dialer_results(n, start=start, days=days, seed=seed)
    assert frame["callID"].to_list() == [row["callID"] for row in rows]
    assert [t.replace(tzinfo=None) for t in frame["call_start"].to_list()] == starts


@_fast
@given(
    n=st.integers(1, 400),
    seed=st.integers(0, 2**16),
    days=st.integers(1, 30),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_leadflow_wire_response_holds_what_the_sample_promises(n, seed, days, start):
    """Issue 11: the raw JSON, parsed with the json module, against the generator's promises
    (not against read(raw), which is what the sample returns)."""
    records = json.loads(ca.sample_leadflow_history(n, start=start, days=days, seed=seed, raw=True))
    records = records["response"]
    assert len(records) == n and len({record["sid"] for record in records}) == n
    midnight = datetime(start.year, start.month, start.day)
    calls = [datetime.strptime(r["call_date"], "%Y-%m-%d %H:%M:%S") for r in records]
    # (in time order but for a spring-forward gap, whose times move an hour later)
    assert midnight <= min(calls) and max(calls) < midnight + timedelta(days=days, hours=1)
    margins = []
    for record in records:
        price, payout = Decimal(str(record["offer_price"])), Decimal(str(record["affiliate_price"]))
        assert price > 0 if record["offer_qualified"] == "Y" else price == 0
        assert payout > 0 if record["affiliate_qualified"] == "Y" else payout == 0
        margin = Decimal(str(record["margin"]))
        assert margin - (price - payout) in (0, Decimal("5.00"))  # a rare misreported margin
        margins.append(margin)
    frame = ca.sample_leadflow_history(n, start=start, days=days, seed=seed)
    assert frame["margin"].to_list() == margins
    assert frame["sid"].to_list() == [record["sid"] for record in records]


def test_samples_are_deterministic_and_seeded():
    assert ca.sample_dialer_results(300, seed=3).equals(ca.sample_dialer_results(300, seed=3))
    assert not ca.sample_dialer_results(300, seed=3).equals(ca.sample_dialer_results(300, seed=4))


def test_sample_files_round_trip_through_every_format(tmp_path):
    paths = ca.write_sample_files(tmp_path, n_dialer=500, n_leadflow=400)
    assert len(parsed_csv(paths["dialer_csv"].read_bytes())) == 500
    assert len(json.loads(paths["leadflow_json"].read_bytes())["response"]) == 400
    dialer = ca.read_dialer_results(paths["dialer_csv"])
    assert dialer.equals(pl.read_parquet(paths["dialer_parquet"]))
    assert dialer.schema == DIALER_RESULTS.polars_schema()
    leadflow = ca.read_leadflow_history(paths["leadflow_json"])
    assert leadflow.equals(pl.read_parquet(paths["leadflow_parquet"]))
    assert leadflow.schema == LEADFLOW_HISTORY.polars_schema()


def test_dialer_sample_is_realistic():
    calls = ca.sample_dialer_results()
    shares = calls["pass_disposition"].value_counts(normalize=True)
    share = dict(zip(shares["pass_disposition"].cast(pl.String), shares["proportion"], strict=True))
    assert set(share) == set(ca.schema.PASS_DISPOSITIONS)
    assert 0.15 < share["ANSWER"] < 0.45 and share["NOANSWER"] > share["CONGESTION"]
    speed = calls["speed_to_lead_first_pass"]
    assert speed.min() < timedelta(minutes=1) and speed.max() > timedelta(days=1)
    per_agent = (
        calls.filter(pl.col("pass_disposition") == "ANSWER")
        .group_by("agent_id")
        .agg(conv=pl.col("agent_disposition").str.contains("(?i)sale").mean())
    )
    assert per_agent.height >= 10
    assert per_agent["conv"].max() - per_agent["conv"].min() > 0.1  # agents differ in skill
    offsets = calls["call_start"].dt.dst_offset().unique()
    assert offsets.len() == 2  # the default window spans the fall-back DST change
    assert calls["callID"].str.len_chars().unique().to_list() == [30]
    uii_time = calls["callID"].str.slice(0, 14)
    assert uii_time.equals(calls["call_start"].dt.strftime("%Y%m%d%H%M%S").alias("callID"))
    assert calls["zip"].str.starts_with("0").any()  # leading zeros kept
    answered = calls.filter(pl.col("pass_disposition") == "ANSWER")
    assert answered["agent_disposition"].null_count() == 0
    assert answered["agent_id"].null_count() == 0
    unanswered = calls.filter(pl.col("pass_disposition") != "ANSWER")
    assert unanswered["agent_disposition"].null_count() == unanswered.height


def test_leadflow_sample_is_realistic():
    calls = ca.sample_leadflow_history()
    assert (calls["margin"] < 0).any()
    assert calls["repeat_affiliate_caller"].any()
    rates = calls.group_by("affiliate").agg(pl.col("affiliate_qualified").mean())
    assert rates["affiliate_qualified"].max() - rates["affiliate_qualified"].min() > 0.15
    assert calls["lead_status"].n_unique() == 4
    mismatch = calls.filter(pl.col("margin") != pl.col("offer_price") - pl.col("affiliate_price"))
    assert 0 < mismatch.height < calls.height * 0.02
    assert calls["call_date"].dt.dst_offset().n_unique() == 2


def test_unsold_leadflow_callers_reappear_as_dialer_leads():
    traffic, calls = ca.sample_leadflow_history(), ca.sample_dialer_results()
    rows = ca.metrics.match_leads(traffic, calls)
    matched = rows.filter(pl.col("leads") > 0)
    assert 0.1 < matched["caller"].len() / traffic.height < 0.5
    # The floor calls back the unsold (a caller's later, sold call may match the same lead).
    assert matched["offer_qualified"].mean() < traffic["offer_qualified"].mean() / 2
    speed = matched["speed_to_callback"]
    assert speed.min() > timedelta(0)
    assert speed.min() < timedelta(minutes=10) and speed.max() > timedelta(days=2)
    # Numbers written the way list owners write them, some as the lead's aux phone.
    phones = calls["lead_phone"]
    for pattern in (r"^\(\d{3}\) \d{3}-\d{4}$", r"^\+1 \d{3} \d{3} \d{4}$", r"^1\d{10}$"):
        assert phones.str.contains(pattern).any(), pattern
    assert calls["aux_phone"].drop_nulls().len() > 0
    # A few withheld caller IDs never match, and say so.
    invalid = rows.filter(pl.col("unmatched_reason") == "invalid_number").height
    assert 0 < invalid < traffic.height * 0.03


def test_callback_conversion_depends_on_the_affiliate():
    funnel = ca.metrics.lead_funnel(ca.sample_leadflow_history(), ca.sample_dialer_results())
    rate = funnel.select("affiliate", (pl.col("converted") / pl.col("dialed")).alias("r"))
    by_name = dict(rate.iter_rows())
    assert by_name["Granite Performance"] > 2 * by_name["Ion Affiliates"]
    assert rate["r"].max() - rate["r"].min() > 0.1


def test_callbacks_are_seeded_and_optional():
    traffic = ca.sample_leadflow_history(800, seed=5)
    one = ca.metrics.match_leads(traffic, ca.sample_dialer_results(1_500, seed=5, leadflow_n=800))
    two = ca.metrics.match_leads(traffic, ca.sample_dialer_results(1_500, seed=5, leadflow_n=800))
    assert one.equals(two) and one["leads"].sum() > 0
    none = ca.sample_dialer_results(1_500, seed=5, leadflow_n=0)
    assert ca.metrics.match_leads(traffic, none)["leads"].sum() == 0
    # Callbacks come from their own random stream: the rest of the sample is unchanged.
    keep = ["pass_disposition", "agent_id", "duration"]
    assert (
        none.sort("ID")
        .select(keep)
        .equals(ca.sample_dialer_results(1_500, seed=5, leadflow_n=800).sort("ID").select(keep))
    )


def test_sample_phone_numbers_are_valid_unless_withheld():
    from callanalytics.phones import phone_quality

    traffic = ca.sample_leadflow_history()
    quality = phone_quality(traffic, "caller_id").row(0, named=True)
    withheld = traffic["caller_id"].str.contains(r"^(Restricted|\d{7})$").sum()
    assert quality["valid"] == traffic.height - withheld
    dialer = phone_quality(ca.sample_dialer_results(), "lead_phone").row(0, named=True)
    assert dialer["valid"] == dialer["rows"]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "UTC", "America/New_York"])
def test_callbacks_follow_the_call_in_any_dialer_zone_across_dst(zone):
    window = {"start": "2025-03-03", "days": 14, "seed": 2}  # spans the 9 March spring-forward
    traffic = ca.sample_leadflow_history(800, **window)
    calls = ca.sample_dialer_results(1_500, timezone=zone, leadflow_n=800, **window)
    matched = ca.metrics.match_leads(traffic, calls).filter(pl.col("leads") > 0)
    assert matched.height > 50
    assert matched["speed_to_callback"].min() > timedelta(0)


def test_the_sample_carries_a_few_planted_findings_of_each_kind():
    from callanalytics import quality
    from callanalytics.metrics import compliance

    calls, traffic = ca.sample_dialer_results(), ca.sample_leadflow_history()
    summary = compliance.compliance_summary(calls)
    found = dict(zip(summary["rule"], summary["violations"], strict=True))
    assert found["calling_hours"] == 4  # NY 21:05, CA 07:45, FL 20:15, TX Sunday 11:30
    hours = compliance.calling_hours(calls).filter(pl.col("status") == "outside hours")
    local = sorted(hours["local_start"].dt.strftime("%H:%M").to_list())
    assert local == ["07:45", "11:30", "20:15", "21:05"]
    unknown = compliance.calling_hours(calls).filter(pl.col("status") == "zone unknown")
    assert 0 < unknown["number"].n_unique() <= 3
    assert found["frequency_24h"] == 1 and found["frequency_30d"] == 0
    redials = compliance.dnc_redials(calls)
    assert 0 < redials["number"].n_unique() <= 3
    rates = compliance.abandonment_rates(calls)
    worst = rates.group_by("campaign").agg(pl.col("rate").max()).sort("rate")
    assert (worst["rate"] > 0.03).sum() == 1 and (worst["rate"] > 0.025).sum() == 2
    assert worst["rate"].min() < 0.02
    outside = calls.filter(
        pl.col("call_start") >= pl.datetime(2024, 11, 11, time_zone="America/New_York")
    )
    assert outside.height == 0  # every dial inside the sample's window

    dialer = dict(quality.dialer_quality(calls).select("check", "rows").iter_rows())
    assert dialer["duplicate_call_id"] == 4 and dialer["agent_on_unanswered"] == 2
    assert 0 < dialer["agent_conn_before_first_pass"] <= 20
    assert dialer["dial_before_upload"] == 1 and dialer["negative_duration"] == 1
    assert dialer["duration_over_12h"] == 1
    leadflow = dict(quality.leadflow_quality(traffic).select("check", "rows").iter_rows())
    for check in (
        "talk_over_total",
        "call_duration_not_ceil",
        "talk_minutes_not_tenths",
        "affiliate_paid_not_connected",
        "state_mismatch",
        "duplicate_sid",
    ):
        assert leadflow[check] == 2, check
    small = ca.sample_dialer_results(500)  # smaller samples stay clean
    clean = compliance.compliance_summary(small).filter(pl.col("rule") != "abandonment")
    assert clean["violations"].sum() == 0  # (abandonment on 500 dials is a matter of chance)
    assert quality.dialer_quality(small).filter(pl.col("rows") > 0)["check"].to_list() == []
