"""Pay-per-call margin: what each affiliate, offer, state and day earned and leaked.

**Margin** is revenue − payout, where revenue is the offer price of offer-qualified calls
and payout the affiliate price of affiliate-qualified calls. LeadFlow documents both prices
as defined "if the call was qualified", so these are the amounts billed and paid; this is
the one margin every metric, table and sentence uses. LeadFlow also sends its own per-call
``margin`` column ("price minus affiliate price"); where it disagrees with the prices it
was computed from, :func:`margin_reconciliation` shows both totals, the difference and the
calls that explain it. Money stays ``Decimal`` throughout; only shares are floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import polars as pl

from callanalytics.metrics._frames import PERIODS, like, period_expr, rate, resolve_by

__all__ = [
    "MarginReconciliation",
    "affiliate_margin",
    "call_margin",
    "margin_discrepancies",
    "margin_reconciliation",
    "margin_summary",
]

_MONEY = pl.Decimal(38, 2)
_ZERO = pl.lit(0).cast(_MONEY)

_BY = {
    "affiliate": ["affiliate"],
    "offer": ["advertiser", "offer"],
    "state": ["lf_state"],
}


def _revenue() -> pl.Expr:
    return (
        pl.when(pl.col("offer_qualified").fill_null(False))
        .then(pl.col("offer_price").fill_null(_ZERO))
        .otherwise(_ZERO)
    )


def _payout() -> pl.Expr:
    return (
        pl.when(pl.col("affiliate_qualified").fill_null(False))
        .then(pl.col("affiliate_price").fill_null(_ZERO))
        .otherwise(_ZERO)
    )


def call_margin() -> pl.Expr:
    """One call's margin: its revenue (offer price if offer-qualified) minus its payout
    (affiliate price if affiliate-qualified). The one definition of margin.

    Example:
        >>> import callanalytics as ca
        >>> traffic = ca.sample_leadflow_history(n=500)
        >>> traffic.select(call_margin().sum()).item() == margin_summary(traffic)["margin"][0]
        True
    """
    return (_revenue() - _payout()).alias("call_margin")


def _aggs() -> list[pl.Expr]:
    offer_q, aff_q = pl.col("offer_qualified"), pl.col("affiliate_qualified")
    leak = aff_q.fill_null(False) & ~offer_q.fill_null(False)
    contested = pl.col("contest_qualification").fill_null(False)
    return [
        pl.len().alias("calls"),
        rate((pl.col("lead_status") == "Connected").sum(), pl.len()).alias("connected_rate"),
        rate(offer_q.sum(), pl.len()).alias("offer_qualified_rate"),
        rate(aff_q.sum(), pl.len()).alias("affiliate_qualified_rate"),
        _revenue().sum().alias("revenue"),
        _payout().sum().alias("payout"),
        rate(pl.col("repeat_affiliate_caller").sum(), pl.len()).alias("repeat_caller_share"),
        pl.col("affiliate_cap").fill_null(False).sum().alias("cap_hits"),
        contested.sum().alias("contested_calls"),
        pl.when(contested).then(_revenue()).otherwise(_ZERO).sum().alias("revenue_at_risk"),
        leak.sum().alias("leakage_calls"),
        pl.when(leak).then(_payout()).otherwise(_ZERO).sum().alias("leakage_payout"),
    ]


def _finish(frame: pl.LazyFrame) -> pl.LazyFrame:
    calls = pl.col("calls")
    return frame.with_columns(margin=pl.col("revenue") - pl.col("payout")).with_columns(
        margin_pct=rate(pl.col("margin"), pl.col("revenue")),
        # Decimal division by zero raises, so divide only where there are calls.
        margin_per_call=pl.when(calls > 0)
        .then(pl.col("margin") / pl.when(calls > 0).then(calls).otherwise(1))
        .cast(_MONEY),
    )


def affiliate_margin(traffic, by: str | Sequence[str] = "affiliate"):
    """Calls, qualification rates, revenue, payout, margin and leakage per group.

    ``by`` is ``"affiliate"``, ``"offer"`` (advertiser + offer), ``"state"``, a period
    (``"day"``, ``"week"``, ``"month"`` of the call date: a Date column of that name), a
    LeadFlow column name, or a list of these; anything else is a ValueError listing the
    choices. Rows are sorted by margin, highest first; by a period, by date.

    Example:
        >>> import callanalytics as ca
        >>> table = affiliate_margin(ca.sample_leadflow_history(n=500))
        >>> table.schema["margin"]
        Decimal(precision=38, scale=2)
    """
    columns = traffic.lazy().collect_schema().names()
    keys = list(dict.fromkeys(resolve_by(by, named=_BY, columns=columns, what="LeadFlow")))
    lf = traffic.lazy().with_columns(period_expr(p, "call_date") for p in PERIODS if p in keys)
    grouped = _finish(lf.group_by(keys).agg(_aggs()))
    periods = [k for k in keys if k in PERIODS]
    if periods:
        out = grouped.sort(keys, nulls_last=True)
    else:
        out = grouped.sort(
            ["margin", *keys], descending=[True] + [False] * len(keys), nulls_last=True
        )
    return like(traffic, out)


def margin_summary(traffic):
    """The same measures over all traffic, as one row.

    With no calls the row has ``calls == 0``, money sums of 0.00 and null shares and
    ``margin_per_call``.

    Example:
        >>> import callanalytics as ca
        >>> margin_summary(ca.sample_leadflow_history(n=500)).height
        1
    """
    return like(traffic, _finish(traffic.lazy().select(_aggs())))


def _call_rows(traffic) -> pl.LazyFrame:
    """Calls whose reported ``margin`` differs from :func:`call_margin` (null counts as 0)."""
    reported = pl.col("margin").fill_null(_ZERO)
    return (
        traffic.lazy()
        .with_columns(call_margin())
        .filter(pl.col("margin").is_null() | (reported != pl.col("call_margin")))
        .select(
            "sid",
            "call_date",
            "affiliate",
            "advertiser",
            "offer",
            pl.concat_str(pl.lit("•••"), pl.col("caller_id").str.slice(-4)).alias("caller"),
            "offer_qualified",
            "offer_price",
            "affiliate_qualified",
            "affiliate_price",
            "margin",
            pl.col("call_margin").alias("expected_margin"),
            (reported - pl.col("call_margin")).alias("difference"),
        )
        .sort("call_date", "sid", nulls_last=True)
    )


def margin_discrepancies(traffic):
    """Calls whose reported ``margin`` differs from the margin of :func:`call_margin`.

    ``expected_margin`` is the call's revenue minus payout; ``difference`` is reported minus
    expected (a missing reported margin counts as 0.00). Caller phone numbers are masked to
    their last four digits.

    Example:
        >>> import callanalytics as ca
        >>> margin_discrepancies(ca.sample_leadflow_history(n=3_000)).height > 0
        True
    """
    return like(traffic, _call_rows(traffic))


class MarginReconciliation(NamedTuple):
    """The two margin totals side by side, and the calls that make them differ."""

    #: One row: ``margin`` (ours), ``reported_margin`` (sum of LeadFlow's ``margin``
    #: column), ``difference`` (reported − ours), ``calls`` (calls that differ) and
    #: ``unexplained`` (difference not accounted for by those calls: always 0.00).
    summary: pl.DataFrame | pl.LazyFrame
    #: The calls that differ, as :func:`margin_discrepancies` lists them.
    rows: pl.DataFrame | pl.LazyFrame


def margin_reconciliation(traffic) -> MarginReconciliation:
    """Reconcile our margin with the sum of LeadFlow's own ``margin`` column.

    Our margin (revenue − payout of qualified calls, :func:`call_margin`) is what was billed
    and paid. LeadFlow's ``margin`` column is the platform's own subtraction; on some calls it
    disagrees with the prices beside it. ``summary`` shows both totals and the difference;
    ``rows`` lists the calls whose differences add up to it.

    Example:
        >>> import callanalytics as ca
        >>> rec = margin_reconciliation(ca.sample_leadflow_history())
        >>> [str(v) for v in rec.summary.row(0)]
        ['16893.50', '16943.50', '50.00', '10', '0.00']
    """
    rows = _call_rows(traffic)
    totals = traffic.lazy().select(
        margin=call_margin().sum(), reported_margin=pl.col("margin").fill_null(_ZERO).sum()
    )
    explained = rows.select(calls=pl.len().cast(pl.UInt32), explained=pl.col("difference").sum())
    summary = (
        totals.join(explained, how="cross")
        .with_columns(difference=pl.col("reported_margin") - pl.col("margin"))
        .select(
            "margin",
            "reported_margin",
            "difference",
            "calls",
            unexplained=(pl.col("difference") - pl.col("explained")).cast(_MONEY),
        )
    )
    return MarginReconciliation(like(traffic, summary), like(traffic, rows))
