"""Speed to lead: how long a lead waited for its first dial, and what that cost.

Contact rates fall steeply after the first five minutes, so the buckets below split there.
Every bucket includes its upper bound, as analysts read "within 5 minutes": a lead first
dialed at exactly 5:00 is in ``1–5m`` and counts in ``within_5m``; at 5:00.001 it is in
``5–15m``. :data:`SPEED_BUCKETS` is the one definition; the summary's ``within_*`` shares,
the buckets, the charts and the sentences all read it.

All functions take the typed Dialer frame (polars eager or lazy, a DuckDB relation or a PySpark
DataFrame) and return the same kind; see :mod:`callanalytics.metrics._frames` for how types
are represented on each engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import (
    PERIODS,
    Native,
    Success,
    minus_ms,
    ordered_picks,
    rate_nw,
    resolve_by,
    round_half_even,
    success_nw,
    with_periods,
    with_weekday_hour,
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
_DURATIONS = ("speed_to_lead", "speed_to_agent", "median", "p75", "p90")
_QUANTILES = {"median": 0.5, "p75": 0.75, "p90": 0.9}


def within_column(bound: timedelta) -> str:
    """The summary column for a threshold: ``within_5m`` for five minutes.

    Example:
        >>> within_column(timedelta(hours=1))
        'within_60m'
    """
    return f"within_{int(bound.total_seconds() // 60)}m"


def _ms(bound: timedelta) -> int:
    return int(bound / timedelta(milliseconds=1))


def _bucket_index(column: str) -> nw.Expr:
    """The bucket's position in :data:`SPEED_BUCKETS` (null where the speed is null)."""
    bounded = [(i, bound) for i, (_, bound) in enumerate(SPEED_BUCKETS) if bound is not None]
    expr = nw.when(nw.col(column) <= _ms(bounded[0][1])).then(nw.lit(bounded[0][0]))
    for i, bound in bounded[1:]:
        expr = expr.when(nw.col(column) <= _ms(bound)).then(nw.lit(i))
    last = nw.lit(len(SPEED_BUCKETS) - 1)
    return nw.when(nw.col(column).is_null()).then(None).otherwise(expr.otherwise(last))


def _bucket_label(frame: Native, index: str) -> nw.Expr:
    expr = nw.when(nw.col(index) == 0).then(nw.lit(SPEED_BUCKETS[0][0]))
    for i, (label, _) in enumerate(SPEED_BUCKETS[1:], start=1):
        expr = expr.when(nw.col(index) == i).then(nw.lit(label))
    # Spark has no enum type: the label is a String there, sorted by the bucket order here.
    return expr if frame.is_spark else expr.cast(nw.Enum([label for label, _ in SPEED_BUCKETS]))


def speed_bucket(column: str) -> pl.Expr:
    """A polars Duration column's bucket label (Enum in :data:`SPEED_BUCKETS` order; null
    where the duration is null): the same bounds as every metric, for polars-only modules.

    Example:
        >>> frame = pl.DataFrame({"wait": [timedelta(minutes=5), timedelta(minutes=5, seconds=1)]})
        >>> frame.select(bucket=speed_bucket("wait"))["bucket"].to_list()
        ['1–5m', '5–15m']
    """
    expr = pl.when(pl.col(column).is_null()).then(None)
    for label, bound in SPEED_BUCKETS:
        if bound is not None:
            expr = expr.when(pl.col(column) <= bound).then(pl.lit(label))
    return expr.otherwise(pl.lit(SPEED_BUCKETS[-1][0])).cast(BUCKET)


def _leads(frame: Native, success: Success, extra: Sequence[str] = ()) -> nw.LazyFrame:
    order = ["_t_missing", "call_start"]
    lf = frame.lazy.with_columns(
        _success=success_nw("agent_disposition", success),
        _speed=frame.ms("speed_to_lead_first_pass"),
        _agent=frame.ms("speed_to_lead_agent_conn"),
        _t_missing=nw.col("call_start").is_null(),
        _s_missing=nw.col("speed_to_lead_first_pass").is_null(),
        _answer=(nw.col("pass_disposition") == "ANSWER").fill_null(False),
    )
    firsts = {c: (c, order, False) for c in [*extra, "campaign_name", "upload_date"]}
    # The first non-null speed in call order (polars: drop_nulls().first()).
    firsts["speed_to_lead"] = ("_speed", ["_s_missing", *order], False)
    lf, picks = ordered_picks(frame, lf, _LEAD, firsts)
    leads = lf.group_by(_LEAD).agg(
        *picks,
        nw.col("call_start").min().alias("first_call"),
        nw.col("_agent").min().alias("speed_to_agent"),
        nw.len().alias("passes"),
        nw.col("_answer").any().alias("contacted"),
        nw.col("_success").any().alias("converted"),
    )
    known = ~nw.col("speed_to_lead").is_null() & ~nw.col("first_call").is_null()
    leads = minus_ms(frame, leads, "_arrival", "first_call", "speed_to_lead")
    return leads.with_columns(
        arrival=nw.when(known).then(nw.col("_arrival")).otherwise(nw.col("upload_date")),
        arrival_source=nw.when(known)
        .then(nw.lit("speed_to_lead"))
        .when(~nw.col("upload_date").is_null())
        .then(nw.lit("upload_date")),
        _bucket=_bucket_index("speed_to_lead"),
    ).with_columns(speed_bucket=_bucket_label(frame, "_bucket"))


