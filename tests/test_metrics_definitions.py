"""The definitions every report shares: what counts as a conversion, and the speed buckets."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.builders import dialer_csv

DISPOSITIONS = {
    "Sale": True,
    "SALE - upsell": True,
    "Closed sale": True,
    "Sold": True,
    "No Sale": False,
    "Not Sold - Sale Pending": False,
    "Non-sale": False,
    "NO SALE": False,
    "Wholesale inquiry": False,  # "sale" inside a word is not the word
    "Salesforce sync": False,
    "Not Interested": False,
    # Dialer codes join words with _ - or /: they are word separators (QA: SALE_CLOSED missed).
    "SALE_CLOSED": True,
    "Sale/Upsell": True,
    # A sales department, an enquiry or a sale undone is not a sale (QA: all counted).
    "Transferred to Sales": False,
    "Sales Inquiry": False,
    "Sales callback requested": False,
    "Pre-sale": False,
    "Sale cancelled": False,
    "Sale canceled": False,
    "Sale refunded": False,
    "Sale - Declined": False,
    "Sale Pending": False,
    "Lost sale": False,
    "NO_SALE": False,
}


def one_call_each(dispositions) -> pl.DataFrame:
    rows = [
        {
            "callID": str(i),
            "campaign_id": "C1",
            "lead_phone": f"555010{i:02d}",
            "pass_disposition": "ANSWER",
            "call_start": "2024-11-04 10:00:00",
            "speed_to_lead_first_pass": "30",
            "agent_id": "001",
            "agent_disposition": d,
            "lead_passes": "1",
            "duration": "1",
        }
        for i, d in enumerate(dispositions)
    ]
    return ca.read_dialer_results(dialer_csv(rows))


def test_default_rule_matches_whole_words_and_refuses_negations():
    calls = one_call_each(DISPOSITIONS)
    leads = metrics.lead_outcomes(calls).sort("lead_phone")
    got = dict(zip(calls.sort("lead_phone")["agent_disposition"], leads["converted"], strict=True))
    assert got == DISPOSITIONS


def test_disposition_split_lists_counted_and_not_counted():
    calls = one_call_each([*DISPOSITIONS, "Sale", "No Sale"])
    split = metrics.disposition_split(calls)
    assert split.schema == pl.Schema(
        {"disposition": pl.String, "counted": pl.Boolean, "calls": pl.UInt32}
    )
    assert split.filter(pl.col("counted"))["disposition"].sort().to_list() == sorted(
        d for d, ok in DISPOSITIONS.items() if ok
    )
    as_dict = {r["disposition"]: (r["counted"], r["calls"]) for r in split.iter_rows(named=True)}
    assert as_dict["Sale"] == (True, 2)
    assert as_dict["No Sale"] == (False, 2)
    assert split.height == len(DISPOSITIONS)
    assert split["counted"].to_list() == sorted(split["counted"].to_list(), reverse=True)


def test_disposition_split_follows_the_given_rule_and_laziness():
    calls = one_call_each(["Sale", "Appointment Set", "No Sale"])
    split = metrics.disposition_split(calls.lazy(), success=["appointment set"])
    assert isinstance(split, pl.LazyFrame)
    counted = split.collect().filter(pl.col("counted"))["disposition"].to_list()
    assert counted == ["Appointment Set"]


def test_the_rule_is_stated_in_words():
    assert metrics.describe_success() == (
        'A disposition counts as a conversion when it contains the word "sale" or "sold" '
        '(whole words, any case; _ - / and spaces separate words) and none of the words "no", '
        '"not", "non", "pre", "pending", "cancel", "cancelled", "canceled", "declined", '
        '"refund", "refunded", "lost".'
    )
    assert "'^Sale$'" in metrics.describe_success("^Sale$")


EMPTY_RULE_USERS = {
    "describe_success": lambda calls, rule: metrics.describe_success(rule),
    "success_expr": lambda calls, rule: metrics.success_expr("agent_disposition", rule),
    "disposition_split": lambda calls, rule: metrics.disposition_split(calls, success=rule),
    "speed_to_lead_summary": lambda calls, rule: metrics.speed_to_lead_summary(calls, success=rule),
    "agent_performance": lambda calls, rule: metrics.agent_performance(calls, success=rule),
    "lead_funnel": lambda calls, rule: metrics.lead_funnel(
        ca.sample_leadflow_history(n=5), calls, success=rule
    ),
}


@pytest.mark.parametrize("rule", [[], (), ["Sale", "  "]], ids=["list", "tuple", "blank"])
@pytest.mark.parametrize("name", list(EMPTY_RULE_USERS))
def test_an_empty_success_list_is_an_error_not_a_rule_that_counts_nothing(name, rule):
    """``success=[]`` once meant "nothing counts" in the library while the reports read it as
    the default rule; one meaning now: a mistake, with the way out in the message."""
    calls = one_call_each(["Sale", "No Sale"])
    with pytest.raises(ValueError, match=r"success: .*use None for the default rule"):
        EMPTY_RULE_USERS[name](calls, rule)


def test_a_bad_success_pattern_is_a_clear_error():
    with pytest.raises(ValueError, match="success"):
        metrics.disposition_split(one_call_each(["Sale"]), success="(unclosed")


def speeds(*seconds: float) -> pl.DataFrame:
    rows = [
        {
            "callID": str(i),
            "campaign_id": "C1",
            "lead_phone": f"5550{i:03d}",
            "pass_disposition": "NOANSWER",
            "call_start": "2024-11-04 10:00:00",
            "speed_to_lead_first_pass": f"{s:.3f}",
            "lead_passes": "1",
        }
        for i, s in enumerate(seconds)
    ]
    return ca.read_dialer_results(dialer_csv(rows))


@pytest.mark.parametrize(
    ("seconds", "bucket", "within"),
    [
        (60, "0–1m", {1: True, 5: True, 15: True, 60: True}),
        (60.001, "1–5m", {1: False, 5: True, 15: True, 60: True}),
        (300, "1–5m", {1: False, 5: True, 15: True, 60: True}),
        (300.001, "5–15m", {1: False, 5: False, 15: True, 60: True}),
        (900, "5–15m", {1: False, 5: False, 15: True, 60: True}),
        (900.001, "15–60m", {1: False, 5: False, 15: False, 60: True}),
        (3600, "15–60m", {1: False, 5: False, 15: False, 60: True}),
        (3600.001, "1–24h", {1: False, 5: False, 15: False, 60: False}),
        (86400, "1–24h", {1: False, 5: False, 15: False, 60: False}),
        (86400.001, ">24h", {1: False, 5: False, 15: False, 60: False}),
    ],
)
def test_bucket_and_within_share_one_inclusive_boundary(seconds, bucket, within):
    calls = speeds(seconds)
    assert metrics.lead_outcomes(calls)["speed_bucket"].cast(pl.String).to_list() == [bucket]
    row = metrics.speed_to_lead_summary(calls).row(0, named=True)
    assert {m: row[f"within_{m}m"] == 1.0 for m in within} == within


def test_speed_buckets_expose_inclusive_upper_bounds():
    labels = [label for label, _ in metrics.SPEED_BUCKETS]
    assert labels == ["0–1m", "1–5m", "5–15m", "15–60m", "1–24h", ">24h"]
    assert dict(metrics.SPEED_BUCKETS)["1–5m"] == timedelta(minutes=5)
    assert metrics.SPEED_WITHIN == (
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    )


def test_a_misspelt_by_suggests_the_grouping_meant():
    """QA: by="weak" listed every choice but did not say 'week' was meant."""
    with pytest.raises(ValueError, match=r"did you mean 'week'\?"):
        metrics.speed_to_lead_by(ca.sample_dialer_results(n=50), "weak")
    with pytest.raises(ValueError, match=r"did you mean 'affiliate'\?"):
        metrics.affiliate_margin(ca.sample_leadflow_history(n=50), "afiliate")
