"""Affiliate margin on hand-built LeadFlow records."""

from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.builders import leadflow_json


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
    assert b["margin_per_call"] == D("16.67")  # 50.00 / 3, to the nearest cent
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


@pytest.mark.parametrize(("by", "rows"), [("day", 1), ("week", 1), ("month", 1), ("lf_state", 1)])
def test_every_by_takes_periods_and_column_names(traffic, by, rows):
    table = metrics.affiliate_margin(traffic, by)
    assert (table.columns[0], table.height, table["margin"].sum()) == (by, rows, D("60.00"))


def test_an_unknown_by_lists_the_choices(traffic):
    with pytest.raises(ValueError, match="'affiliate', 'offer', 'state', 'day', 'week', 'month'"):
        metrics.affiliate_margin(traffic, "weeks")


def test_by_day_is_sorted_by_date():
    rows = [
        record("A", "Connected", "Y", "10.00", "N", "0.00", "10.00", call_date=f"2024-11-0{d}")
        for d in (4, 3, 5)
    ] + [record("A", "Connected", "Y", "90.00", "N", "0.00", "90.00", call_date="2024-11-05")]
    table = metrics.affiliate_margin(ca.read_leadflow_history(leadflow_json(rows)), "day")
    assert [str(d) for d in table["day"]] == ["2024-11-03", "2024-11-04", "2024-11-05"]


def test_margin_reconciliation_on_the_sample():
    rec = metrics.margin_reconciliation(ca.sample_leadflow_history())
    summary = rec.summary.row(0, named=True)
    assert (summary["margin"], summary["reported_margin"], summary["difference"]) == (
        D("16893.50"),
        D("16943.50"),
        D("50.00"),
    )
    assert (summary["calls"], summary["unexplained"]) == (10, D("0.00"))
    assert rec.rows.height == 10
    assert rec.rows["difference"].sum() == D("50.00")
    assert summary["margin"] == metrics.margin_summary(ca.sample_leadflow_history())["margin"][0]


def test_margin_reconciliation_by_hand(traffic):
    rec = metrics.margin_reconciliation(traffic.lazy())
    assert isinstance(rec.summary, pl.LazyFrame)
    summary = rec.summary.collect().row(0, named=True)
    # ours 90 - 30 = 60; LeadFlow's column 25 - 15 + 0 + 45 + 0 = 55; one call (B) explains it
    assert (summary["margin"], summary["reported_margin"], summary["difference"]) == (
        D("60.00"),
        D("55.00"),
        D("-5.00"),
    )
    assert rec.rows.collect()["sid"].to_list() == ["BConnected"]
