"""The words a reader sees in a table header, by column name."""

from __future__ import annotations

__all__ = ["LABELS", "label"]

#: Column name -> the words a reader sees in a table header.
LABELS: dict[str, str] = {
    # speed to lead
    "leads": "Leads",
    "median": "Median wait",
    "p75": "75th percentile wait",
    "p90": "90th percentile wait",
    "within_1m": "Within 1 min",
    "within_5m": "Within 5 min",
    "within_15m": "Within 15 min",
    "within_60m": "Within 60 min",
    "contact_rate": "Contact rate",
    "conversion_rate": "Conversion rate",
    "speed_bucket": "Wait for first dial",
    "campaign_id": "Campaign id",
    "campaign_name": "Campaign",
    "day": "Day",
    # agents
    "rank": "Rank",
    "agent_id": "Agent id",
    "agent_name": "Agent",
    "agents": "Agents",
    "ranked": "Ranked",
    "calls": "Calls",
    "answered_calls": "Answered calls",
    "conversions": "Conversions",
    "aht": "Average handle time",
    "avg_talk": "Average talk",
    "avg_hold": "Average hold",
    "avg_wrap": "Average wrap",
    "avg_wait": "Average wait between calls",
    "occupancy": "Occupancy",
    "transfer_rate": "Transfer rate",
    "aht_outlier": "Handle time outlier",
    "days": "Days worked",
    "median_calls_per_hour": "Median calls per logged hour",
    "agent_disposition": "Disposition",
    "disposition": "Disposition",
    "counted": "Counted as conversion",
    # affiliates
    "affiliate": "Affiliate",
    "advertiser": "Advertiser",
    "offer": "Offer",
    "lf_state": "State",
    "revenue": "Revenue",
    "payout": "Payout",
    "margin": "Margin",
    "margin_pct": "Margin %",
    "margin_per_call": "Margin per call",
    "connected_rate": "Connected",
    "offer_qualified_rate": "Offer-qualified",
    "affiliate_qualified_rate": "Affiliate-qualified",
    "repeat_caller_share": "Repeat callers",
    "cap_hits": "Cap hits",
    "contested_calls": "Contested calls",
    "revenue_at_risk": "Revenue at risk",
    "leakage_calls": "Paid, not sold (calls)",
    "leakage_payout": "Paid, not sold (payout)",
    "sid": "Call id",
    "call_date": "Call time",
    "caller": "Caller",
    "offer_price": "Offer price",
    "affiliate_price": "Affiliate price",
    "expected_margin": "Expected margin",
    "difference": "Difference",
}


def label(name: str) -> str:
    """The header a reader sees for column ``name``.

    Example:
        >>> label("within_5m"), label("some_new_column")
        ('Within 5 min', 'Some new column')
    """
    return LABELS.get(name) or name.replace("_", " ").capitalize()
