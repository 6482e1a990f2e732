"""The callers both samples share: about half of the unsold LeadFlow callers reappear as
dialer leads, written the way list owners write numbers, first dialed minutes to days after
their call, converting at a rate that depends on the affiliate that brought them."""

from __future__ import annotations

import numpy as np
import polars as pl

from callanalytics.sample.leadflow import leadflow_text
from callanalytics.sample.window import Window
from callanalytics.schema import LEADFLOW_HISTORY

#: How likely a called-back LeadFlow caller is to buy, relative to the floor's usual rate, by
#: the affiliate that brought them: routing margin and downstream value disagree on purpose.
CALLBACK_CONVERSION = {
    "BlueSky Media": 1.2,
    "CallRoute Partners": 0.6,
    "Delta Leads": 0.9,
    "Evergreen Digital": 1.7,
    "Fastlane Marketing": 0.5,
    "Granite Performance": 2.2,
    "Harbor Call Co": 0.8,
    "Ion Affiliates": 0.25,
}
#: How list owners write one number; index 0 is the wire form LeadFlow sends.
PHONE_STYLES = ("{a}{e}{l}", "({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "1{a}{e}{l}")


def written(number: str, style: int) -> str:
    """A ten-digit number in one of PHONE_STYLES.

    Example:
        >>> written("6175550100", 1)
        '(617) 555-0100'
    """
    return PHONE_STYLES[style].format(a=number[:3], e=number[3:6], l=number[6:])


def callbacks(leadflow_n: int, window: Window, seed: int) -> pl.DataFrame:
    """Unsold LeadFlow callers the floor calls back: number, affiliate and upload time.

    The callers are those of ``sample_leadflow_history(leadflow_n, start, days, seed)``.
    ``upload_sec`` is seconds after ``start`` midnight on the dialer's wall clock, minutes
    to days after the caller's call (as an instant), within the window.
    """
    empty = pl.DataFrame(
        schema={"caller_id": pl.String, "affiliate": pl.String, "upload_sec": pl.Int64}
    )
    if leadflow_n <= 0:
        return empty
    rng = np.random.default_rng([seed, 31337])
    text = leadflow_text(leadflow_n, window.start, window.days, seed)
    calls = (
        text.select(
            "caller_id",
            "affiliate",
            at=pl.col("call_date")
            .str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us")
            .dt.replace_time_zone(LEADFLOW_HISTORY.default_timezone, ambiguous="earliest"),
            unsold=pl.col("offer_qualified") != "Y",
        )
        .filter(pl.col("unsold") & pl.col("caller_id").str.contains(r"^\d{10}$"))
        .unique("caller_id", keep="first", maintain_order=True)
    )
    if calls.height == 0:
        return empty
    chosen = rng.random(calls.height) < 0.5
    delay = np.exp(rng.normal(np.log(1200), 2.0, size=calls.height)).clip(30, 5 * 86_400)
    zone = window.zone
    local = (
        calls.with_columns(
            upload=(
                pl.col("at") + pl.Series(delay.astype(np.int64) * 1_000_000).cast(pl.Duration("us"))
            ).dt.convert_time_zone(zone),
            chosen=pl.Series(chosen),
        )
        .with_columns(naive=pl.col("upload").dt.replace_time_zone(None))
        # A wall-clock time that reads back as another instant (the repeated fall-back hour)
        # could put the callback before the call; such callers are not called back.
        .filter(
            pl.col("chosen")
            & (
                pl.col("naive").dt.replace_time_zone(zone, ambiguous="null", non_existent="null")
                == pl.col("upload")
            )
        )
        .select(
            "caller_id",
            "affiliate",
            upload_sec=(pl.col("naive") - pl.lit(window.midnight)).dt.total_seconds(),
        )
    )
    return local.filter(
        (pl.col("upload_sec") >= 0) & (pl.col("upload_sec") < window.days * 86_400 - 3600)
    )
