"""The LeadFlow History sample: pay-per-call calls from affiliates of different quality,
routed to offers at different prices, with negative margins and repeat callers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, Unpack, overload

import numpy as np
import polars as pl

from callanalytics.readers import read_leadflow_history
from callanalytics.sample.findings import LeadflowRecords, plant_leadflow_findings
from callanalytics.sample.hours import local_text
from callanalytics.sample.pools import (
    AFFILIATES,
    FIRST_NAMES,
    LAST_NAMES,
    LEAD_STATUSES,
    OFFERS,
    PLACES,
    choice,
    digits,
    phones,
    place_column,
)
from callanalytics.sample.window import DEFAULT_START, LeadflowOptions, Window
from callanalytics.sample.wire import (
    in_schema_order,
    milliseconds,
    no_rows,
    rows,
    to_json,
    to_text,
    typed_frame,
)
from callanalytics.schema import LEADFLOW_HISTORY


@overload
def sample_leadflow_history(
    n: int = ..., *, raw: Literal[False] = ..., **options: Unpack[LeadflowOptions]
) -> pl.DataFrame: ...
@overload
def sample_leadflow_history(
    n: int = ..., *, raw: Literal[True], **options: Unpack[LeadflowOptions]
) -> bytes: ...
def sample_leadflow_history(
    n: int = 3_000,
    *,
    start: date | str = DEFAULT_START,
    days: int = 14,
    seed: int = 0,
    raw: bool = False,
) -> pl.DataFrame | bytes:
    """A synthetic LeadFlow History response of ``n`` pay-per-call calls.

    With ``raw=True`` returns the JSON bytes as the API sends them: an object with the
    records under ``response``, numbers sometimes as JSON numbers, sometimes as strings.

    Example:
        >>> frame = sample_leadflow_history(n=100)
        >>> frame["margin"].dtype
        Decimal(precision=38, scale=2)
    """
    window = Window.of(start, days, LEADFLOW_HISTORY.default_timezone)
    text = leadflow_text(n, window.start, days, seed) if rows(n) else no_rows(LEADFLOW_HISTORY)
    data = to_json(text, LEADFLOW_HISTORY)
    return data if raw else read_leadflow_history(data)


def _money(values: np.ndarray) -> pl.Series:
    return pl.Series([str(v) for v in values], dtype=pl.String)


def leadflow_text(n: int, start: date, days: int, seed: int) -> pl.DataFrame:
    """The sample's LeadFlow records as wire text, in the schema's column order."""
    window = Window(start, days, LEADFLOW_HISTORY.default_timezone)
    rng = np.random.default_rng(seed + 7919)
    shares = np.array([a[1] for a in AFFILIATES])
    affiliate = rng.choice(len(AFFILIATES), size=n, p=shares / shares.sum())
    status = choice(rng, LEAD_STATUSES, n, [0.72, 0.11, 0.11, 0.06])
    connected = status == "Connected"
    offer = rng.integers(0, len(OFFERS), size=n)
    talk_s = np.where(
        connected, rng.gamma(1.6, 150, n).astype(np.int64) + 5, rng.integers(0, 20, n)
    )
    total_s = talk_s + rng.integers(8, 60, n)
    qual_rate = np.array([a[2] for a in AFFILIATES])[affiliate]
    affiliate_qualified = connected & (rng.random(n) < qual_rate) & (talk_s > 60)
    acceptance = np.array([o[3] for o in OFFERS])[offer]
    offer_qualified = connected & (
        (affiliate_qualified & (rng.random(n) < acceptance)) | (rng.random(n) < 0.04)
    )
    payout = np.array([Decimal(a[3]) for a in AFFILIATES], dtype=object)[affiliate]
    price = np.array([Decimal(o[2]) for o in OFFERS], dtype=object)[offer]
    zero = Decimal("0.00")
    offer_price = np.where(offer_qualified, price, zero)
    affiliate_price = np.where(affiliate_qualified, payout, zero)
    margin = offer_price - affiliate_price
    # A few rows where the platform's margin disagrees with its prices (a real DQ finding).
    misreported = rng.random(n) < 0.004
    margin = np.where(misreported, margin + Decimal("5.00"), margin)

    pool = phones(rng, max(10, int(n * 0.8)))
    caller = pool[rng.integers(0, len(pool), size=n)]
    seconds = np.sort(rng.integers(0, days * 86_400, size=n))
    naive = window.wall_clock(seconds)
    seen: set[tuple[int, str]] = set()
    repeat = np.zeros(n, dtype=bool)
    for i in range(n):
        key = (int(affiliate[i]), str(caller[i]))
        repeat[i] = key in seen
        seen.add(key)
    reroute = repeat & (rng.random(n) < 0.5)
    # A few caller IDs arrive withheld or as a bare local number (their own random stream).
    shown = caller.astype(object)
    odd = np.random.default_rng([seed, 911]).random(n)
    shown[odd < 0.01] = "Restricted"
    local = (odd >= 0.01) & (odd < 0.015)
    shown[local] = [str(c)[3:] for c in caller[local]]
    contested = offer_qualified & (rng.random(n) < 0.03)
    state_of = rng.integers(0, len(PLACES), size=n)
    zipcode = np.char.add(place_column(state_of, 2), digits(rng, n, 2))
    records = LeadflowRecords(
        status=status,
        affiliate_qualified=affiliate_qualified,
        offer_qualified=offer_qualified,
        talk_s=talk_s,
        total_s=total_s,
        state=place_column(state_of, 0).astype(object),
        looked_up=rng.random(n) < 0.6,
        sid=np.char.zfill((np.arange(n) * 7 + 1_000_003).astype(str), 12),
    )
    plant_leadflow_findings(records, seed)
    lookup = records.looked_up

    typed = typed_frame(
        {
            "set_name": np.where(affiliate % 2 == 0, "Insurance Pay-Per-Call", "Home Services PPC"),
            "affiliate": np.array([a[0] for a in AFFILIATES])[affiliate],
            "phone_label": np.char.add("PPC line ", (affiliate + 1).astype(str)),
            "affiliate_number": np.char.add(
                "8885550", np.char.zfill((affiliate + 100).astype(str), 3)
            ),
            "advertiser": np.where(connected, np.array([o[0] for o in OFFERS])[offer], None),
            "offer": np.where(connected, np.array([o[1] for o in OFFERS])[offer], None),
            "transfer_number": np.where(
                connected, np.char.add("80055501", np.char.zfill(offer.astype(str), 2)), None
            ),
            "caller_id": shown,
            "lead_status": records.status,
            "entered_zip": np.where(rng.random(n) < 0.5, zipcode, None),
            "lf_state": place_column(state_of, 0),
            "first_name": np.where(lookup, choice(rng, FIRST_NAMES, n), None),
            "last_name": np.where(lookup, choice(rng, LAST_NAMES, n), None),
            "street_address": np.where(
                lookup, np.char.add(rng.integers(1, 999, n).astype(str), " Oak Ave"), None
            ),
            "city": np.where(lookup, place_column(state_of, 3), None),
            "state": np.where(lookup, records.state, None),
            "zipcode": np.where(lookup, zipcode, None),
            "reroute": reroute,
            "repeat_affiliate_caller": repeat,
            "affiliate_cap": records.status == "Affiliate Cap",
            "offer_qualified": offer_qualified,
            "affiliate_qualified": affiliate_qualified,
            "talk_minutes": milliseconds(records.talk_tenths * 6000),
            "talk_seconds": milliseconds(records.talk_s * 1000),
            "total_minutes": milliseconds(records.total_tenths * 6000),
            "total_seconds": milliseconds(total_s * 1000),
            "call_duration": milliseconds(records.minutes * 60_000),
            "recording_link": np.where(
                connected,
                np.char.add("https://rec.example.com/", (np.arange(n) + 5_000_000).astype(str)),
                None,
            ),
            "contest_qualification": contested,
            "sid": records.sid,
        }
    )
    text = to_text(typed, LEADFLOW_HISTORY).with_columns(
        offer_price=_money(offer_price),
        affiliate_price=_money(affiliate_price),
        margin=_money(margin),
        call_date=local_text(naive, LEADFLOW_HISTORY.default_timezone),
    )
    return in_schema_order(text, LEADFLOW_HISTORY)
