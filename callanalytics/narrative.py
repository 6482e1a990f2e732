"""Sentences of interpretation computed from metric outputs, for the report notebooks.

Every sentence reads the metrics' own definitions (the speed buckets' inclusive bounds, the
conversion rule's split, the one margin) and says plainly when a window has no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import polars as pl

from callanalytics.display import fmt_duration, fmt_money, fmt_rate, plural
from callanalytics.metrics.agents import TEAM_HANDLE_TIMES
from callanalytics.metrics.speed_to_lead import SPEED_BUCKETS, within_column

__all__ = [
    "FAST_WITHIN",
    "SLOW_AFTER",
    "affiliate_story",
    "agent_story",
    "campaign_story",
    "conversion_story",
    "margin_reconciliation_story",
    "speed_story",
    "summary_story",
]

#: "Fast" leads were first dialed within this bound (included); a bucket bound.
FAST_WITHIN = timedelta(minutes=5)
#: "Slow" leads were first dialed after this bound (excluded); a bucket bound.
SLOW_AFTER = timedelta(hours=1)

NO_LEADS = "No leads were dialed in this window."


def _buckets(*, upto: timedelta | None = None, after: timedelta | None = None) -> tuple[str, ...]:
    """Labels of the buckets wholly within ``upto`` (inclusive) or wholly after ``after``."""
    labels, lower = [], timedelta(0)
    for label, upper in SPEED_BUCKETS:
        if upto is not None and upper is not None and upper <= upto:
            labels.append(label)
        if after is not None and lower >= after:
            labels.append(label)
        lower = upper if upper is not None else lower
    return tuple(labels)


_FAST = _buckets(upto=FAST_WITHIN)
_SLOW = _buckets(after=SLOW_AFTER)


def _minutes(bound: timedelta) -> str:
    minutes = int(bound.total_seconds() // 60)
    return "an hour" if minutes == 60 else f"{minutes} minutes"


def _pooled(outcomes: pl.DataFrame, buckets: tuple[str, ...], column: str) -> float | None:
    part = outcomes.filter(pl.col("speed_bucket").cast(pl.String).is_in(buckets))
    leads = part["leads"].sum()
    return None if not leads else float((part[column] * part["leads"]).sum() / leads)


def speed_story(outcomes: pl.DataFrame) -> str:
    """Compare conversion and contact of leads dialed within 5 minutes vs after an hour
    (bucket bounds from ``SPEED_BUCKETS``: "within 5 minutes" includes 5:00).

    Example:
        >>> frame = pl.DataFrame({"speed_bucket": ["0–1m", "1–5m", "1–24h"],
        ...     "leads": [10, 10, 20], "contact_rate": [0.5, 0.3, 0.2],
        ...     "conversion_rate": [0.2, 0.1, 0.05]})
        >>> speed_story(frame)
        'Leads first dialed within 5 minutes converted at 15.0% (contact 40.0%), against 5.0% (contact 20.0%) for leads first dialed after an hour.'
    """
    if outcomes.is_empty() or not outcomes["leads"].sum():
        return NO_LEADS
    fast_conv, slow_conv = (
        _pooled(outcomes, _FAST, "conversion_rate"),
        _pooled(outcomes, _SLOW, "conversion_rate"),
    )
    if fast_conv is None or slow_conv is None:
        return (
            f"No leads were first dialed within {_minutes(FAST_WITHIN)}, or none after "
            f"{_minutes(SLOW_AFTER)}, so the two cannot be compared."
        )
    fast_contact = _pooled(outcomes, _FAST, "contact_rate")
    slow_contact = _pooled(outcomes, _SLOW, "contact_rate")
    return (
        f"Leads first dialed within {_minutes(FAST_WITHIN)} converted at {fmt_rate(fast_conv)} "
        f"(contact {fmt_rate(fast_contact)}), against {fmt_rate(slow_conv)} "
        f"(contact {fmt_rate(slow_contact)}) for leads first dialed after {_minutes(SLOW_AFTER)}."
    )


def summary_story(summary: Mapping[str, Any]) -> str:
    """One sentence on the typical wait for a first dial (a row of ``speed_to_lead_summary``).

    Example:
        >>> summary_story({"leads": 10, "median": timedelta(minutes=3), "within_5m": 0.6,
        ...     "p90": timedelta(hours=2)})
        'Half of the 10 leads waited 3m 00s or less for a first dial; 60.0% were dialed within 5 minutes (5:00 included), and one in ten waited longer than 2h 00m.'
    """
    leads = summary.get("leads") or 0
    if not leads:
        return NO_LEADS
    if summary.get("median") is None:
        if leads == 1:
            return "The one lead has no speed to lead recorded, so its wait is unknown."
        return (
            f"None of the {leads:,} leads has a speed to lead recorded, so their wait is unknown."
        )
    within = summary.get(within_column(FAST_WITHIN))
    sentence = (
        f"{'The one lead' if leads == 1 else f'Half of the {leads:,} leads'} waited "
        f"{fmt_duration(summary['median'])}{'' if leads == 1 else ' or less'} for a "
        f"first dial; {fmt_rate(within)} were dialed within {_minutes(FAST_WITHIN)} "
        f"({int(FAST_WITHIN.total_seconds() // 60)}:00 included)"
    )
    if summary.get("p90") is None:
        return sentence + "."
    return sentence + f", and one in ten waited longer than {fmt_duration(summary['p90'])}."


def campaign_story(by_campaign: pl.DataFrame) -> str:
    """Name the fastest and slowest campaign by median speed to lead.

    Example:
        >>> campaign_story(pl.DataFrame({"campaign_name": ["A", "B"],
        ...     "median": [timedelta(minutes=2), timedelta(hours=3)]}))
        'Fastest campaign: A (median 2m 00s); slowest: B (median 3h 00m).'
    """
    if by_campaign.is_empty():
        return "No campaign had leads in this window."
    ranked = by_campaign.filter(pl.col("median").is_not_null()).sort("median")
    if ranked.height < 2:
        return "Only one campaign with a known speed to lead in this window."
    fast, slow = ranked.row(0, named=True), ranked.row(-1, named=True)
    return (
        f"Fastest campaign: {fast['campaign_name']} (median {fmt_duration(fast['median'])}); "
        f"slowest: {slow['campaign_name']} (median {fmt_duration(slow['median'])})."
    )


#: The header the agent report uses for the same figure (metrics.TEAM_HANDLE_TIMES).
_MEDIAN_AGENT_AHT = TEAM_HANDLE_TIMES["median_agent_aht"][0]


def agent_story(performance: pl.DataFrame) -> str:
    """Top converter, team handle time (AHT = duration + wrap) and outliers.

    Example:
        >>> frame = pl.DataFrame({"agent_name": ["Ann", "Bo"], "calls": [30, 25],
        ...     "conversion_rate": [0.3, 0.1], "ranked": [True, True], "rank": [1, 2],
        ...     "aht": [timedelta(minutes=5), timedelta(minutes=7)], "aht_outlier": [None, "high"]})
        >>> agent_story(frame)
        "Top converter: Ann at 30.0% over 30 answered calls. Median agent's average handle time 6m 00s; 1 agent flagged as a handle-time outlier: Bo."
    """
    if performance.is_empty():
        return "No agent handled an answered call in this window."
    ranked = performance.filter(pl.col("ranked")).sort("rank")
    if ranked.is_empty():
        return (
            "No agent handled enough answered calls to be ranked (the busiest handled "
            f"{performance['calls'].max():,}); lower min_calls to rank them."
        )
    top = ranked.row(0, named=True)
    median_aht = ranked["aht"].median()
    outliers = ranked.filter(pl.col("aht_outlier").is_not_null())["agent_name"].to_list()
    flagged = (
        f"{plural(len(outliers), 'agent')} flagged as "
        f"{'a handle-time outlier' if len(outliers) == 1 else 'handle-time outliers'}: "
        f"{', '.join(outliers)}."
        if outliers
        else "no handle-time outliers."
    )
    return (
        f"Top converter: {top['agent_name']} at {fmt_rate(top['conversion_rate'])} over "
        f"{plural(top['calls'], 'answered call')}. {_MEDIAN_AGENT_AHT} {fmt_duration(median_aht)}; "
        f"{flagged}"
    )


def conversion_story(split: pl.DataFrame) -> str:
    """Which dispositions counted as conversions and which were seen but not counted
    (from ``metrics.disposition_split``), most frequent first.

    Example:
        >>> conversion_story(pl.DataFrame({"disposition": ["Sale", "No Sale"],
        ...     "counted": [True, False], "calls": [20, 3]}))
        'Counted as conversions: Sale (20 calls). Seen but not counted: No Sale (3 calls).'
    """
    if split.is_empty():
        return "No agent dispositions were recorded in this window."

    def listing(counted: bool) -> str:
        part = split.filter(pl.col("counted") == counted).sort(
            ["calls", "disposition"], descending=[True, False]
        )
        return ", ".join(
            f"{r['disposition']} ({r['calls']:,} call{'s' if r['calls'] != 1 else ''})"
            for r in part.iter_rows(named=True)
        )

    counted, other = listing(True), listing(False)
    first = (
        f"Counted as conversions: {counted}."
        if counted
        else "No disposition in this window counted as a conversion."
    )
    return f"{first} Seen but not counted: {other}." if other else first


def losing_money(by_affiliate: pl.DataFrame) -> str:
    """The affiliates whose margin is negative, worst last, or that none lost money: the one
    sentence the affiliate story and the margin chart's takeaway share.

    Example:
        >>> from decimal import Decimal as D
        >>> losing_money(pl.DataFrame({"affiliate": ["A", "B"], "margin": [D("5"), D("-2")]}))
        'Losing money: B (-$2.00).'
    """
    ordered = by_affiliate.sort("margin", descending=True, nulls_last=True)
    losers = ordered.filter(pl.col("margin") < 0)
    if not losers.height:
        return "No affiliate lost money."
    named = (f"{r['affiliate']} ({fmt_money(r['margin'])})" for r in losers.iter_rows(named=True))
    return "Losing money: " + ", ".join(named) + "."


def affiliate_story(summary: Mapping[str, Any], by_affiliate: pl.DataFrame) -> str:
    """Overall margin, the best affiliate, and those that lose money.

    Example:
        >>> from decimal import Decimal as D
        >>> affiliate_story({"calls": 9, "margin": D("100"), "revenue": D("400"),
        ...     "margin_pct": 0.25, "leakage_payout": D("30"), "leakage_calls": 2},
        ...     pl.DataFrame({"affiliate": ["A", "B"], "margin": [D("120"), D("-20")]}))
        'Margin $100.00 on revenue $400.00 (25.0%). Best affiliate: A ($120.00). Losing money: B (-$20.00). 2 calls were paid to affiliates but not sold to an advertiser ($30.00 of payout).'
    """
    if by_affiliate.is_empty() or not summary.get("calls", by_affiliate.height):
        return "No LeadFlow calls in this window."
    ordered = by_affiliate.sort("margin", descending=True, nulls_last=True)
    best = ordered.row(0, named=True)
    losing = losing_money(ordered)
    leaked = summary["leakage_calls"]
    return (
        f"Margin {fmt_money(summary['margin'])} on revenue {fmt_money(summary['revenue'])} "
        f"({fmt_rate(summary['margin_pct'])}). Best affiliate: {best['affiliate']} "
        f"({fmt_money(best['margin'])}). {losing} {plural(leaked, 'call')} "
        f"{plural(leaked, 'was', 'were', count=False)} paid "
        f"to affiliates but not sold to an advertiser ({fmt_money(summary['leakage_payout'])} "
        "of payout)."
    )


def margin_reconciliation_story(summary: Mapping[str, Any], *, listed: bool = True) -> str:
    """Our margin beside LeadFlow's own ``margin`` column (a row of
    ``margin_reconciliation(...).summary``). ``listed=False`` where the disagreeing calls
    are not listed below the sentence (the command line).

    Example:
        >>> from decimal import Decimal as D
        >>> margin_reconciliation_story({"margin": D("100"), "reported_margin": D("95"),
        ...     "difference": D("-5"), "calls": 1})
        "Margin $100.00 is revenue minus payout of qualified calls. LeadFlow's own margin column sums to $95.00, $5.00 less, because on 1 call it disagrees with the prices beside it (listed below)."
    """
    ours = f"Margin {fmt_money(summary['margin'])} is revenue minus payout of qualified calls"
    below = " (listed below)" if listed else ""
    difference = summary["difference"]
    if not difference and not summary.get("calls"):
        return f"{ours}; LeadFlow's own margin column agrees."
    calls = summary["calls"]
    if not difference:
        return (
            f"{ours}. LeadFlow's own margin column sums to the same, though on {calls:,} "
            f"call{'s' if calls != 1 else ''} it disagrees with the prices beside it "
            f"{below}."
        )
    direction = "more" if difference > 0 else "less"
    return (
        f"{ours}. LeadFlow's own margin column sums to {fmt_money(summary['reported_margin'])}, "
        f"{fmt_money(abs(difference))} {direction}, because on {calls:,} "
        f"call{'s' if calls != 1 else ''} it disagrees with the prices beside it{below}."
    )
