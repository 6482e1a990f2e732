"""Pay-per-call margin: what each affiliate, offer, state and day earned and leaked.

**Margin** is revenue − payout, where revenue is the offer price of offer-qualified calls
and payout the affiliate price of affiliate-qualified calls. LeadFlow documents both prices
as defined "if the call was qualified", so these are the amounts billed and paid; this is
the one margin every metric, table and sentence uses. LeadFlow also sends its own per-call
``margin`` column ("price minus affiliate price"); where it disagrees with the prices it
was computed from, :func:`margin_reconciliation` shows both totals, the difference and the
calls that explain it. Money stays ``Decimal`` throughout; only shares are floats.

Every function takes the typed LeadFlow frame (polars eager or lazy, a DuckDB relation or a
PySpark DataFrame) and returns the same kind; :func:`call_margin` is a polars expression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import (
    PERIODS,
    Native,
    rate_nw,
    resolve_by,
    round_half_even,
    with_periods,
)

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
_NW_MONEY = nw.Decimal(38, 2)

_BY = {
    "affiliate": ["affiliate"],
    "offer": ["advertiser", "offer"],
    "state": ["lf_state"],
}


def _zero() -> nw.Expr:
    return nw.lit(0).cast(_NW_MONEY)


def _qualified_price(qualified: str, price: str) -> nw.Expr:
    return (
        nw.when(nw.col(qualified).fill_null(False))
        .then(nw.col(price).fill_null(_zero()))
        .otherwise(_zero())
    )


def _revenue() -> nw.Expr:
    return _qualified_price("offer_qualified", "offer_price")


def _payout() -> nw.Expr:
    return _qualified_price("affiliate_qualified", "affiliate_price")


def _polars_price(qualified: str, price: str) -> pl.Expr:
    paid = pl.col(qualified).fill_null(False)
    return pl.when(paid).then(pl.col(price).fill_null(_ZERO)).otherwise(_ZERO)


def call_revenue() -> pl.Expr:
    """One call's revenue as a polars expression: its offer price if offer-qualified.

    Example:
        >>> import callanalytics as ca
        >>> traffic = ca.sample_leadflow_history(n=500)
        >>> traffic.select(call_revenue().sum()).item() == margin_summary(traffic)["revenue"][0]
        True
    """
    return _polars_price("offer_qualified", "offer_price").alias("revenue")


def call_payout() -> pl.Expr:
    """One call's payout as a polars expression: its affiliate price if affiliate-qualified.

    Example:
        >>> import callanalytics as ca
        >>> traffic = ca.sample_leadflow_history(n=500)
        >>> traffic.select(call_payout().sum()).item() == margin_summary(traffic)["payout"][0]
        True
    """
    return _polars_price("affiliate_qualified", "affiliate_price").alias("payout")


def call_margin() -> pl.Expr:
    """One call's margin: its revenue (offer price if offer-qualified) minus its payout
    (affiliate price if affiliate-qualified). The one definition of margin (a polars
    expression; the metrics below use the same definition on every engine).

    Example:
        >>> import callanalytics as ca
        >>> traffic = ca.sample_leadflow_history(n=500)
        >>> traffic.select(call_margin().sum()).item() == margin_summary(traffic)["margin"][0]
        True
    """
    return (call_revenue() - call_payout()).alias("call_margin")


def _call_margin() -> nw.Expr:
    return (_revenue() - _payout()).alias("call_margin")


def _count(condition: nw.Expr, frame: Native) -> nw.Expr:
    return frame.true_count(condition).cast(frame.count_dtype)


def _money_sum(expr: nw.Expr) -> nw.Expr:
    return expr.sum().fill_null(_zero())


def _aggs(frame: Native) -> list[nw.Expr]:
    offer_q, aff_q = nw.col("offer_qualified"), nw.col("affiliate_qualified")
    leak = aff_q.fill_null(False) & ~offer_q.fill_null(False)
    contested = nw.col("contest_qualification").fill_null(False)

    def share(condition):
        return rate_nw(frame.true_count(condition), nw.len())

    return [
        nw.len().alias("calls"),
        share(nw.col("lead_status") == "Connected").alias("connected_rate"),
        share(offer_q).alias("offer_qualified_rate"),
        share(aff_q).alias("affiliate_qualified_rate"),
        _money_sum(_revenue()).alias("revenue"),
        _money_sum(_payout()).alias("payout"),
        share(nw.col("repeat_affiliate_caller")).alias("repeat_caller_share"),
        _count(nw.col("affiliate_cap"), frame).alias("cap_hits"),
        _count(contested, frame).alias("contested_calls"),
        _money_sum(nw.when(contested).then(_revenue()).otherwise(_zero())).alias("revenue_at_risk"),
        _count(leak, frame).alias("leakage_calls"),
        _money_sum(nw.when(leak).then(_payout()).otherwise(_zero())).alias("leakage_payout"),
    ]


def _finish(frame: Native, grouped: nw.LazyFrame) -> nw.LazyFrame:
    calls = nw.col("calls")
    # Margin per call in whole cents, rounded half to even as polars divides decimals.
    cents = (nw.col("margin") * 100).cast(nw.Int64)
    return grouped.with_columns(
        (nw.col("revenue") - nw.col("payout")).alias("margin")
    ).with_columns(
        rate_nw(nw.col("margin"), nw.col("revenue")).alias("margin_pct"),
        nw.when(calls > 0)
        .then(round_half_even(cents / nw.when(calls > 0).then(calls).otherwise(1)))
        .alias("margin_per_call"),
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
    frame = Native(traffic)
    columns = frame.schema.names()
    keys = list(dict.fromkeys(resolve_by(by, named=_BY, columns=columns, what="LeadFlow")))
    lf = with_periods(frame, frame.lazy, keys, "call_date")
    grouped = _finish(frame, lf.group_by(keys).agg(*_aggs(frame)))
    if any(k in PERIODS for k in keys):
        out = grouped.sort(keys, nulls_last=True)
    else:
        out = grouped.sort(
            ["margin", *keys], descending=[True] + [False] * len(keys), nulls_last=True
        )
    return frame.back(out, cents=["margin_per_call"])


def margin_summary(traffic):
    """The same measures over all traffic, as one row.

    With no calls the row has ``calls == 0``, money sums of 0.00 and null shares and
    ``margin_per_call``.

    Example:
        >>> import callanalytics as ca
        >>> margin_summary(ca.sample_leadflow_history(n=500)).height
        1
    """
    frame = Native(traffic)
    return frame.back(_finish(frame, frame.lazy.select(*_aggs(frame))), cents=["margin_per_call"])


def _call_rows(frame: Native) -> nw.LazyFrame:
    """Calls whose reported ``margin`` differs from :func:`call_margin` (null counts as 0)."""
    reported = nw.col("margin").fill_null(_zero())
    return (
        frame.lazy.with_columns(_call_margin())
        .filter(nw.col("margin").is_null() | (reported != nw.col("call_margin")))
        .select(
            "sid",
            "call_date",
            "affiliate",
            "advertiser",
            "offer",
            nw.concat_str(nw.lit("•••"), nw.col("caller_id").str.slice(-4)).alias("caller"),
            "offer_qualified",
            "offer_price",
            "affiliate_qualified",
            "affiliate_price",
            "margin",
            nw.col("call_margin").alias("expected_margin"),
            (reported - nw.col("call_margin")).alias("difference"),
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
    frame = Native(traffic)
    return frame.back(_call_rows(frame))


class MarginReconciliation(NamedTuple):
    """The two margin totals side by side, and the calls that make them differ."""

    #: One row: ``margin`` (ours), ``reported_margin`` (sum of LeadFlow's ``margin``
    #: column), ``difference`` (reported − ours), ``calls`` (calls that differ) and
    #: ``unexplained`` (difference not accounted for by those calls: always 0.00).
    summary: object
    #: The calls that differ, as :func:`margin_discrepancies` lists them.
    rows: object


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
    frame = Native(traffic)
    rows = _call_rows(frame)
    totals = frame.lazy.select(
        _money_sum(_call_margin()).alias("margin"),
        _money_sum(nw.col("margin").fill_null(_zero())).alias("reported_margin"),
    )
    explained = rows.select(
        nw.len().cast(frame.count_dtype).alias("calls"),
        _money_sum(nw.col("difference")).alias("explained"),
    )
    summary = (
        totals.join(explained, how="cross")
        .with_columns((nw.col("reported_margin") - nw.col("margin")).alias("difference"))
        .select(
            "margin",
            "reported_margin",
            "difference",
            "calls",
            (nw.col("difference") - nw.col("explained")).cast(_NW_MONEY).alias("unexplained"),
        )
    )
    return MarginReconciliation(frame.back(summary), frame.back(rows))
