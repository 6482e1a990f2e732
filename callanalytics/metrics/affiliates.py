"""Pay-per-call margin: what each affiliate, offer, state and day earned and leaked.

Revenue is the offer price of offer-qualified calls; payout the affiliate price of
affiliate-qualified calls; margin = revenue − payout. Money stays ``Decimal`` throughout;
only shares are floats.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from callanalytics.metrics._frames import like, rate

__all__ = ["affiliate_margin", "margin_discrepancies", "margin_summary"]

_BY = {
    "affiliate": ["affiliate"],
    "offer": ["advertiser", "offer"],
    "state": ["lf_state"],
    "day": ["day"],
}


def _aggs() -> list[pl.Expr]:
    price, payout = pl.col("offer_price"), pl.col("affiliate_price")
    offer_q, aff_q = pl.col("offer_qualified"), pl.col("affiliate_qualified")
    zero = pl.lit(0).cast(pl.Decimal(38, 2))
    leak = aff_q.fill_null(False) & ~offer_q.fill_null(False)
    contested = pl.col("contest_qualification").fill_null(False)
    return [
        pl.len().alias("calls"),
        rate((pl.col("lead_status") == "Connected").sum(), pl.len()).alias("connected_rate"),
        rate(offer_q.sum(), pl.len()).alias("offer_qualified_rate"),
        rate(aff_q.sum(), pl.len()).alias("affiliate_qualified_rate"),
        pl.when(offer_q.fill_null(False)).then(price).otherwise(zero).sum().alias("revenue"),
        pl.when(aff_q.fill_null(False)).then(payout).otherwise(zero).sum().alias("payout"),
        rate(pl.col("repeat_affiliate_caller").sum(), pl.len()).alias("repeat_caller_share"),
        pl.col("affiliate_cap").fill_null(False).sum().alias("cap_hits"),
        contested.sum().alias("contested_calls"),
        pl.when(contested & offer_q.fill_null(False))
        .then(price)
        .otherwise(zero)
        .sum()
        .alias("revenue_at_risk"),
        leak.sum().alias("leakage_calls"),
        pl.when(leak).then(payout).otherwise(zero).sum().alias("leakage_payout"),
    ]


def _finish(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.with_columns(margin=pl.col("revenue") - pl.col("payout")).with_columns(
        margin_pct=rate(pl.col("margin"), pl.col("revenue")),
        margin_per_call=(pl.col("margin") / pl.col("calls")).cast(pl.Decimal(38, 2)),
    )


def affiliate_margin(traffic, by: str | Sequence[str] = "affiliate"):
    """Calls, qualification rates, revenue, payout, margin and leakage per group.

    ``by`` is ``"affiliate"``, ``"offer"`` (advertiser + offer), ``"state"``, ``"day"`` or
    a list of LeadFlow column names. Rows are sorted by margin, highest first.

    Example:
        >>> import callanalytics as ca
        >>> table = affiliate_margin(ca.sample_leadflow_history(n=500))
        >>> table.schema["margin"]
        Decimal(precision=38, scale=2)
    """
    lf = traffic.lazy().with_columns(day=pl.col("call_date").dt.date())
    keys = _BY.get(by, [by]) if isinstance(by, str) else list(by)
    out = _finish(lf.group_by(keys).agg(_aggs())).sort(
        ["margin", *keys], descending=[True] + [False] * len(keys), nulls_last=True
    )
    return like(traffic, out)


def margin_summary(traffic):
    """The same measures over all traffic, as one row.

    Example:
        >>> import callanalytics as ca
        >>> margin_summary(ca.sample_leadflow_history(n=500)).height
        1
    """
    return like(traffic, _finish(traffic.lazy().select(_aggs())))


def margin_discrepancies(traffic):
    """Calls whose reported ``margin`` differs from ``offer_price − affiliate_price``.

    Caller phone numbers are masked to their last four digits.

    Example:
        >>> import callanalytics as ca
        >>> margin_discrepancies(ca.sample_leadflow_history(n=3_000)).height > 0
        True
    """
    expected = pl.col("offer_price") - pl.col("affiliate_price")
    out = (
        traffic.lazy()
        .filter(pl.col("margin") != expected)
        .select(
            "sid",
            "call_date",
            "affiliate",
            "advertiser",
            "offer",
            pl.concat_str(pl.lit("•••"), pl.col("caller_id").str.slice(-4)).alias("caller"),
            "offer_price",
            "affiliate_price",
            "margin",
            expected.alias("expected_margin"),
            (pl.col("margin") - expected).alias("difference"),
        )
        .sort("call_date")
    )
    return like(traffic, out)
