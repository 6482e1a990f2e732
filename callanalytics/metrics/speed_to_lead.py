"""Speed to lead: how long a lead waited for its first dial, and what that cost.

Contact rates fall steeply after the first five minutes, so the buckets below split there.
Every bucket includes its upper bound, as analysts read "within 5 minutes": a lead first
dialed at exactly 5:00 is in ``1–5m`` and counts in ``within_5m``; at 5:00.001 it is in
``5–15m``. :data:`SPEED_BUCKETS` is the one definition; the summary's ``within_*`` shares,
the buckets, the charts and the sentences all read it.

All functions take the typed Dialer frame (eager or lazy) and return the same kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import polars as pl

from callanalytics.metrics._frames import (
    PERIODS,
    Success,
    duration_quantile,
    like,
    period_expr,
    rate,
    resolve_by,
    success_expr,
)

__all__ = [
    "SPEED_BUCKETS",
    "SPEED_WITHIN",
    "lead_outcomes",
    "outcomes_by_speed",
    "speed_to_lead_by",
    "speed_to_lead_heatmap",
    "speed_to_lead_summary",
    "within_column",
]

#: Bucket labels with their upper bounds, each bound INCLUDED in its bucket (the last bucket
#: is open-ended). A bucket runs from just above the previous bound up to and including its own.
SPEED_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("0–1m", timedelta(minutes=1)),
    ("1–5m", timedelta(minutes=5)),
    ("5–15m", timedelta(minutes=15)),
    ("15–60m", timedelta(hours=1)),
    ("1–24h", timedelta(hours=24)),
    (">24h", None),
)
#: The "dialed within …" thresholds of the summary (inclusive), read from the bucket bounds.
SPEED_WITHIN: tuple[timedelta, ...] = tuple(
    bound for _, bound in SPEED_BUCKETS if bound is not None and bound <= timedelta(hours=1)
)
BUCKET = pl.Enum([label for label, _ in SPEED_BUCKETS])
_LEAD = ["campaign_id", "lead_phone"]


def within_column(bound: timedelta) -> str:
    """The summary column for a threshold: ``within_5m`` for five minutes.

    Example:
        >>> within_column(timedelta(hours=1))
        'within_60m'
    """
    return f"within_{int(bound.total_seconds() // 60)}m"


def _bucket(column: str) -> pl.Expr:
    expr = pl.when(pl.col(column).is_null()).then(None)
    for label, bound in SPEED_BUCKETS:
        if bound is not None:
            expr = expr.when(pl.col(column) <= bound).then(pl.lit(label))
    return expr.otherwise(pl.lit(SPEED_BUCKETS[-1][0])).cast(BUCKET)


def _leads(calls, success: Success, extra: Sequence[str] = ()) -> pl.LazyFrame:
    lf = calls.lazy().with_columns(_success=success_expr("agent_disposition", success))
    speed = pl.col("speed_to_lead")
    return (
        lf.sort("call_start", nulls_last=True)
        .group_by(_LEAD, maintain_order=True)
        .agg(
            *[pl.col(c).first() for c in extra],
            campaign_name=pl.col("campaign_name").first(),
            upload_date=pl.col("upload_date").first(),
            first_call=pl.col("call_start").min(),
            speed_to_lead=pl.col("speed_to_lead_first_pass").drop_nulls().first(),
            speed_to_agent=pl.col("speed_to_lead_agent_conn").min(),
            passes=pl.len(),
            contacted=(pl.col("pass_disposition") == "ANSWER").any(),
            converted=pl.col("_success").any(),
        )
        .with_columns(
            arrival=pl.when(speed.is_not_null() & pl.col("first_call").is_not_null())
            .then(pl.col("first_call") - speed)
            .otherwise(pl.col("upload_date")),
            arrival_source=pl.when(speed.is_not_null() & pl.col("first_call").is_not_null())
            .then(pl.lit("speed_to_lead"))
            .when(pl.col("upload_date").is_not_null())
            .then(pl.lit("upload_date")),
            speed_bucket=_bucket("speed_to_lead"),
        )
    )


def lead_outcomes(calls, *, success: Success = None):
    """One row per lead (campaign + lead phone), from its earliest pass.

    Columns: ``campaign_id``, ``lead_phone``, ``campaign_name``, ``upload_date``,
    ``first_call``, ``speed_to_lead`` (first pass), ``speed_to_agent``, ``passes``,
    ``contacted`` (any ANSWER), ``converted`` (any agent disposition the ``success`` rule
    counts, see :func:`~callanalytics.metrics.disposition_split`), ``arrival``,
    ``arrival_source`` and ``speed_bucket``.

    ``arrival`` is when the lead arrived: its first dial minus its speed to lead. Engage's
    ``upload_date`` is the list's original upload time, even for leads appended later, so
    it is used only where speed to lead is missing (``arrival_source == "upload_date"``;
    ``"speed_to_lead"`` otherwise, null when neither is known).

    Example:
        >>> import callanalytics as ca
        >>> leads = lead_outcomes(ca.sample_dialer_results(n=500))
        >>> leads.columns[:3]
        ['campaign_id', 'lead_phone', 'campaign_name']
    """
    return like(calls, _leads(calls, success))


def _summary_aggs() -> list[pl.Expr]:
    within = [
        rate((pl.col("speed_to_lead") <= bound).sum(), pl.col("speed_to_lead").count()).alias(
            within_column(bound)
        )
        for bound in SPEED_WITHIN
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


def speed_to_lead_summary(calls, *, success: Success = None):
    """Headline numbers over all leads, as one row: ``leads``; ``median``, ``p75``, ``p90``
    speed to lead; ``within_1m`` … ``within_60m``, the share of leads (with a known speed)
    first dialed within 1, 5, 15 and 60 minutes, bounds included; contact and conversion rates.

    With no leads the row says ``leads == 0`` and every other value is null (no NaN).

    Example:
        >>> import callanalytics as ca
        >>> row = speed_to_lead_summary(ca.sample_dialer_results(n=500)).row(0, named=True)
        >>> 0 <= row["within_5m"] <= 1
        True
    """
    leads = _leads(calls, success)
    return like(calls, leads.select(_summary_aggs()))


_SPEED_BY = {"campaign": ["campaign_id", "campaign_name"]}


def speed_to_lead_by(calls, by: str | Sequence[str] = "campaign", *, success: Success = None):
    """The summary per ``"campaign"``, per ``"day"``, ``"week"`` or ``"month"`` of the lead's
    first call (a Date column of that name, sorted by date), or per Dialer column name (its
    value on the lead's first pass), or a list of these.

    Example:
        >>> import callanalytics as ca
        >>> speed_to_lead_by(ca.sample_dialer_results(n=500), "day").columns[:2]
        ['day', 'leads']
    """
    columns = calls.lazy().collect_schema().names()
    keys = resolve_by(by, named=_SPEED_BY, columns=columns, what="Dialer")
    known = {*_LEAD, "campaign_name", "upload_date", *PERIODS}
    extra = [k for k in dict.fromkeys(keys) if k not in known]
    leads = _leads(calls, success, extra).with_columns(
        period_expr(p, "first_call") for p in PERIODS if p in keys
    )
    keys = list(dict.fromkeys(keys))
    return like(calls, leads.group_by(keys).agg(_summary_aggs()).sort(keys, nulls_last=True))


def speed_to_lead_heatmap(calls):
    """Median speed to lead by weekday × hour of the lead's arrival (for a heatmap).

    ``weekday`` is 1 (Monday) to 7 (Sunday); ``hour`` 0–23 in the report's time zone.
    Arrival is the lead's first dial minus its speed to lead (see :func:`lead_outcomes`);
    ``from_upload_date`` counts the leads of each cell placed by the list's upload date
    because their speed to lead is missing. Leads with neither are not placed.

    Example:
        >>> import callanalytics as ca
        >>> speed_to_lead_heatmap(ca.sample_dialer_results(n=500)).columns
        ['weekday', 'hour', 'leads', 'median', 'from_upload_date']
    """
    leads = _leads(calls, None).filter(pl.col("arrival").is_not_null())
    out = (
        leads.group_by(weekday=pl.col("arrival").dt.weekday(), hour=pl.col("arrival").dt.hour())
        .agg(
            pl.len().alias("leads"),
            duration_quantile("speed_to_lead", 0.5).alias("median"),
            (pl.col("arrival_source") == "upload_date")
            .sum()
            .cast(pl.UInt32)
            .alias("from_upload_date"),
        )
        .sort("weekday", "hour")
    )
    return like(calls, out)


def outcomes_by_speed(calls, *, success: Success = None):
    """Leads, contact rate (any ANSWER) and conversion rate per speed-to-lead bucket
    (:data:`SPEED_BUCKETS`, upper bounds included).

    Example:
        >>> import callanalytics as ca
        >>> outcomes_by_speed(ca.sample_dialer_results(n=500))["speed_bucket"].to_list()[0]
        '0–1m'
    """
    leads = _leads(calls, success).filter(pl.col("speed_bucket").is_not_null())
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
