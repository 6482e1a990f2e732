"""The lead funnel on hand-built frames whose every count and amount is worked out by hand.

LeadFlow calls (Eastern), all on Monday 2024-11-04:

    sid  affiliate caller            time   offer q/price  aff q/price   what happens
    a1   A  617-555-0100             10:00  Y 40.00        Y 15.00       L1 first dialed 10:30 ET
    a2   A  +1 617 555 0100          10:20  N              N             same caller, L1 at 10:30
    a3   A  212-555-0199             11:00  N              Y 15.00       L2 dialed 10:00 ET: before
    a4   A  Anonymous                11:30  Y 30.00        Y 10.00       invalid number
    b1   B  3125550142               12:00  Y 50.00        Y 20.00       L3 dialed 36 days later
    b2   B  4155550123               12:10  N              N             never dialed
    b3   B  7185550111               13:00  Y 45.00        Y 25.00       L4's lead phone
    b4   B  7185550122               13:05  N              Y 25.00       L4's aux phone

The dialer runs in Central time, an hour behind: L1's first dial at 09:30 CT is 10:30 ET.

    lead  campaign  lead_phone        aux_phone           passes (Central)
    L1    10        (617) 555-0100    -                   11-04 09:30 NOANSWER, 11-05 09:00 Sale
    L1b   30        16175550100       -                   11-06 08:00 NOANSWER
    L2    10        212-555-0199      -                   11-04 09:00 Sale
    L3    20        312.555.0142      -                   12-10 09:00 ANSWER Not Interested
    L4    20        718-555-0111      +1 (718) 555-0122   11-04 12:30 Sale - Upsell

So 617-555-0100 appears in four formats, and a1 and a2 each match L1 and L1b (3 passes).
A: revenue 70.00, payout 40.00, margin 30.00; B: revenue 95.00, payout 70.00, margin 25.00.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal as D

import polars as pl
import pytest

import callanalytics as ca
from callanalytics import metrics
from tests.builders import dialer_csv, leadflow_json

CENTRAL = "America/Chicago"


def _call(sid, affiliate, caller, time, offer=None, payout=None, **extra):
    return {
        "sid": sid,
        "call_date": f"2024-11-04 {time}:00",
        "affiliate": affiliate,
        "advertiser": "Acme",
        "offer": "Final Expense",
        "lf_state": "MA",
        "caller_id": caller,
        "lead_status": "Connected",
        "offer_qualified": "Y" if offer else "N",
        "offer_price": offer or "0.00",
        "affiliate_qualified": "Y" if payout else "N",
        "affiliate_price": payout or "0.00",
        "margin": "0.00",
        **extra,
    }


def _dial(n, campaign, phone, start, disposition, agent=None, aux=None):
    names = {"10": "Campaign Ten", "20": "Campaign Twenty", "30": "Campaign Thirty"}
    return {
        "callID": start.replace("-", "").replace(" ", "").replace(":", "") + f"{n:016d}",
        "ID": f"{n:06d}",
        "campaign_id": campaign,
        "campaign_name": names[campaign],
        "lead_phone": phone,
        "aux_phone": aux or "",
        "lead_passes": "1",
        "pass_disposition": disposition,
        "agent_disposition": agent or "",
        "call_start": start,
    }


TRAFFIC = [
    _call("a1", "A", "617-555-0100", "10:00", "40.00", "15.00"),
    _call("a2", "A", "+1 617 555 0100", "10:20"),
    _call("a3", "A", "212-555-0199", "11:00", None, "15.00"),
    _call("a4", "A", "Anonymous", "11:30", "30.00", "10.00"),
    _call("b1", "B", "3125550142", "12:00", "50.00", "20.00"),
    _call("b2", "B", "4155550123", "12:10"),
    _call("b3", "B", "7185550111", "13:00", "45.00", "25.00"),
    _call("b4", "B", "7185550122", "13:05", None, "25.00"),
]
DIALS = [
    _dial(1, "10", "(617) 555-0100", "2024-11-04 09:30:00", "NOANSWER"),
    _dial(2, "10", "(617) 555-0100", "2024-11-05 09:00:00", "ANSWER", "Sale"),
    _dial(3, "30", "16175550100", "2024-11-06 08:00:00", "NOANSWER"),
    _dial(4, "10", "212-555-0199", "2024-11-04 09:00:00", "ANSWER", "Sale"),
    _dial(5, "20", "312.555.0142", "2024-12-10 09:00:00", "ANSWER", "Not Interested"),
    _dial(
        6,
        "20",
        "718-555-0111",
        "2024-11-04 12:30:00",
        "ANSWER",
        "Sale - Upsell",
        "+1 (718) 555-0122",
    ),
]


@pytest.fixture
def traffic() -> pl.DataFrame:
    return ca.read_leadflow_history(leadflow_json(TRAFFIC))


@pytest.fixture
def calls() -> pl.DataFrame:
    return ca.read_dialer_results(dialer_csv(DIALS), timezone=CENTRAL)


def test_match_leads_one_row_per_call_with_why(traffic, calls):
    rows = metrics.match_leads(traffic, calls)
    assert rows["sid"].to_list() == [r["sid"] for r in TRAFFIC]
    got = rows.select(
        "sid", "leads", "passes", "contacted", "converted", pl.col("unmatched_reason").cast(str)
    ).rows()
    assert got == [
        ("a1", 2, 3, True, True, None),
        ("a2", 2, 3, True, True, None),
        ("a3", 0, 0, False, False, "dialed_before_call"),
        ("a4", 0, 0, False, False, "invalid_number"),
        ("b1", 0, 0, False, False, "outside_window"),
        ("b2", 0, 0, False, False, "no_dial"),
        ("b3", 1, 1, True, True, None),
        ("b4", 1, 1, True, True, None),
    ]
    # Instants, not wall clocks: 09:30 Central is 30 minutes after 10:00 Eastern.
    speed = dict(zip(rows["sid"], rows["speed_to_callback"], strict=True))
    assert speed["a1"] == timedelta(minutes=30)
    assert speed["a2"] == timedelta(minutes=10)
    assert speed["b3"] == timedelta(minutes=30)
    assert speed["b4"] == timedelta(minutes=25)
    assert speed["a3"] is None and speed["b1"] is None
    assert rows.schema["first_dial"] == calls.schema["call_start"]  # the dialer's zone
    assert str(rows["first_dial"][0]) == "2024-11-04 09:30:00-06:00"


def test_no_phone_number_leaves_beyond_its_last_four_digits(traffic, calls):
    rows = metrics.match_leads(traffic, calls)
    assert rows["caller"].to_list()[:3] == ["•••0100", "•••0100", "•••0199"]
    text = str(rows.rows()) + str(metrics.lead_funnel(traffic, calls).rows())
    assert "Anonymous" not in text
    assert not re.search(r"\d{3}\D{0,2}555", text)


def test_a_wider_window_matches_the_late_callback(traffic, calls):
    rows = metrics.match_leads(traffic, calls, within=timedelta(days=40))
    b1 = rows.filter(pl.col("sid") == "b1").row(0, named=True)
    assert (b1["leads"], b1["contacted"], b1["converted"], b1["unmatched_reason"]) == (
        1,
        True,
        False,
        None,
    )
    assert b1["speed_to_callback"] == timedelta(days=36, hours=-2)  # 09:00 CT is 10:00 ET
    with pytest.raises(ValueError, match="within must be a positive timedelta"):
        metrics.match_leads(traffic, calls, within=timedelta(0))


def test_funnel_per_affiliate_worked_by_hand(traffic, calls):
    table = metrics.lead_funnel(traffic, calls)
    a, b = table.row(0, named=True), table.row(1, named=True)  # highest margin first
    assert a == {
        "affiliate": "A",
        "calls": 4,
        "callers": 2,  # 617 (twice) and 212; "Anonymous" is not a number
        "invalid_numbers": 1,
        "qualified": 2,
        "dialed": 1,
        "contacted": 1,
        "converted": 1,
        "sales": 1,
        "dial_rate": 0.5,
        "conversion_rate": 0.5,
        "median_callback": timedelta(minutes=20),  # 30 and 10 minutes
        "revenue": D("70.00"),
        "payout": D("40.00"),
        "margin": D("30.00"),
        "margin_per_converted": D("30.00"),
    }
    assert b == {
        "affiliate": "B",
        "calls": 4,
        "callers": 4,
        "invalid_numbers": 0,
        "qualified": 2,
        "dialed": 2,  # the two numbers of lead L4
        "contacted": 2,
        "converted": 2,
        "sales": 1,  # ... who made one sale
        "dial_rate": 0.5,
        "conversion_rate": 0.5,
        "median_callback": timedelta(minutes=27, seconds=30),  # 30 and 25 minutes
        "revenue": D("95.00"),
        "payout": D("70.00"),
        "margin": D("25.00"),
        "margin_per_converted": D("12.50"),
    }


def test_funnel_margin_is_the_affiliate_reports_margin(traffic, calls):
    funnel = metrics.lead_funnel(traffic, calls).sort("affiliate")
    report = metrics.affiliate_margin(traffic).sort("affiliate")
    assert funnel.select("affiliate", "revenue", "payout", "margin").equals(
        report.select("affiliate", "revenue", "payout", "margin")
    )


def test_one_sale_value_counts_each_sale_once(traffic, calls):
    table = metrics.lead_funnel(traffic, calls, sale_value=D("200"))
    got = table.select("affiliate", "downstream_revenue", "unvalued_sales", "total_margin").rows()
    assert got == [("A", D("200.00"), 0, D("230.00")), ("B", D("200.00"), 0, D("225.00"))]


def test_sale_value_per_campaign_by_id_or_name(traffic, calls):
    table = metrics.lead_funnel(traffic, calls, sale_value={"10": 200, "Campaign Twenty": "300"})
    got = table.sort("affiliate").select("affiliate", "downstream_revenue", "total_margin").rows()
    assert got == [("A", D("200.00"), D("230.00")), ("B", D("300.00"), D("325.00"))]
    partial = metrics.lead_funnel(traffic, calls, sale_value={"10": D("200.00")}).sort("affiliate")
    assert partial.select("downstream_revenue", "unvalued_sales").rows() == [
        (D("200.00"), 0),
        (D("0.00"), 1),
    ]
    with pytest.raises(ValueError, match=r"sale_value\['10'\]"):
        metrics.lead_funnel(traffic, calls, sale_value={"10": "19.999"})
    without = metrics.lead_funnel(traffic, calls)
    assert "downstream_revenue" not in without.columns


def test_the_success_rule_is_the_reports_rule(traffic, calls):
    table = metrics.lead_funnel(traffic, calls, success=["Sale - Upsell"]).sort("affiliate")
    assert table.select("converted", "sales", "margin_per_converted").rows() == [
        (0, 0, None),
        (2, 1, D("12.50")),
    ]
    rows = metrics.match_leads(traffic, calls, success=r"(?i)upsell")
    assert rows.filter(pl.col("converted"))["sid"].to_list() == ["b3", "b4"]


def test_funnel_by_period_offer_state_and_columns(traffic, calls):
    day = metrics.lead_funnel(traffic, calls, by="day")
    assert day.select("day", "calls", "callers", "dialed", "converted", "sales", "margin").rows()[
        0
    ][1:] == (8, 6, 3, 3, 2, D("55.00"))
    assert str(day["day"][0]) == "2024-11-04"
    assert metrics.lead_funnel(traffic, calls, by="week")["week"].cast(str).to_list() == [
        "2024-11-04"
    ]
    offer = metrics.lead_funnel(traffic, calls, by="offer")
    assert offer.columns[:2] == ["advertiser", "offer"] and offer["calls"].to_list() == [8]
    assert metrics.lead_funnel(traffic, calls, by="state")["lf_state"].to_list() == ["MA"]
    assert metrics.lead_funnel(traffic, calls, by=["affiliate", "lead_status"]).height == 2
    with pytest.raises(ValueError, match="by='nope' is not a grouping"):
        metrics.lead_funnel(traffic, calls, by="nope")


def test_lazy_in_lazy_out_streaming_equals_eager(traffic, calls):
    eager = metrics.lead_funnel(traffic, calls, sale_value=D("200"))
    lazy = metrics.lead_funnel(traffic.lazy(), calls.lazy(), sale_value=D("200"))
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect(engine="streaming").equals(eager)
    rows = metrics.match_leads(traffic.lazy(), calls.lazy())
    assert isinstance(rows, pl.LazyFrame)
    assert rows.collect(engine="streaming").equals(metrics.match_leads(traffic, calls))


def test_empty_window_gives_empty_frames_of_the_same_schema(traffic, calls):
    full = metrics.lead_funnel(traffic, calls, sale_value=D("1"))
    empty = metrics.lead_funnel(traffic.clear(), calls.clear(), sale_value=D("1"))
    assert empty.height == 0 and empty.schema == full.schema
    rows = metrics.match_leads(traffic.clear(), calls.clear())
    assert rows.height == 0 and rows.schema == metrics.match_leads(traffic, calls).schema
    # Calls but no dials: nobody was dialed back, and the money is still there.
    undialed = metrics.lead_funnel(traffic, calls.clear()).sort("affiliate")
    assert undialed.select("dialed", "converted", "margin", "margin_per_converted").rows() == [
        (0, 0, D("30.00"), None),
        (0, 0, D("25.00"), None),
    ]
    reasons = metrics.match_leads(traffic, calls.clear())["unmatched_reason"].cast(str)
    assert reasons.to_list() == ["no_dial"] * 3 + ["invalid_number"] + ["no_dial"] * 4


def test_a_lead_dialed_before_and_another_too_late_is_outside_the_window(traffic, calls):
    late = ca.read_dialer_results(
        dialer_csv([_dial(9, "30", "212 555 0199", "2024-12-30 09:00:00", "NOANSWER")]),
        timezone=CENTRAL,
    )
    both = pl.concat([calls, late])
    rows = metrics.match_leads(traffic, both)
    reason = rows.filter(pl.col("sid") == "a3")["unmatched_reason"].cast(str).item()
    assert reason == "outside_window"


def test_summary_counts_each_caller_once_and_every_reason(traffic, calls):
    row = metrics.lead_funnel_summary(traffic, calls, sale_value=D("200")).row(0, named=True)
    assert {k: row[k] for k in ("calls", "callers", "invalid_numbers", "dialed", "converted")} == {
        "calls": 8,
        "callers": 6,
        "invalid_numbers": 1,
        "dialed": 3,
        "converted": 3,
    }
    assert (row["sales"], row["downstream_revenue"], row["total_margin"]) == (
        2,
        D("400.00"),
        D("455.00"),
    )
    assert (row["margin"], row["margin_per_converted"]) == (D("55.00"), D("18.33"))
    assert (row["matched_calls"], row["no_dial"], row["dialed_before_call"]) == (4, 1, 1)
    assert row["outside_window"] == 1
    assert row["median_callback"] == timedelta(minutes=27, seconds=30)  # 10, 25, 30, 30
    empty = metrics.lead_funnel_summary(traffic.clear(), calls.clear())
    got = empty.row(0, named=True)
    assert (got["calls"], got["dialed"], got["margin"], got["dial_rate"]) == (0, 0, D("0.00"), None)
    lazy = metrics.lead_funnel_summary(traffic.lazy(), calls.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect(engine="streaming").equals(metrics.lead_funnel_summary(traffic, calls))


def test_callback_outcomes_by_speed_bucket(traffic, calls):
    table = metrics.callback_outcomes(traffic, calls)
    # 617 called back after 10 and 30 minutes (counted in each bucket); L4's two numbers
    # after 25 and 30 minutes.
    assert table.select(pl.col("speed_bucket").cast(str), "callers", "converted").rows() == [
        ("5–15m", 1, 1),
        ("15–60m", 3, 3),
    ]
    assert table["conversion_rate"].to_list() == [1.0, 1.0]
    empty = metrics.callback_outcomes(traffic.clear(), calls.clear())
    assert empty.height == 0 and empty.schema == table.schema
