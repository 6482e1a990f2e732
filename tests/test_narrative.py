"""Sentences: right on empty windows, and worded with the metrics' own definitions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics, narrative


@pytest.fixture(scope="module")
def calls() -> pl.DataFrame:
    return ca.sample_dialer_results(n=2_000)


@pytest.fixture(scope="module")
def traffic() -> pl.DataFrame:
    return ca.sample_leadflow_history(n=1_000)


def test_empty_speed_window_says_so(calls):
    empty = calls.clear()
    summary = metrics.speed_to_lead_summary(empty).row(0, named=True)
    assert narrative.summary_story(summary) == "No leads were dialed in this window."
    assert narrative.speed_story(metrics.outcomes_by_speed(empty)) == (
        "No leads were dialed in this window."
    )
    by_campaign = metrics.speed_to_lead_by(empty, "campaign")
    assert narrative.campaign_story(by_campaign) == "No campaign had leads in this window."


def test_leads_without_any_speed_are_not_summarised_as_a_wait():
    summary = {"leads": 3, "median": None, "within_5m": None, "p90": None}
    assert narrative.summary_story(summary) == (
        "None of the 3 leads has a speed to lead recorded, so their wait is unknown."
    )


def test_empty_agent_window_does_not_advise_lowering_min_calls(calls):
    story = narrative.agent_story(metrics.agent_performance(calls.clear()))
    assert story == "No agent handled an answered call in this window."
    assert "min_calls" not in story


def test_agents_below_min_calls_name_the_busiest(calls):
    performance = metrics.agent_performance(calls, min_calls=10_000)
    busiest = performance["calls"].max()
    assert narrative.agent_story(performance) == (
        f"No agent handled enough answered calls to be ranked (the busiest handled {busiest}); "
        "lower min_calls to rank them."
    )


def test_empty_affiliate_window_says_so(traffic):
    empty = traffic.clear()
    story = narrative.affiliate_story(
        metrics.margin_summary(empty).row(0, named=True), metrics.affiliate_margin(empty)
    )
    assert story == "No LeadFlow calls in this window."


def test_speed_story_reads_the_bucket_bounds():
    # 1–5m includes 5:00, so its leads are "within 5 minutes"; 15–60m is not "after an hour".
    frame = pl.DataFrame(
        {
            "speed_bucket": ["0–1m", "1–5m", "15–60m", "1–24h"],
            "leads": [10, 10, 5, 20],
            "contact_rate": [0.5, 0.3, 0.9, 0.2],
            "conversion_rate": [0.2, 0.1, 0.9, 0.05],
        }
    )
    assert narrative.speed_story(frame) == (
        "Leads first dialed within 5 minutes converted at 15.0% (contact 40.0%), against 5.0% "
        "(contact 20.0%) for leads first dialed after an hour."
    )
    assert narrative.FAST_WITHIN in dict(metrics.SPEED_BUCKETS).values()
    assert narrative.SLOW_AFTER in dict(metrics.SPEED_BUCKETS).values()


def test_summary_story_uses_the_within_column_of_the_fast_bound():
    summary = {"leads": 10, "median": timedelta(minutes=3), "within_5m": 0.6, "p90": None}
    assert narrative.summary_story(summary) == (
        "Half of the 10 leads waited 3m 00s or less for a first dial; 60.0% were dialed "
        "within 5 minutes (5:00 included)."
    )


def test_conversion_story_states_what_counted_and_what_did_not():
    split = pl.DataFrame(
        {
            "disposition": ["Sale", "Sale - Upsell", "No Sale", "Not Interested"],
            "counted": [True, True, False, False],
            "calls": [211, 47, 12, 309],
        },
        schema_overrides={"calls": pl.UInt32},
    )
    assert narrative.conversion_story(split) == (
        "Counted as conversions: Sale (211 calls), Sale - Upsell (47 calls). "
        "Seen but not counted: Not Interested (309 calls), No Sale (12 calls)."
    )
    assert narrative.conversion_story(split.clear()) == (
        "No agent dispositions were recorded in this window."
    )
    none_counted = split.filter(~pl.col("counted"))
    assert narrative.conversion_story(none_counted).startswith(
        "No disposition in this window counted as a conversion. Seen but not counted:"
    )


def test_margin_reconciliation_story(traffic):
    rec = metrics.margin_reconciliation(ca.sample_leadflow_history())
    assert narrative.margin_reconciliation_story(rec.summary.row(0, named=True)) == (
        "Margin $16,893.50 is revenue minus payout of qualified calls. LeadFlow's own margin "
        "column sums to $16,943.50, $50.00 more, because on 10 calls it disagrees with the "
        "prices beside it (listed below)."
    )
    same = {"margin": D("5"), "reported_margin": D("5"), "difference": D("0"), "calls": 0}
    assert narrative.margin_reconciliation_story(same) == (
        "Margin $5.00 is revenue minus payout of qualified calls; LeadFlow's own margin "
        "column agrees."
    )


def _agents(outliers: list[str | None], calls: list[int]) -> pl.DataFrame:
    n = len(outliers)
    return pl.DataFrame(
        {
            "agent_name": [f"A{i}" for i in range(n)],
            "calls": calls,
            "conversion_rate": [0.5] * n,
            "ranked": [True] * n,
            "rank": list(range(1, n + 1)),
            "aht": [timedelta(minutes=5)] * n,
            "aht_outlier": outliers,
        }
    )


def test_counts_in_report_text_are_pluralised_properly():
    one = narrative.agent_story(_agents([None, "high"], [1, 1]))
    assert "over 1 answered call." in one and "1 agent flagged" in one
    two = narrative.agent_story(_agents(["low", "high", None], [2, 2, 2]))
    assert "over 2 answered calls." in two and "2 agents flagged" in two
    assert "(s)" not in one + two
    story = narrative.affiliate_story(
        {"calls": 3, "margin": D("1"), "revenue": D("4"), "margin_pct": 0.25,
         "leakage_payout": D("3"), "leakage_calls": 1},
        pl.DataFrame({"affiliate": ["A"], "margin": [D("1")]}),
    )  # fmt: skip
    assert "1 call was paid to affiliates" in story
    lone = narrative.summary_story(
        {"leads": 1, "median": timedelta(minutes=3), "within_5m": 1.0, "p90": None}
    )
    assert lone.startswith("The one lead waited 3m 00s") and "1 leads" not in lone
    unknown = narrative.summary_story({"leads": 1, "median": None})
    assert "1 leads" not in unknown and "lead" in unknown
