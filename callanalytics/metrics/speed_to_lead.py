"""Speed to lead: how long a lead waited for its first dial, and what that cost.

Contact rates fall steeply after the first five minutes, so the buckets below split there.
All functions take the typed Dialer frame (eager or lazy) and return the same kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import polars as pl

from callanalytics.metrics._frames import duration_quantile, like, rate, success_expr

__all__ = [
    "SPEED_BUCKETS",
    "lead_outcomes",
    "outcomes_by_speed",
    "speed_to_lead_by",
    "speed_to_lead_heatmap",
    "speed_to_lead_summary",
]

#: Bucket labels with their upper bounds (the last is open-ended).
SPEED_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("<1m", timedelta(minutes=1)),
    ("1–5m", timedelta(minutes=5)),
    ("5–15m", timedelta(minutes=15)),
    ("15–60m", timedelta(hours=1)),
    ("1–24h", timedelta(hours=24)),
    (">24h", None),
)
BUCKET = pl.Enum([label for label, _ in SPEED_BUCKETS])
_WITHIN = (1, 5, 15, 60)
_LEAD = ["campaign_id", "lead_phone"]


def _bucket(column: str) -> pl.Expr:
    expr = pl.when(pl.col(column).is_null()).then(None)
    for label, bound in SPEED_BUCKETS:
        expr = expr.when(pl.col(column) < bound).then(pl.lit(label)) if bound else expr
    return expr.otherwise(pl.lit(SPEED_BUCKETS[-1][0])).cast(BUCKET)


def lead_outcomes(calls, *, success: str | Sequence[str] | None = None):
    """One row per lead (campaign + lead phone), from its earliest pass.

    Columns: ``campaign_id``, ``campaign_name``, ``lead_phone``, ``upload_date``,
    ``first_call``, ``speed_to_lead`` (first pass), ``speed_to_agent``, ``passes``,
    ``contacted`` (any ANSWER), ``converted`` (any successful agent disposition) and
    ``speed_bucket``.

    Example:
        >>> import callanalytics as ca
        >>> leads = lead_outcomes(ca.sample_dialer_results(n=500))
        >>> leads.columns[:3]
        ['campaign_id', 'lead_phone', 'campaign_name']
    """
    lf = calls.lazy().with_columns(_success=success_expr("agent_disposition", success))
    out = (
        lf.sort("call_start", nulls_last=True)
        .group_by(_LEAD, maintain_order=True)
        .agg(
            campaign_name=pl.col("campaign_name").first(),
            upload_date=pl.col("upload_date").first(),
            first_call=pl.col("call_start").min(),
            speed_to_lead=pl.col("speed_to_lead_first_pass").drop_nulls().first(),
            speed_to_agent=pl.col("speed_to_lead_agent_conn").min(),
            passes=pl.len(),
            contacted=(pl.col("pass_disposition") == "ANSWER").any(),
            converted=pl.col("_success").any(),
        )
        .with_columns(speed_bucket=_bucket("speed_to_lead"))
    )
    return like(calls, out)


def _summary_aggs() -> list[pl.Expr]:
    within = [
        rate(
            (pl.col("speed_to_lead") <= timedelta(minutes=m)).sum(),
            pl.col("speed_to_lead").count(),
        ).alias(f"within_{m}m")
        for m in _WITHIN
    ]
    return [
        pl.len().alias("leads"),
        duration_quantile("speed_to_lead", 0.5).alias("median"),
        duration_quantile("speed_to_lead", 0.75).alias("p75"),
        duration_quantile("speed_to_lead", 0.9).alias("p90"),
        *within,
        rate(pl.col("contacted").sum(), pl.len()).alias("contact_rate"),
        rate(pl.col("converted").sum(), pl.len()).alias("conversion_rate"),
    ]


def speed_to_lead_summary(calls, *, success: str | Sequence[str] | None = None):
    """Headline numbers over all leads: median, p75, p90 speed to lead; share of leads first
    dialed within 1, 5, 15 and 60 minutes; contact and conversion rates.

    Example:
        >>> import callanalytics as ca
        >>> row = speed_to_lead_summary(ca.sample_dialer_results(n=500)).row(0, named=True)
        >>> 0 <= row["within_5m"] <= 1
        True
    """
    leads = lead_outcomes(calls.lazy(), success=success)
    return like(calls, leads.select(_summary_aggs()))


def speed_to_lead_by(calls, by: str = "campaign", *, success: str | Sequence[str] | None = None):
    """The summary per ``campaign`` or per ``day`` (of the lead's first call).

    Example:
        >>> import callanalytics as ca
        >>> speed_to_lead_by(ca.sample_dialer_results(n=500), "day").columns[:2]
        ['day', 'leads']
    """
    leads = lead_outcomes(calls.lazy(), success=success)
    if by == "campaign":
        keys = ["campaign_id", "campaign_name"]
    elif by == "day":
        leads = leads.with_columns(day=pl.col("first_call").dt.date())
        keys = ["day"]
    else:
        raise ValueError(f"by must be 'campaign' or 'day', not {by!r}")
    return like(calls, leads.group_by(keys).agg(_summary_aggs()).sort(keys))


def speed_to_lead_heatmap(calls):
    """Median speed to lead by weekday × hour of the lead's upload (for a heatmap).

    ``weekday`` is 1 (Monday) to 7 (Sunday); ``hour`` 0–23 in the report's time zone.

    Example:
        >>> import callanalytics as ca
        >>> speed_to_lead_heatmap(ca.sample_dialer_results(n=500)).columns
        ['weekday', 'hour', 'leads', 'median']
    """
    leads = lead_outcomes(calls.lazy()).filter(pl.col("upload_date").is_not_null())
    out = (
        leads.group_by(
            weekday=pl.col("upload_date").dt.weekday(), hour=pl.col("upload_date").dt.hour()
        )
        .agg(pl.len().alias("leads"), duration_quantile("speed_to_lead", 0.5).alias("median"))
        .sort("weekday", "hour")
    )
    return like(calls, out)


def outcomes_by_speed(calls, *, success: str | Sequence[str] | None = None):
    """Leads, contact rate (any ANSWER) and conversion rate per speed-to-lead bucket.

    Example:
        >>> import callanalytics as ca
        >>> outcomes_by_speed(ca.sample_dialer_results(n=500))["speed_bucket"].to_list()[0]
        '<1m'
    """
    leads = lead_outcomes(calls.lazy(), success=success).filter(
        pl.col("speed_bucket").is_not_null()
    )
    out = (
        leads.group_by("speed_bucket")
        .agg(
            leads=pl.len(),
            contact_rate=rate(pl.col("contacted").sum(), pl.len()),
            conversion_rate=rate(pl.col("converted").sum(), pl.len()),
        )
        .sort("speed_bucket")
    )
    return like(calls, out)
