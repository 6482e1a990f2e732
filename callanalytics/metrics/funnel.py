"""The lead funnel: from an affiliate's pay-per-call caller to the outbound floor's sale.

**The match.** Both sides' numbers are read as E.164 (:mod:`callanalytics.phones`): the
LeadFlow ``caller_id``, and for each dialer lead (campaign + ``lead_phone``, as in
:func:`~callanalytics.metrics.lead_outcomes`) its ``lead_phone`` and, as a second key, its
``aux_phone`` (a lead uploaded with the caller's number as its alternate number matches
too; a lead whose two numbers are the same counts once). A LeadFlow call matches every lead
with its number whose **first dial is after the call and at most** ``within`` **later**
(default 30 days). Times compare as instants: LeadFlow's ``call_date`` is Eastern, the
dialer's ``call_start`` is in the report's zone, whatever the offsets.

A call that matches no lead says why, in ``unmatched_reason``:

- ``invalid_number``: its caller ID is missing, masked or not a valid number;
- ``outside_window``: a lead with its number was first dialed after the call, but more
  than ``within`` later;
- ``dialed_before_call``: a lead with its number was first dialed at or before the call
  (the caller was already on a list), and none after it;
- ``no_dial``: no lead has its number.

**The funnel** counts *callers* (distinct E.164 numbers) from ``dialed`` on, so a caller
who called twice is dialed, contacted and converted once per group. A caller reached
through two affiliates counts for both. ``sales`` counts converted *leads*: two callers
sharing one lead (a household's two numbers) are two converted callers and one sale, and
downstream revenue is per sale. Money is the affiliate report's: revenue, payout and
:func:`~callanalytics.metrics.call_margin` of every call in the group, as ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal

import polars as pl

from callanalytics.metrics._frames import (
    PERIODS,
    Success,
    duration_quantile,
    match_laziness,
    period_expr,
    rate,
    resolve_by,
    success_expr,
)
from callanalytics.metrics.affiliates import call_margin, call_payout, call_revenue
from callanalytics.metrics.speed_to_lead import speed_bucket
from callanalytics.phones import DEFAULT_REGION, e164, mask_phone

__all__ = [
    "MATCH_WINDOW",
    "UNMATCHED_REASONS",
    "callback_outcomes",
    "lead_funnel",
    "lead_funnel_summary",
    "match_leads",
]

#: How long after a call a first dial still counts as a callback.
MATCH_WINDOW = timedelta(days=30)
#: Why a LeadFlow call matched no dialer lead (``unmatched_reason``, an Enum).
UNMATCHED_REASONS = ("no_dial", "dialed_before_call", "outside_window", "invalid_number")
UNMATCHED = pl.Enum(UNMATCHED_REASONS)

_MONEY = pl.Decimal(38, 2)
_ZERO = pl.lit(0).cast(_MONEY)
_LEAD = ["campaign_id", "lead_phone"]
_BY = {
    "affiliate": ["affiliate"],
    "offer": ["advertiser", "offer"],
    "state": ["lf_state"],
}
#: A sale's value: one amount for every sale, or one per campaign (id or name).
SaleValue = Decimal | int | str | Mapping[str, Decimal | int | str] | None


def _instant(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone("UTC").dt.cast_time_unit("us")


def _check_within(within: timedelta) -> pl.Expr:
    if not isinstance(within, timedelta) or within <= timedelta(0):
        raise ValueError(f"within must be a positive timedelta, not {within!r}")
    return pl.lit(within, dtype=pl.Duration("us"))


def _dial_keys(calls, success: Success, region: str, value: pl.Expr | None) -> pl.LazyFrame:
    """One row per (E.164 number, dialer lead): the lead's first dial, outcome and sale."""
    leads = (
        calls.lazy()
        .with_columns(_success=success_expr("agent_disposition", success))
        .group_by(_LEAD)
        .agg(
            campaign_name=pl.col("campaign_name").drop_nulls().first(),
            aux_phone=pl.col("aux_phone").drop_nulls().first(),
            first_dial=_instant("call_start").min(),
            passes=pl.len().cast(pl.UInt32),
            contacted=(pl.col("pass_disposition") == "ANSWER").any(),
            converted=pl.col("_success").any(),
        )
        .filter(pl.col("first_dial").is_not_null())
        .with_columns(
            # A converted lead is one sale: its id and value travel with every call it matches.
            _sale=pl.when(pl.col("converted")).then(
                pl.struct(
                    _lead=pl.concat_str(_LEAD, separator="\x1f", ignore_nulls=True),
                    _value=value if value is not None else pl.lit(None, dtype=_MONEY),
                )
            )
        )
    )
    # Both numbers of a lead as keys, once each; one consumer of the lead frame.
    numbers = pl.concat_list(e164("lead_phone", region), e164("aux_phone", region))
    return (
        leads.select(
            numbers.list.drop_nulls().list.unique().alias("_phone"),
            "first_dial",
            "passes",
            "contacted",
            "converted",
            "_sale",
        )
        .explode("_phone")
        .filter(pl.col("_phone").is_not_null())
    )


