"""The match behind the lead funnel: each LeadFlow call and the dialer leads that called it back.

Both sides' numbers are read as E.164 by :func:`callanalytics.nanp.nanp_e164` (the same parse
on polars, DuckDB and Spark; it agrees with :mod:`callanalytics.phones` on North American
numbers): the LeadFlow ``caller_id``, and for each dialer lead (campaign + ``lead_phone``) its
``lead_phone`` and, as a second key, its ``aux_phone`` (its first non-null one in call order;
a lead whose two numbers are the same counts once). A LeadFlow call matches every lead with
its number whose **first dial is after the call and at most** ``within`` **later** (default 30
days). Times compare as instants (epoch milliseconds), whatever each side's zone.

A call that matches no lead says why, in ``unmatched_reason``:

- ``invalid_number``: its caller ID is missing, masked or not a valid number;
- ``outside_window``: a lead with its number was first dialed after the call, but more
  than ``within`` later;
- ``dialed_before_call``: a lead with its number was first dialed at or before the call
  (the caller was already on a list), and none after it;
- ``no_dial``: no lead has its number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

import narwhals as nw

from callanalytics.metrics._engine import Native, with_epoch_ms
from callanalytics.metrics._grouping import ordered_picks
from callanalytics.metrics.conversion_rule import Success, success_nw
from callanalytics.nanp import NANP_REGIONS, nanp_e164
from callanalytics.phones import check_region

__all__ = ["MATCH_WINDOW", "UNMATCHED_REASONS", "Match", "SaleValue", "match"]

#: How long after a call a first dial still counts as a callback.
MATCH_WINDOW = timedelta(days=30)
#: Why a LeadFlow call matched no dialer lead (``unmatched_reason``, an Enum).
UNMATCHED_REASONS = ("no_dial", "dialed_before_call", "outside_window", "invalid_number")
#: A sale's value: one amount for every sale, or one per campaign (id or name).
SaleValue = Decimal | int | str | Mapping[str, Decimal | int | str] | None

_LEAD = ["campaign_id", "lead_phone"]
_ORDER = ["call_date", "sid"]


def _window_ms(within: timedelta) -> int:
    if not isinstance(within, timedelta) or within <= timedelta(0):
        raise ValueError(f"within must be a positive timedelta, not {within!r}")
    return int(within / timedelta(milliseconds=1))


def _nanp(region: str) -> None:
    if check_region(region) not in NANP_REGIONS:
        raise ValueError(
            f"region: the funnel matches North American (+1) numbers, the same way on every "
            f"engine; {region!r} is not one of {', '.join(NANP_REGIONS)}"
        )


def _cents(key: str, value) -> int:
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(
            f"sale_value[{key!r}]: {value!r} is not an amount of money "
            "(non-negative, at most 2 decimals)"
        )
    return int(amount * 100)


def sale_cents(sale_value: SaleValue) -> nw.Expr | None:
    """A converted lead's sale value in whole cents (Int64), or None without ``sale_value``.

    A mapping names campaigns by id or name (the id is looked up first); a lead of a
    campaign it does not name has a null value (an unvalued sale).
    """
    if sale_value is None:
        return None
    if not isinstance(sale_value, Mapping):
        return nw.lit(_cents("all", sale_value)).cast(nw.Int64)
    if not sale_value:
        raise ValueError("sale_value: give one amount or a mapping of campaign to amount")
    amounts = {str(k): _cents(str(k), v) for k, v in sale_value.items()}

    def lookup(column: str) -> nw.Expr:
        first, *rest = amounts.items()
        expr = nw.when(nw.col(column) == first[0]).then(nw.lit(first[1]))
        for key, cents in rest:
            expr = expr.when(nw.col(column) == key).then(nw.lit(cents))
        return expr.cast(nw.Int64)

    return nw.coalesce(lookup("campaign_id"), lookup("campaign_name"))


def _lead_keys(calls: Native, success: Success, value: nw.Expr | None) -> nw.LazyFrame:
    """One row per (E.164 number, dialer lead): the lead's first dial, outcome and sale."""
    order = ["_t_missing", "call_start"]
    lf = calls.lazy.with_columns(
        _success=success_nw("agent_disposition", success),
        _answer=(nw.col("pass_disposition") == "ANSWER").fill_null(False),
        _t_missing=nw.col("call_start").is_null(),
        _n_missing=nw.col("campaign_name").is_null(),
        _a_missing=nw.col("aux_phone").is_null(),
    )
    firsts = {
        "campaign_name": ("campaign_name", ["_n_missing", *order], False),
        "aux_phone": ("aux_phone", ["_a_missing", *order], False),
    }
    lf, picks = ordered_picks(calls, lf, _LEAD, firsts)
    leads = (
        lf.group_by(_LEAD)
        .agg(
            *picks,
            nw.col("call_start").min().alias("first_dial"),
            nw.len().cast(calls.count_dtype).alias("passes"),
            nw.col("_answer").any().alias("contacted"),
            nw.col("_success").any().alias("converted"),
        )
        .filter(~nw.col("first_dial").is_null())
    )
    leads = with_epoch_ms(calls, leads, "_first_ms", "first_dial").with_columns(
        nanp_e164("lead_phone").alias("_p1"),
        nanp_e164("aux_phone").alias("_p2"),
        (value if value is not None else nw.lit(None).cast(nw.Int64)).alias("_value"),
    )
    lead = ["first_dial", "_first_ms", "passes", "contacted", "converted", "_value"]
    lead += [nw.col("campaign_id").alias("_lead_campaign"), nw.col("lead_phone").alias("_lead")]
    second = ~nw.col("_p2").is_null() & (nw.col("_p1").is_null() | (nw.col("_p2") != nw.col("_p1")))
    return nw.concat(
        [
            leads.filter(~nw.col("_p1").is_null()).select(nw.col("_p1").alias("_phone"), *lead),
            leads.filter(second).select(nw.col("_p2").alias("_phone"), *lead),
        ],
        how="vertical",
    )


