"""Sentences of interpretation computed from metric outputs, for the report notebooks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from callanalytics.display import fmt_duration, fmt_money, fmt_rate

__all__ = ["affiliate_story", "agent_story", "campaign_story", "speed_story", "summary_story"]

_FAST = ("<1m", "1–5m")
_SLOW = ("1–24h", ">24h")


def _pooled(outcomes: pl.DataFrame, buckets: tuple[str, ...], column: str) -> float | None:
    part = outcomes.filter(pl.col("speed_bucket").cast(pl.String).is_in(buckets))
    leads = part["leads"].sum()
    return None if not leads else float((part[column] * part["leads"]).sum() / leads)


def speed_story(outcomes: pl.DataFrame) -> str:
    """Compare conversion and contact of leads dialed within 5 minutes vs after an hour.

    Example:
        >>> frame = pl.DataFrame({"speed_bucket": ["<1m", "1–5m", "1–24h"], "leads": [10, 10, 20],
        ...     "contact_rate": [0.5, 0.3, 0.2], "conversion_rate": [0.2, 0.1, 0.05]})
        >>> speed_story(frame)
        'Leads first dialed within 5 minutes converted at 15.0% (contact 40.0%), against 5.0% (contact 20.0%) for leads first dialed after an hour.'
    """
    fast_conv, slow_conv = (
        _pooled(outcomes, _FAST, "conversion_rate"),
        _pooled(outcomes, _SLOW, "conversion_rate"),
    )
    if fast_conv is None or slow_conv is None:
        return "Too few leads in the fastest or slowest buckets to compare."
    fast_contact = _pooled(outcomes, _FAST, "contact_rate")
    slow_contact = _pooled(outcomes, _SLOW, "contact_rate")
    return (
        f"Leads first dialed within 5 minutes converted at {fmt_rate(fast_conv)} "
        f"(contact {fmt_rate(fast_contact)}), against {fmt_rate(slow_conv)} "
        f"(contact {fmt_rate(slow_contact)}) for leads first dialed after an hour."
    )


def summary_story(summary: Mapping[str, Any]) -> str:
    """One sentence on the typical wait for a first dial.

    Example:
        >>> from datetime import timedelta
        >>> summary_story({"leads": 10, "median": timedelta(minutes=3), "within_5m": 0.6,
        ...     "p90": timedelta(hours=2)})
        'Half of the 10 leads waited 3m 00s or less for a first dial; 60.0% were dialed within 5 minutes, and one in ten waited longer than 2h 00m.'
    """
    return (
        f"Half of the {summary['leads']:,} leads waited {fmt_duration(summary['median'])} or "
        f"less for a first dial; {fmt_rate(summary['within_5m'])} were dialed within 5 "
        f"minutes, and one in ten waited longer than {fmt_duration(summary['p90'])}."
    )


def campaign_story(by_campaign: pl.DataFrame) -> str:
    """Name the fastest and slowest campaign by median speed to lead.

    Example:
        >>> from datetime import timedelta
        >>> campaign_story(pl.DataFrame({"campaign_name": ["A", "B"],
        ...     "median": [timedelta(minutes=2), timedelta(hours=3)]}))
        'Fastest campaign: A (median 2m 00s); slowest: B (median 3h 00m).'
    """
    ranked = by_campaign.filter(pl.col("median").is_not_null()).sort("median")
    if ranked.height < 2:
        return "Only one campaign in this window."
    fast, slow = ranked.row(0, named=True), ranked.row(-1, named=True)
    return (
        f"Fastest campaign: {fast['campaign_name']} (median {fmt_duration(fast['median'])}); "
        f"slowest: {slow['campaign_name']} (median {fmt_duration(slow['median'])})."
    )


def agent_story(performance: pl.DataFrame) -> str:
    """Top converter, team handle time and outliers.

    Example:
        >>> from datetime import timedelta
        >>> frame = pl.DataFrame({"agent_name": ["Ann", "Bo"], "calls": [30, 25],
        ...     "conversion_rate": [0.3, 0.1], "ranked": [True, True], "rank": [1, 2],
        ...     "aht": [timedelta(minutes=5), timedelta(minutes=7)], "aht_outlier": [None, "high"]})
        >>> agent_story(frame)
        'Top converter: Ann at 30.0% over 30 answered calls. Team median handle time 6m 00s; 1 agent(s) flagged as handle-time outliers: Bo.'
    """
    ranked = performance.filter(pl.col("ranked")).sort("rank")
    if ranked.is_empty():
        return "No agent handled enough calls to be ranked; lower min_calls to rank them."
    top = ranked.row(0, named=True)
    median_aht = ranked["aht"].median()
    outliers = ranked.filter(pl.col("aht_outlier").is_not_null())["agent_name"].to_list()
    flagged = (
        f"{len(outliers)} agent(s) flagged as handle-time outliers: {', '.join(outliers)}."
        if outliers
        else "no handle-time outliers."
    )
    return (
        f"Top converter: {top['agent_name']} at {fmt_rate(top['conversion_rate'])} over "
        f"{top['calls']} answered calls. Team median handle time {fmt_duration(median_aht)}; "
        f"{flagged}"
    )


def affiliate_story(summary: Mapping[str, Any], by_affiliate: pl.DataFrame) -> str:
    """Overall margin, the best affiliate, and those that lose money.

    Example:
        >>> from decimal import Decimal as D
        >>> affiliate_story({"margin": D("100"), "revenue": D("400"), "margin_pct": 0.25,
        ...     "leakage_payout": D("30"), "leakage_calls": 2},
        ...     pl.DataFrame({"affiliate": ["A", "B"], "margin": [D("120"), D("-20")]}))
        'Margin $100.00 on revenue $400.00 (25.0%). Best affiliate: A ($120.00). Losing money: B (-$20.00). 2 calls were paid to affiliates but not sold to an advertiser ($30.00 of payout).'
    """
    ordered = by_affiliate.sort("margin", descending=True)
    best = ordered.row(0, named=True)
    losers = ordered.filter(pl.col("margin") < 0)
    losing = (
        "Losing money: "
        + ", ".join(
            f"{r['affiliate']} ({fmt_money(r['margin'])})" for r in losers.iter_rows(named=True)
        )
        + "."
        if losers.height
        else "No affiliate loses money."
    )
    return (
        f"Margin {fmt_money(summary['margin'])} on revenue {fmt_money(summary['revenue'])} "
        f"({fmt_rate(summary['margin_pct'])}). Best affiliate: {best['affiliate']} "
        f"({fmt_money(best['margin'])}). {losing} {summary['leakage_calls']:,} calls were paid "
        f"to affiliates but not sold to an advertiser ({fmt_money(summary['leakage_payout'])} "
        "of payout)."
    )
