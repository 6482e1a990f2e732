"""The lead funnel: from an affiliate's pay-per-call caller to the outbound floor's sale.

**The match** (:mod:`~callanalytics.metrics.funnel_match`): each LeadFlow call matches every
dialer lead with its E.164 number (lead or aux phone) first dialed after the call and at
most ``within`` later; a call that matches none says why in ``unmatched_reason``
(``invalid_number``, ``outside_window``, ``dialed_before_call``, ``no_dial``).

**The funnel** counts *callers* (distinct E.164 numbers) from ``dialed`` on, so a caller
who called twice is dialed, contacted and converted once per group. A caller reached
through two affiliates counts for both. ``sales`` counts converted *leads*: two callers
sharing one lead (a household's two numbers) are two converted callers and one sale, and
downstream revenue is per sale. Money is the affiliate report's: revenue, payout and
:func:`~callanalytics.metrics.call_margin` of every call in the group, as ``Decimal``.

Every function takes the LeadFlow and Dialer frames of one engine (polars eager or lazy, DuckDB
relations or PySpark DataFrames) and returns the kind ``traffic`` is; durations are whole
milliseconds, money exact decimals (see :mod:`callanalytics.metrics._engine`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import narwhals as nw

from callanalytics.metrics._engine import Native, rate_nw, round_half_even
from callanalytics.metrics._grouping import PERIODS, resolve_by, with_periods
from callanalytics.metrics.affiliates import _money_sum, _payout, _revenue
from callanalytics.metrics.conversion_rule import Success
from callanalytics.metrics.funnel_match import (
    MATCH_WINDOW,
    UNMATCHED_REASONS,
    Match,
    SaleValue,
    match,
    sale_cents,
)
from callanalytics.metrics.speed_to_lead import _bucket_index, _bucket_label
from callanalytics.nanp import mask_phone_nw
from callanalytics.phones import DEFAULT_REGION

__all__ = [
    "MATCH_WINDOW",
    "UNMATCHED_REASONS",
    "callback_outcomes",
    "lead_funnel",
    "lead_funnel_summary",
    "match_leads",
]

_BY = {
    "affiliate": ["affiliate"],
    "offer": ["advertiser", "offer"],
    "state": ["lf_state"],
}
_COUNTS = ["calls", "callers", "invalid_numbers", "qualified", "dialed", "contacted"]
_COUNTS += ["converted", "sales", "dial_rate", "conversion_rate", "median_callback"]
_COUNTS += ["revenue", "payout", "margin", "margin_per_converted"]
_VALUED = ["downstream_revenue", "unvalued_sales", "total_margin"]
_RATES = ["contact_rate", "conversion_rate"]
_REASONS = [r for r in UNMATCHED_REASONS if r != "invalid_number"]
_MATCH_COLUMNS = ["sid", "call_date", "affiliate", "advertiser", "offer", "lf_state"]
_MATCH_COLUMNS += ["lead_status", "offer_qualified"]


def _frames(traffic, calls) -> tuple[Native, Native]:
    return Native(traffic), Native(calls)


def match_leads(
    traffic,
    calls,
    *,
    within: timedelta = MATCH_WINDOW,
    region: str = DEFAULT_REGION,
    success: Success = None,
):
    """One row per LeadFlow call: the dialer leads that called it back, and what came of it.

    ``traffic`` is the LeadFlow History frame, ``calls`` the Dialer Result Download frame
    (of one engine; the result is the kind ``traffic`` is). Columns, in call order (call
    date, then sid): ``sid``, ``call_date``, ``affiliate``, ``advertiser``, ``offer``,
    ``lf_state``, ``lead_status``, ``offer_qualified``, ``caller`` (the caller ID's last
    four digits only), ``leads`` (matched leads, UInt32), ``first_dial`` (the earliest
    matched lead's first dial, in the dialer's zone), ``speed_to_callback`` (first dial −
    call, Duration), ``passes`` (dial attempts of the matched leads), ``contacted`` (any
    ANSWER), ``converted`` (an agent disposition the ``success`` rule counts, as in every
    report) and ``unmatched_reason`` (null when matched; see
    :mod:`~callanalytics.metrics.funnel_match` for the rules). ``region`` must be a North
    American (+1) region.

    Example:
        >>> import callanalytics as ca
        >>> rows = match_leads(ca.sample_leadflow_history(), ca.sample_dialer_results())
        >>> rows["unmatched_reason"].dtype
        Enum(categories=['no_dial', 'dialed_before_call', 'outside_window', 'invalid_number'])
    """
    frame, dials = _frames(traffic, calls)
    found = match(frame, dials, within=within, success=success, region=region)
    out = found.calls.sort("_row").select(
        *_MATCH_COLUMNS,
        mask_phone_nw("caller_id").alias("caller"),
        "leads",
        "first_dial",
        "speed_to_callback",
        "passes",
        "contacted",
        "converted",
        "unmatched_reason",
    )
    return frame.back(out, durations=["speed_to_callback"])


def _distinct(column: str, when: nw.Expr | None = None) -> nw.Expr:
    """Distinct non-null values of ``column`` (where ``when`` holds), as an aggregation."""
    value = nw.col(column) if when is None else nw.when(when).then(nw.col(column))
    has_null = nw.when(value.null_count() > 0).then(1).otherwise(0)
    return (value.n_unique() - has_null).fill_null(0)  # SQL: no rows, no count


def _with_sales(found: Match, calls: nw.LazyFrame, keys: list[str]) -> nw.LazyFrame:
    """Each converted lead once per group, on the group's first call that matched it:
    ``_sales``, ``_sale_cents`` (their value) and ``_unvalued`` per call."""
    lead = ["_lead_campaign", "_lead"]
    firsts = (
        found.sold.join(calls.select("_row", *keys), on="_row", how="inner")
        .group_by(*keys, *lead)
        .agg(nw.col("_row").min(), nw.col("_value").max())
        .group_by("_row")
        .agg(
            nw.len().alias("_sales"),
            nw.col("_value").sum().alias("_sale_cents"),
            nw.col("_value").is_null().cast(nw.Int64).sum().alias("_unvalued"),
        )
    )
    return calls.join(firsts, on="_row", how="left").with_columns(
        nw.col(c).fill_null(0).cast(nw.Int64) for c in ("_sales", "_sale_cents", "_unvalued")
    )


def _aggs(frame: Native) -> list[nw.Expr]:
    count, dialed = frame.count_dtype, nw.col("leads") > 0
    return [
        nw.len().cast(count).alias("calls"),
        _distinct("_phone").cast(count).alias("callers"),
        frame.true_count(nw.col("_phone").is_null()).cast(count).alias("invalid_numbers"),
        frame.true_count(nw.col("offer_qualified")).cast(count).alias("qualified"),
        _distinct("_phone", dialed).cast(count).alias("dialed"),
        _distinct("_phone", dialed & nw.col("contacted")).cast(count).alias("contacted"),
        _distinct("_phone", dialed & nw.col("converted")).cast(count).alias("converted"),
        nw.col("speed_to_callback").quantile(0.5, "linear").alias("median_callback"),
        _money_sum(_revenue()).alias("revenue"),
        _money_sum(_payout()).alias("payout"),
        nw.col("_sales").sum().fill_null(0).cast(count).alias("sales"),
        nw.col("_sale_cents").sum().fill_null(0).alias("downstream_revenue"),
        nw.col("_unvalued").sum().fill_null(0).cast(count).alias("unvalued_sales"),
    ]


def _finish(frame: Native, grouped: nw.LazyFrame, keys: list[str], valued: bool):
    converted = nw.col("converted")
    margin_cents = (nw.col("margin") * 100).cast(nw.Int64)
    out = grouped.with_columns((nw.col("revenue") - nw.col("payout")).alias("margin")).with_columns(
        rate_nw(nw.col("dialed"), nw.col("callers")).alias("dial_rate"),
        rate_nw(converted, nw.col("callers")).alias("conversion_rate"),
        round_half_even(nw.col("median_callback")).alias("median_callback"),
        # Margin per converted caller in whole cents, half to even (as polars divides).
        nw.when(converted > 0)
        .then(round_half_even(margin_cents / nw.when(converted > 0).then(converted)))
        .alias("margin_per_converted"),
        (margin_cents + nw.col("downstream_revenue")).alias("total_margin"),
    )
    extra = [c for c in out.collect_schema().names() if c in ("matched_calls", *_REASONS)]
    money = ["margin_per_converted", *(["downstream_revenue", "total_margin"] if valued else [])]
    out = out.select(*keys, *_COUNTS, *(_VALUED if valued else []), *extra)
    return out, money


def lead_funnel(
    traffic,
    calls,
    *,
    by: str | Sequence[str] = "affiliate",
    within: timedelta = MATCH_WINDOW,
    success: Success = None,
    sale_value: SaleValue = None,
    region: str = DEFAULT_REGION,
):
    """Per group: calls → callers → dialed → contacted → converted, and what each was worth.

    ``by`` is ``"affiliate"``, ``"offer"`` (advertiser + offer), ``"state"``, a period
    (``"day"``, ``"week"``, ``"month"`` of the LeadFlow call date), a LeadFlow column, or a
    list of these. Columns: the keys; ``calls``; ``callers`` (distinct valid numbers);
    ``invalid_numbers`` (calls whose caller ID is missing, masked or invalid);
    ``qualified`` (offer-qualified calls); ``dialed``, ``contacted``, ``converted``
    (callers whose call matched a lead, one that was answered, one that converted);
    ``sales`` (distinct converted leads); ``dial_rate`` and ``conversion_rate`` (of
    callers); ``median_callback`` (median speed to callback of matched calls, Duration);
    ``revenue``, ``payout``, ``margin`` (as in
    :func:`~callanalytics.metrics.affiliate_margin`); ``margin_per_converted`` (margin ÷
    converted, null where none converted). With ``sale_value`` (one ``Decimal`` for every
    sale, or a mapping of campaign id or name to its sale's value) also
    ``downstream_revenue`` (the value of the sales), ``unvalued_sales`` (sales of
    campaigns the mapping does not name, left out of it) and ``total_margin`` (margin +
    downstream revenue). Rows are sorted by margin, highest first; by a period, by date.

    Example:
        >>> import callanalytics as ca
        >>> from decimal import Decimal
        >>> table = lead_funnel(
        ...     ca.sample_leadflow_history(), ca.sample_dialer_results(), sale_value=Decimal(300)
        ... )
        >>> table.schema["total_margin"]
        Decimal(precision=38, scale=2)
    """
    frame, dials = _frames(traffic, calls)
    value = sale_cents(sale_value)
    columns = frame.schema.names()
    keys = list(dict.fromkeys(resolve_by(by, named=_BY, columns=columns, what="LeadFlow")))
    found = match(frame, dials, within=within, success=success, region=region, value=value)
    rows = _with_sales(found, with_periods(frame, found.calls, keys, "call_date"), keys)
    out, money = _finish(frame, rows.group_by(keys).agg(*_aggs(frame)), keys, value is not None)
    if any(k in PERIODS for k in keys):
        out = out.sort(keys, nulls_last=True)
    else:
        out = out.sort(["margin", *keys], descending=[True] + [False] * len(keys), nulls_last=True)
    return frame.back(out, durations=["median_callback"], cents=money)


def lead_funnel_summary(
    traffic,
    calls,
    *,
    within: timedelta = MATCH_WINDOW,
    success: Success = None,
    sale_value: SaleValue = None,
    region: str = DEFAULT_REGION,
):
    """The funnel over all traffic, as one row: :func:`lead_funnel`'s columns, where each
    caller counts once however many affiliates they came through, plus ``matched_calls``
    and the unmatched calls by reason (``no_dial``, ``dialed_before_call``,
    ``outside_window``; invalid numbers are ``invalid_numbers``).

    With no calls the row has counts of 0, money of 0.00 and null rates and medians.

    Example:
        >>> import callanalytics as ca
        >>> row = lead_funnel_summary(ca.sample_leadflow_history(), ca.sample_dialer_results())
        >>> row["calls"][0], row["dialed"][0] < row["callers"][0]
        (3000, True)
    """
    frame, dials = _frames(traffic, calls)
    value = sale_cents(sale_value)
    found = match(frame, dials, within=within, success=success, region=region, value=value)
    rows = _with_sales(found, found.calls, [])
    reason = nw.col("unmatched_reason")
    count = frame.count_dtype
    counts = [
        frame.true_count(nw.col("leads") > 0).cast(count).alias("matched_calls"),
        *[frame.true_count(reason == r).cast(count).alias(r) for r in _REASONS],
    ]
    out, money = _finish(frame, rows.select(*_aggs(frame), *counts), [], value is not None)
    return frame.back(out, durations=["median_callback"], cents=money)


def callback_outcomes(
    traffic,
    calls,
    *,
    within: timedelta = MATCH_WINDOW,
    success: Success = None,
    region: str = DEFAULT_REGION,
):
    """Callers called back, and how many were contacted and converted, per speed-to-callback
    bucket (:data:`~callanalytics.metrics.SPEED_BUCKETS`, upper bounds included).

    Columns: ``speed_bucket``, ``callers`` (distinct numbers whose call matched, by their
    call's bucket), ``contacted``, ``converted``, ``contact_rate``, ``conversion_rate``.

    Example:
        >>> import callanalytics as ca
        >>> table = callback_outcomes(ca.sample_leadflow_history(), ca.sample_dialer_results())
        >>> table.columns[:2]
        ['speed_bucket', 'callers']
    """
    frame, dials = _frames(traffic, calls)
    found = match(frame, dials, within=within, success=success, region=region)
    count = frame.count_dtype
    out = (
        found.calls.filter(nw.col("leads") > 0)
        .with_columns(_bucket_index("speed_to_callback").alias("_bucket"))
        .group_by("_bucket")
        .agg(
            _distinct("_phone").cast(count).alias("callers"),
            _distinct("_phone", nw.col("contacted")).cast(count).alias("contacted"),
            _distinct("_phone", nw.col("converted")).cast(count).alias("converted"),
        )
        .with_columns(
            _bucket_label(frame, "_bucket").alias("speed_bucket"),
            rate_nw(nw.col("contacted"), nw.col("callers")).alias("contact_rate"),
            rate_nw(nw.col("converted"), nw.col("callers")).alias("conversion_rate"),
        )
        .sort("_bucket")
        .select(
            "speed_bucket", "callers", "contacted", "converted", "contact_rate", "conversion_rate"
        )
    )
    return frame.back(out)
