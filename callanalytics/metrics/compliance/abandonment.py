"""Abandonment: abandoned / (answered + abandoned) per campaign over rolling 30-day periods.

Compared exactly in parts per million (3 of 100 is 3.0%, which is not above 3%). Days are
``call_start``'s own days: the column's zone on polars, the connection's (DuckDB) or
session's (Spark) zone elsewhere (:mod:`callanalytics.engines` makes these the data's).
"""

from __future__ import annotations

import narwhals as nw

from callanalytics.metrics._frames import Native, ordered_picks, rate_nw
from callanalytics.metrics.compliance.definitions import ABANDON_CITATION, ABANDON_LIMIT
from callanalytics.metrics.compliance.location import prepared
from callanalytics.metrics.compliance.native import with_days

_PPM = 1_000_000
#: The federal safe harbour's period, in days.
PERIOD_DAYS = 30


def _ppm(value: float, name: str) -> int:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1 (0.03 is 3%), not {value!r}")
    return round(value * _PPM)


def abandon_periods(
    frame: Native, checks: nw.LazyFrame, limit: float, margin: float, days: int
) -> nw.LazyFrame:
    """One row per campaign and period end day (see :func:`abandonment_rates`)."""
    limit_ppm, margin_ppm = _ppm(limit, "limit"), _ppm(margin, "margin")
    if margin_ppm > limit_ppm:
        raise ValueError(f"margin {margin!r} is larger than the limit {limit!r}")
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days!r}")
    count = frame.true_count
    daily = (
        checks.filter(~nw.col("call_start").is_null())
        .with_columns(nw.col("call_start").dt.date().alias("period_end"))
        .group_by("campaign", "period_end")
        .agg(
            count(nw.col("_pass") == "ANSWER").cast(nw.Int64).alias("answered"),
            count(nw.col("_pass") == "ABANDON").cast(nw.Int64).alias("abandoned"),
        )
    )
    bounds = daily.group_by("campaign").agg(
        nw.col("period_end").min().alias("_first"), nw.col("period_end").max().alias("_last")
    )
    calendar = with_days(frame, bounds, "period_end", "_first", "_last").explode("period_end")
    live = nw.col("answered") + nw.col("abandoned")
    above = nw.col("abandoned") * _PPM > live * limit_ppm
    near = nw.col("abandoned") * _PPM >= live * (limit_ppm - margin_ppm)
    start = nw.col("period_end").dt.offset_by(f"-{days - 1}d").cast(nw.Date)
    return (
        calendar.select("campaign", "period_end", "_first")
        .join(daily, on=["campaign", "period_end"], how="left")
        .with_columns(
            *[
                nw.col(c)
                .fill_null(0)
                .rolling_sum(days, min_samples=1)
                .over("campaign", order_by="period_end")
                for c in ("answered", "abandoned")
            ]
        )
        .select(
            nw.col("campaign"),
            start.alias("period_start"),
            nw.col("period_end"),
            (start >= nw.col("_first")).alias("complete"),
            nw.col("answered").cast(frame.count_dtype),
            nw.col("abandoned").cast(frame.count_dtype),
            rate_nw(nw.col("abandoned"), live).alias("rate"),
            nw.when(live == 0)
            .then(nw.lit("no live answers"))
            .when(above)
            .then(nw.lit("above"))
            .when(near)
            .then(nw.lit("near"))
            .otherwise(nw.lit("ok"))
            .alias("status"),
        )
        .sort("campaign", "period_end")
    )


def abandonment_rates(calls, *, limit: float = ABANDON_LIMIT, margin: float = 0.005, days=30):
    """Abandonment rate per campaign over every rolling ``days``-day period.

    One row per campaign and period end day, from the campaign's first to its last day of
    dials (days in ``call_start``'s own zone): ``period_start``, ``period_end`` (Date, both
    included), ``complete`` (False while the period reaches back before the campaign's first
    day in the data), ``answered`` and ``abandoned`` (``pass_disposition`` ANSWER and
    ABANDON), ``rate`` = abandoned / (answered + abandoned), and ``status``: ``above`` the
    limit, ``near`` it (within ``margin`` below it, the limit itself included), ``ok``, or
    ``no live answers``. Compared exactly: 3 of 100 is 3.0%, which is not above 3%.

    Example:
        >>> import callanalytics as ca
        >>> rates = abandonment_rates(ca.sample_dialer_results(n=500))
        >>> rates.columns[:3]
        ['campaign', 'period_start', 'period_end']
    """
    frame = Native(calls)
    return frame.back(abandon_periods(frame, prepared(frame), limit, margin, days))