class Match:
    """The calls (one row each, ``_row`` in call order, every LeadFlow column plus the match)
    and the (call, converted lead) pairs behind ``converted``, for counting sales."""

    def __init__(self, calls: nw.LazyFrame, sold: nw.LazyFrame) -> None:
        self.calls, self.sold = calls, sold


def match(
    traffic: Native,
    calls: Native,
    *,
    within: timedelta,
    success: Success,
    region: str,
    value: nw.Expr | None = None,
) -> Match:
    """Match every LeadFlow call to the dialer leads with its number (see the module)."""
    window = _window_ms(within)
    _nanp(region)
    if traffic.impl != calls.impl:
        raise TypeError(
            f"traffic and calls must be frames of one engine, not {traffic.impl} and {calls.impl}"
        )
    rows = traffic.lazy.with_row_index("_row", order_by=_ORDER).with_columns(
        nanp_e164("caller_id").alias("_phone")
    )
    rows = with_epoch_ms(traffic, rows, "_at", "call_date")
    gap = nw.col("_first_ms") - nw.col("_at")
    pairs = (
        rows.select("_row", "_phone", "_at")
        .filter(~nw.col("_phone").is_null())
        .join(_lead_keys(calls, success, value), on="_phone", how="inner")
        .with_columns(
            _in=((gap > 0) & (gap <= window)).fill_null(False),
            _late=(gap > window).fill_null(False),
            _before=(gap <= 0).fill_null(False),
        )
    )
    hit = nw.col("_in")
    per_call = (
        pairs.with_columns(
            _hit_dial=nw.when(hit).then(nw.col("first_dial")),
            _hit_ms=nw.when(hit).then(nw.col("_first_ms")),
            _hit_passes=nw.when(hit).then(nw.col("passes")).otherwise(0),
            _hit_contacted=hit & nw.col("contacted"),
            _hit_converted=hit & nw.col("converted"),
        )
        .group_by("_row")
        .agg(
            traffic.true_count(hit).alias("leads"),
            nw.col("_hit_dial").min().alias("first_dial"),
            nw.col("_hit_ms").min().alias("_first_ms"),
            nw.col("_hit_passes").sum().alias("passes"),
            nw.col("_hit_contacted").any().alias("contacted"),
            nw.col("_hit_converted").any().alias("converted"),
            nw.col("_late").any().alias("_late"),
            nw.col("_before").any().alias("_before"),
        )
    )
    count = traffic.count_dtype
    matched = rows.join(per_call, on="_row", how="left").with_columns(
        nw.col("leads").fill_null(0).cast(count),
        nw.col("passes").fill_null(0).cast(count),
        *[nw.col(c).fill_null(False) for c in ("contacted", "converted", "_late", "_before")],
        (nw.col("_first_ms") - nw.col("_at")).alias("speed_to_callback"),
    )
    unmatched = nw.col("leads") == 0
    reason = (
        nw.when(nw.col("_phone").is_null())
        .then(nw.lit("invalid_number"))
        .when(unmatched & nw.col("_late"))
        .then(nw.lit("outside_window"))
        .when(unmatched & nw.col("_before"))
        .then(nw.lit("dialed_before_call"))
        .when(unmatched)
        .then(nw.lit("no_dial"))
    )
    # Spark has no enum type: the reason is a String there.
    reason = reason if traffic.is_spark else reason.cast(nw.Enum(list(UNMATCHED_REASONS)))
    matched = matched.with_columns(reason.alias("unmatched_reason"))
    sold = pairs.filter(hit & nw.col("converted")).select(
        "_row", "_lead_campaign", "_lead", "_value"
    )
    return Match(matched, sold)