_LEAD_COLUMNS = [
    "campaign_name",
    "upload_date",
    "first_call",
    "speed_to_lead",
    "speed_to_agent",
    "passes",
    "contacted",
    "converted",
    "arrival",
    "arrival_source",
    "speed_bucket",
]


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

    Rows are ordered by ``first_call`` (leads never dialed last), then campaign and phone.

    Example:
        >>> import callanalytics as ca
        >>> leads = lead_outcomes(ca.sample_dialer_results(n=500))
        >>> leads.columns[:3]
        ['campaign_id', 'lead_phone', 'campaign_name']
    """
    frame = Native(calls)
    leads = _leads(frame, success).sort(["first_call", *_LEAD], nulls_last=True)
    return frame.back(leads.select(*_LEAD, *_LEAD_COLUMNS), durations=_DURATIONS)


def _summary_aggs(frame: Native) -> list[nw.Expr]:
    _count = frame.true_count
    speed = nw.col("speed_to_lead")
    within = [
        rate_nw(_count(speed <= _ms(bound)), speed.count()).alias(within_column(bound))
        for bound in SPEED_WITHIN
    ]
    return [
        nw.len().alias("leads"),
        *[speed.quantile(q, "linear").alias(name) for name, q in _QUANTILES.items()],
        *within,
        rate_nw(_count(nw.col("contacted")), nw.len()).alias("contact_rate"),
        rate_nw(_count(nw.col("converted")), nw.len()).alias("conversion_rate"),
    ]


def _rounded(frame: Native, out: nw.LazyFrame, keys: Sequence[str] = ()):
    """Quantiles rounded to whole milliseconds (ties to even), as durations."""
    out = out.with_columns(round_half_even(nw.col(name)).alias(name) for name in _QUANTILES)
    return frame.back(out, durations=_DURATIONS)


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
    frame = Native(calls)
    return _rounded(frame, _leads(frame, success).select(*_summary_aggs(frame)))


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
    frame = Native(calls)
    keys = resolve_by(by, named=_SPEED_BY, columns=frame.schema.names(), what="Dialer")
    known = {*_LEAD, "campaign_name", "upload_date", *PERIODS}
    extra = [k for k in dict.fromkeys(keys) if k not in known]
    leads = _leads(frame, success, extra)
    leads = with_periods(frame, leads, keys, "first_call")
    keys = list(dict.fromkeys(keys))
    out = leads.group_by(keys).agg(*_summary_aggs(frame)).sort(keys, nulls_last=True)
    return _rounded(frame, out)


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
    frame = Native(calls)
    leads = (
        _leads(frame, None)
        .filter(~nw.col("arrival").is_null())
        .with_columns(_upload=(nw.col("arrival_source") == "upload_date").cast(nw.Int64))
    )
    leads = with_weekday_hour(frame, leads, "arrival")
    out = (
        leads.group_by("weekday", "hour")
        .agg(
            nw.len().alias("leads"),
            nw.col("speed_to_lead").quantile(0.5, "linear").alias("median"),
            nw.col("_upload").sum().cast(frame.count_dtype).alias("from_upload_date"),
        )
        .with_columns(round_half_even(nw.col("median")).alias("median"))
        .sort("weekday", "hour")
    )
    return frame.back(out, durations=["median"])


def outcomes_by_speed(calls, *, success: Success = None):
    """Leads, contact rate (any ANSWER) and conversion rate per speed-to-lead bucket
    (:data:`SPEED_BUCKETS`, upper bounds included).

    Example:
        >>> import callanalytics as ca
        >>> outcomes_by_speed(ca.sample_dialer_results(n=500))["speed_bucket"].to_list()[0]
        '0–1m'
    """
    frame = Native(calls)
    leads = _leads(frame, success).filter(~nw.col("_bucket").is_null())
    out = (
        leads.group_by("_bucket", "speed_bucket")
        .agg(
            nw.len().alias("leads"),
            rate_nw(frame.true_count(nw.col("contacted")), nw.len()).alias("contact_rate"),
            rate_nw(frame.true_count(nw.col("converted")), nw.len()).alias("conversion_rate"),
        )
        .sort("_bucket")
        .drop("_bucket")
    )
    return frame.back(out)