def _matched(
    traffic,
    calls,
    *,
    carry: Sequence[str],
    within: timedelta,
    success: Success,
    region: str,
    value: pl.Expr | None = None,
) -> pl.LazyFrame:
    """One row per call, in call order: the ``carry`` columns, the match, and ``_sold`` (the
    converted leads it matched, as ``{_lead, _value}`` structs).

    One pass: each call joins every lead sharing its number (a left join, so calls with no
    lead stay), and the (call, lead) pairs fold back to one row per call.
    """
    window = _check_within(within)
    lf = (
        traffic.lazy()
        .with_row_index("_row")
        .with_columns(_phone=e164("caller_id", region), _at=_instant("call_date"))
    )
    gap = pl.col("first_dial") - pl.col("_at")
    hit = (gap > timedelta(0)) & (gap <= window)
    keep = list(dict.fromkeys([*carry, "_phone", "_at"]))
    folded = (
        lf.select("_row", *keep)
        .join(_dial_keys(calls, success, region, value), on="_phone", how="left")
        .with_columns(_in=hit.fill_null(False))
        .group_by("_row")
        .agg(
            *[pl.col(c).first() for c in keep],
            leads=pl.col("_in").sum().cast(pl.UInt32),
            first_dial=pl.col("first_dial").filter(pl.col("_in")).min(),
            passes=pl.col("passes").filter(pl.col("_in")).sum().cast(pl.UInt32),
            contacted=pl.col("contacted").filter(pl.col("_in")).any(),
            converted=pl.col("converted").filter(pl.col("_in")).any(),
            _sold=pl.col("_sale").filter(pl.col("_in") & pl.col("converted")),
            _late=(gap > window).any(),
            _before=(gap <= timedelta(0)).any(),
        )
    )
    zone = calls.lazy().collect_schema()["call_start"].time_zone or "UTC"
    return (
        folded.sort("_row")
        .with_columns(
            first_dial=pl.col("first_dial").dt.convert_time_zone(zone),
            speed_to_callback=pl.col("first_dial") - pl.col("_at"),
            unmatched_reason=pl.when(pl.col("_phone").is_null())
            .then(pl.lit("invalid_number"))
            .when(pl.col("leads") > 0)
            .then(pl.lit(None, dtype=pl.String))
            .when(pl.col("_late"))
            .then(pl.lit("outside_window"))
            .when(pl.col("_before"))
            .then(pl.lit("dialed_before_call"))
            .otherwise(pl.lit("no_dial"))
            .cast(UNMATCHED),
        )
        .drop("_late", "_before")
    )


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
    (eager or lazy; the result is lazy if ``traffic`` is). Columns, in call order:
    ``sid``, ``call_date``, ``affiliate``, ``advertiser``, ``offer``, ``lf_state``,
    ``lead_status``, ``offer_qualified``, ``caller`` (the caller ID's last four digits only),
    ``leads`` (matched leads, UInt32), ``first_dial`` (the earliest matched lead's first
    dial, in the dialer's zone), ``speed_to_callback`` (first dial − call, Duration),
    ``passes`` (dial attempts of the matched leads), ``contacted`` (any ANSWER),
    ``converted`` (an agent disposition the ``success`` rule counts, as in every report)
    and ``unmatched_reason`` (null when matched; see the module docstring for the rules).

    Example:
        >>> import callanalytics as ca
        >>> rows = match_leads(ca.sample_leadflow_history(), ca.sample_dialer_results())
        >>> rows["unmatched_reason"].dtype
        Enum(categories=['no_dial', 'dialed_before_call', 'outside_window', 'invalid_number'])
    """
    carry = ["sid", "call_date", "affiliate", "advertiser", "offer", "lf_state", "lead_status"]
    carry += ["offer_qualified", "caller_id"]
    out = _matched(
        traffic, calls, carry=carry, within=within, success=success, region=region
    ).select(
        "sid",
        "call_date",
        "affiliate",
        "advertiser",
        "offer",
        "lf_state",
        "lead_status",
        "offer_qualified",
        mask_phone("caller_id").alias("caller"),
        "leads",
        "first_dial",
        "speed_to_callback",
        "passes",
        "contacted",
        "converted",
        "unmatched_reason",
    )
    return match_laziness(traffic, out)


def _sale_values(sale_value: SaleValue) -> pl.Expr | None:
    """The value of one converted lead's sale, or None without ``sale_value``."""
    if sale_value is None:
        return None

    def money(key: str, value) -> Decimal:
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValueError(
                f"sale_value[{key!r}]: {value!r} is not an amount of money "
                "(non-negative, at most 2 decimals)"
            )
        return amount

    if not isinstance(sale_value, Mapping):
        return pl.lit(money("all", sale_value)).cast(_MONEY)
    if not sale_value:
        raise ValueError("sale_value: give one amount or a mapping of campaign to amount")
    keys = [str(k) for k in sale_value]
    values = pl.Series([money(str(k), v) for k, v in sale_value.items()], dtype=_MONEY)
    old = pl.Series(keys, dtype=pl.String)

    def lookup(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(old, values, default=None, return_dtype=_MONEY)

    return lookup("campaign_id").fill_null(lookup("campaign_name"))


def _aggs() -> list[pl.Expr]:
    phone = pl.col("_phone")
    # Each converted lead once per group, however many of the group's calls matched it.
    sold = pl.col("_sold").explode().drop_nulls().unique()
    dialed = pl.col("leads") > 0
    return [
        pl.len().cast(pl.UInt32).alias("calls"),
        phone.drop_nulls().n_unique().cast(pl.UInt32).alias("callers"),
        phone.is_null().sum().cast(pl.UInt32).alias("invalid_numbers"),
        pl.col("offer_qualified").fill_null(False).sum().cast(pl.UInt32).alias("qualified"),
        phone.filter(dialed).n_unique().cast(pl.UInt32).alias("dialed"),
        phone.filter(dialed & pl.col("contacted")).n_unique().cast(pl.UInt32).alias("contacted"),
        phone.filter(dialed & pl.col("converted")).n_unique().cast(pl.UInt32).alias("converted"),
        duration_quantile("speed_to_callback", 0.5).alias("median_callback"),
        call_revenue().sum().alias("revenue"),
        call_payout().sum().alias("payout"),
        call_margin().sum().alias("margin"),
        sold.len().cast(pl.UInt32).alias("sales"),
        sold.struct.field("_value").sum().fill_null(_ZERO).cast(_MONEY).alias("downstream_revenue"),
        sold.struct.field("_value").is_null().sum().cast(pl.UInt32).alias("unvalued_sales"),
    ]


_MONEY_COLUMNS = ["call_date", "offer_qualified", "offer_price"]
_MONEY_COLUMNS += ["affiliate_qualified", "affiliate_price"]
_COUNTS = ["calls", "callers", "invalid_numbers", "qualified", "dialed", "contacted"]
_COUNTS += ["converted", "sales", "dial_rate", "conversion_rate", "median_callback"]
_COUNTS += ["revenue", "payout", "margin", "margin_per_converted"]


def _finish(grouped: pl.LazyFrame, keys: list[str], valued: bool) -> pl.LazyFrame:
    converted = pl.col("converted")
    out = grouped.with_columns(
        dial_rate=rate(pl.col("dialed"), pl.col("callers")),
        conversion_rate=rate(converted, pl.col("callers")),
        # Decimal division by zero raises, so divide only where someone converted.
        margin_per_converted=pl.when(converted > 0)
        .then(pl.col("margin") / pl.when(converted > 0).then(converted).otherwise(1))
        .cast(_MONEY),
    ).with_columns(total_margin=(pl.col("margin") + pl.col("downstream_revenue")).cast(_MONEY))
    money = ["downstream_revenue", "unvalued_sales", "total_margin"] if valued else []
    extra = [c for c in grouped.collect_schema().names() if c in _SUMMARY_EXTRA]
    return out.select(*keys, *_COUNTS, *money, *extra)


_SUMMARY_EXTRA = ("matched_calls", *UNMATCHED_REASONS)


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
    value = _sale_values(sale_value)
    columns = traffic.lazy().collect_schema().names()
    keys = list(dict.fromkeys(resolve_by(by, named=_BY, columns=columns, what="LeadFlow")))
    periods = [period_expr(p, "call_date") for p in PERIODS if p in keys]
    carry = [k for k in keys if k not in PERIODS]
    matched = _matched(
        traffic,
        calls,
        carry=[*carry, *_MONEY_COLUMNS],
        within=within,
        success=success,
        region=region,
        value=value,
    ).with_columns(periods)
    out = _finish(matched.group_by(keys).agg(_aggs()), keys, value is not None)
    if any(k in PERIODS for k in keys):
        out = out.sort(keys, nulls_last=True)
    else:
        out = out.sort(["margin", *keys], descending=[True] + [False] * len(keys), nulls_last=True)
    return match_laziness(traffic, out)


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
    value = _sale_values(sale_value)
    matched = _matched(
        traffic,
        calls,
        carry=_MONEY_COLUMNS,
        within=within,
        success=success,
        region=region,
        value=value,
    )
    reason = pl.col("unmatched_reason")
    counts = [
        (pl.col("leads") > 0).sum().cast(pl.UInt32).alias("matched_calls"),
        *[
            (reason == r).sum().cast(pl.UInt32).alias(r)
            for r in UNMATCHED_REASONS
            if r != "invalid_number"
        ],
    ]
    out = _finish(matched.select(*_aggs(), *counts), [], value is not None)
    return match_laziness(traffic, out)


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
    matched = _matched(
        traffic, calls, carry=[], within=within, success=success, region=region
    ).filter(pl.col("leads") > 0)
    phone = pl.col("_phone")
    callers = phone.n_unique().cast(pl.UInt32)
    contacted = phone.filter(pl.col("contacted")).n_unique().cast(pl.UInt32)
    converted = phone.filter(pl.col("converted")).n_unique().cast(pl.UInt32)
    out = (
        matched.with_columns(speed_bucket=speed_bucket("speed_to_callback"))
        .group_by("speed_bucket")
        .agg(callers=callers, contacted=contacted, converted=converted)
        .with_columns(
            contact_rate=rate(pl.col("contacted"), pl.col("callers")),
            conversion_rate=rate(pl.col("converted"), pl.col("callers")),
        )
        .sort("speed_bucket")
    )
    return match_laziness(traffic, out)