def _percent(abandoned: nw.Expr, live: nw.Expr) -> nw.Expr:
    """``abandoned / live`` as a percentage with at most two decimals, as polars prints a
    rounded float (``4.0``, ``3.33``, ``12.5``), rounded half to even, exactly."""
    quotient, remainder = (abandoned * 10_000) // live, (abandoned * 10_000) % live
    odd = quotient % 2 == 1
    up = (remainder * 2 > live) | ((remainder * 2 == live) & odd)
    hundredths = nw.when(up).then(quotient + 1).otherwise(quotient)
    whole, cents = hundredths // 100, hundredths % 100
    decimals = (
        nw.when(cents == 0)
        .then(nw.lit("0"))
        .when(cents % 10 == 0)
        .then((cents // 10).cast(nw.String))
        .when(cents < 10)
        .then(nw.concat_str(nw.lit("0"), cents.cast(nw.String)))
        .otherwise(cents.cast(nw.String))
    )
    return nw.concat_str(whole.cast(nw.String), nw.lit("."), decimals)


def abandon_flagged(frame: Native, checks: nw.LazyFrame, limit: float, margin: float):
    """Abandoned dials inside flagged periods, per severity, with each campaign's worst
    period in words (``detail``) and the citation: ``[(severity, dials), ...]``."""
    days = PERIOD_DAYS
    periods = abandon_periods(frame, checks, limit, margin, days)
    pct = f"{limit:.1%}"
    out = []
    for status, severity in (("above", "violation"), ("near", "warning")):
        flagged = periods.filter(nw.col("status") == status).with_columns(
            (-nw.col("rate")).alias("_neg_rate"),
            (nw.col("answered") + nw.col("abandoned")).cast(nw.Int64).alias("_live"),
        )
        order = ["_neg_rate", "period_end"]
        picks = {
            f"_worst_{name}": (column, order, False)
            for name, column in (
                ("end", "period_end"),
                ("abandoned", "abandoned"),
                ("live", "_live"),
            )
        }
        flagged, aggs = ordered_picks(frame, flagged, ["campaign"], picks)
        worst = flagged.group_by("campaign").agg(*aggs, nw.len().alias("_periods"))
        # A day's abandoned dials count when some flagged period covers that day: a period
        # ending on that day or on one of the next days - 1 days.
        covered = (
            periods.with_columns(
                (nw.col("status") == status).cast(nw.Int64).alias("_flag"),
                nw.col("period_end")
                .rank("ordinal", descending=True)
                .over("campaign")
                .alias("_back"),
            )
            .with_columns(
                nw.col("_flag")
                .rolling_sum(days, min_samples=1)
                .over("campaign", order_by="_back")
                .alias("_flag")
            )
            .filter(nw.col("_flag") > 0)
            .select("campaign", nw.col("period_end").alias("_day"))
        )
        dials = (
            checks.filter(nw.col("_pass") == "ABANDON", ~nw.col("call_start").is_null())
            .with_columns(nw.col("call_start").dt.date().alias("_day"))
            .join(covered, on=["campaign", "_day"], how="inner")
            .join(worst, on="campaign", how="inner")
        )
        detail = nw.concat_str(
            nw.lit(f"worst {days} days to "),
            nw.col("_worst_end").dt.to_string("%Y-%m-%d"),
            nw.lit(": "),
            _percent(nw.col("_worst_abandoned"), nw.col("_worst_live")),
            nw.lit("% abandoned ("),
            nw.col("_worst_abandoned").cast(nw.String),
            nw.lit(" of "),
            nw.col("_worst_live").cast(nw.String),
            nw.lit(" live answers); "),
            nw.col("_periods").cast(nw.String),
            nw.lit(f" period(s) {status} the {pct} safe harbour"),
        )
        out.append(
            (
                severity,
                dials.with_columns(
                    detail.alias("detail"), nw.lit(ABANDON_CITATION).alias("citation")
                ),
            )
        )
    return out
