"""Affiliate margin on hand-built LeadFlow records."""

from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.conftest import leadflow_json


def record(affiliate, status, offer_q, price, aff_q, payout, margin, **extra):
    return {
        "call_date": "2024-11-04 10:00:00",
        "affiliate": affiliate,
        "lead_status": status,
        "offer_qualified": offer_q,
        "offer_price": price,
        "affiliate_qualified": aff_q,
        "affiliate_price": payout,
        "margin": margin,
        "repeat_affiliate_caller": "N",
        "affiliate_cap": "N",
        "contest_qualification": "N",
        "caller_id": "3125550199",
        "sid": affiliate + status,
        "lf_state": "IL",
        **extra,
    }


@pytest.fixture
def traffic() -> pl.DataFrame:
    rows = [
        record("A", "Connected", "Y", "40.00", "Y", "15.00", "25.00"),
        record("A", "Connected", "N", "0.00", "Y", "15.00", "-15.00"),
        record("B", "Hang Up", "N", "0.00", "N", "0.00", "0.00", repeat_affiliate_caller="Y"),
        record("B", "Connected", "Y", "50.00", "N", "0.00", "45.00", contest_qualification="Y"),
        record("B", "Affiliate Cap", "N", "0.00", "N", "0.00", "0.00", affiliate_cap="Y"),
    ]
    return ca.read_leadflow_history(leadflow_json(rows))


def test_per_affiliate(traffic):
    table = metrics.affiliate_margin(traffic)
    b, a = table.row(0, named=True), table.row(1, named=True)  # highest margin first
    assert (a["affiliate"], a["calls"], a["revenue"], a["payout"], a["margin"]) == (
        "A",
        2,
        D("40.00"),
        D("30.00"),
        D("10.00"),
    )
    assert (a["connected_rate"], a["offer_qualified_rate"], a["affiliate_qualified_rate"]) == (
        1.0,
        0.5,
        1.0,
    )
    assert (a["margin_pct"], a["margin_per_call"]) == (0.25, D("5.00"))
    assert (a["leakage_calls"], a["leakage_payout"]) == (1, D("15.00"))
    assert (b["affiliate"], b["calls"], b["revenue"], b["payout"], b["margin"]) == (
        "B",
        3,
        D("50.00"),
        D("0.00"),
        D("50.00"),
    )
    assert b["connected_rate"] == pytest.approx(1 / 3)
    assert b["repeat_caller_share"] == pytest.approx(1 / 3)
    assert (b["cap_hits"], b["contested_calls"], b["revenue_at_risk"]) == (1, 1, D("50.00"))
    assert b["margin_per_call"] in (D("16.66"), D("16.67"))
    assert table.schema["margin"] == pl.Decimal(38, 2)


def test_other_groupings_and_summary(traffic):
    assert metrics.affiliate_margin(traffic, "state")["calls"].to_list() == [5]
    assert metrics.affiliate_margin(traffic, "day")["margin"].to_list() == [D("60.00")]
    offers = metrics.affiliate_margin(traffic, ["affiliate", "lead_status"])
    assert offers.height == 4
    total = metrics.margin_summary(traffic).row(0, named=True)
    assert (total["revenue"], total["payout"], total["margin"]) == (
        D("90.00"),
        D("30.00"),
        D("60.00"),
    )


def test_margin_discrepancies_are_listed_with_masked_callers(traffic):
    issues = metrics.margin_discrepancies(traffic)
    assert issues.select("sid", "margin", "expected_margin", "difference", "caller").rows() == [
        ("BConnected", D("45.00"), D("50.00"), D("-5.00"), "•••0199")
    ]


def test_lazy_input_gives_lazy_output(traffic):
    lazy = metrics.affiliate_margin(traffic.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(metrics.affiliate_margin(traffic))


def test_matches_an_independent_pandas_computation():
    sample = ca.sample_leadflow_history()
    pdf = sample.to_pandas()
    pdf["revenue"] = pdf["offer_price"].where(pdf["offer_qualified"], D("0"))
    pdf["payout"] = pdf["affiliate_price"].where(pdf["affiliate_qualified"], D("0"))
    expected = pdf.groupby("affiliate").agg(revenue=("revenue", "sum"), payout=("payout", "sum"))
    ours = metrics.affiliate_margin(sample).to_pandas().set_index("affiliate").sort_index()
    assert list(ours["revenue"]) == list(expected["revenue"].sort_index())
    assert list(ours["payout"]) == list(expected["payout"].sort_index())
    assert all(isinstance(v, D) for v in ours["margin"])  # never float
