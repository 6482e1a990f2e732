"""Altair charts from metric outputs (small, already aggregated frames).

Durations become minutes and money becomes dollars only here, at the edge, for display.
``use_static_charts()`` renders charts as inline SVG so reports show them with no network.
"""

from __future__ import annotations

import altair as alt
import polars as pl

__all__ = [
    "affiliate_margin_bars",
    "agent_scatter",
    "daily_margin_line",
    "offer_margin_bars",
    "outcomes_by_speed_bars",
    "speed_by_campaign_bars",
    "speed_heatmap",
    "use_static_charts",
]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def use_static_charts() -> None:
    """Render Altair charts as inline SVG (via vl-convert): visible offline and in HTML."""
    alt.renderers.enable("svg")


def _minutes(column: str) -> pl.Expr:
    return (pl.col(column).dt.total_milliseconds() / 60_000).round(2)


def _dollars(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64)


def outcomes_by_speed_bars(outcomes: pl.DataFrame) -> alt.Chart:
    """Contact and conversion rate per speed-to-lead bucket (from ``outcomes_by_speed``)."""
    order = outcomes["speed_bucket"].cast(pl.String).to_list()
    data = outcomes.with_columns(pl.col("speed_bucket").cast(pl.String)).unpivot(
        index=["speed_bucket", "leads"],
        on=["contact_rate", "conversion_rate"],
        variable_name="measure",
        value_name="rate",
    )
    return (
        alt.Chart(data, title="Contact and conversion by speed to lead")
        .mark_bar()
        .encode(
            x=alt.X("speed_bucket:N", sort=order, title="First dial after upload"),
            xOffset="measure:N",
            y=alt.Y("rate:Q", axis=alt.Axis(format="%"), title="Share of leads"),
            color=alt.Color("measure:N", title=None),
            tooltip=["speed_bucket", "measure", alt.Tooltip("rate:Q", format=".1%"), "leads"],
        )
        .properties(width=460, height=260)
    )


def speed_heatmap(heatmap: pl.DataFrame) -> alt.Chart:
    """Median minutes to first dial by upload weekday × hour (from ``speed_to_lead_heatmap``)."""
    data = heatmap.with_columns(
        minutes=_minutes("median"),
        day=pl.col("weekday").replace_strict(
            dict(enumerate(_WEEKDAYS, start=1)), return_dtype=pl.String
        ),
    ).drop("median")
    return (
        alt.Chart(data, title="Median minutes to first dial, by upload time")
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour uploaded"),
            y=alt.Y("day:N", sort=_WEEKDAYS, title=None),
            color=alt.Color("minutes:Q", scale=alt.Scale(type="log", scheme="orangered")),
            tooltip=["day", "hour", "leads", "minutes"],
        )
        .properties(width=520, height=200)
    )


def speed_by_campaign_bars(by_campaign: pl.DataFrame) -> alt.Chart:
    """Median and p90 minutes to first dial per campaign (from ``speed_to_lead_by``)."""
    data = by_campaign.select(
        "campaign_name", median=_minutes("median"), p90=_minutes("p90")
    ).unpivot(index="campaign_name", variable_name="statistic", value_name="minutes")
    return (
        alt.Chart(data, title="Minutes to first dial by campaign")
        .mark_bar()
        .encode(
            y=alt.Y("campaign_name:N", title=None, sort="x"),
            x=alt.X("minutes:Q", title="Minutes"),
            yOffset="statistic:N",
            color=alt.Color("statistic:N", title=None),
            tooltip=["campaign_name", "statistic", "minutes"],
        )
        .properties(width=460, height=220)
    )


def agent_scatter(performance: pl.DataFrame) -> alt.Chart:
    """Average handle time against conversion rate, one point per agent."""
    data = performance.select(
        "agent_name",
        "calls",
        "conversion_rate",
        "ranked",
        aht_minutes=_minutes("aht"),
        outlier=pl.col("aht_outlier").fill_null("—"),
    )
    return (
        alt.Chart(data, title="Handle time vs conversion, per agent")
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("aht_minutes:Q", title="Average handle time (min)"),
            y=alt.Y("conversion_rate:Q", axis=alt.Axis(format="%"), title="Conversion rate"),
            size=alt.Size("calls:Q", title="Answered calls"),
            color=alt.Color("ranked:N", title="Ranked"),
            tooltip=[
                "agent_name",
                "calls",
                "aht_minutes",
                "outlier",
                alt.Tooltip("conversion_rate:Q", format=".1%"),
            ],
        )
        .properties(width=460, height=300)
    )


def affiliate_margin_bars(by_affiliate: pl.DataFrame) -> alt.Chart:
    """Revenue, payout and margin per affiliate (from ``affiliate_margin``)."""
    data = by_affiliate.select(
        "affiliate",
        revenue=_dollars("revenue"),
        payout=_dollars("payout"),
        margin=_dollars("margin"),
    )
    return (
        alt.Chart(data, title="Margin by affiliate")
        .mark_bar()
        .encode(
            y=alt.Y("affiliate:N", sort="-x", title=None),
            x=alt.X("margin:Q", title="Margin ($)"),
            color=alt.condition("datum.margin < 0", alt.value("#c0392b"), alt.value("#2e86c1")),
            tooltip=["affiliate", "revenue", "payout", "margin"],
        )
        .properties(width=460, height=240)
    )


def offer_margin_bars(by_offer: pl.DataFrame) -> alt.Chart:
    """Margin per advertiser offer (from ``affiliate_margin(..., by="offer")``)."""
    data = by_offer.filter(pl.col("offer").is_not_null()).select(
        label=pl.concat_str("advertiser", "offer", separator=" – "),
        margin=_dollars("margin"),
        margin_pct="margin_pct",
    )
    return (
        alt.Chart(data, title="Margin by offer")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("margin:Q", title="Margin ($)"),
            tooltip=["label", "margin", alt.Tooltip("margin_pct:Q", format=".1%")],
        )
        .properties(width=460, height=200)
    )


def daily_margin_line(by_day: pl.DataFrame) -> alt.Chart:
    """Revenue, payout and margin per day (from ``affiliate_margin(..., by="day")``)."""
    data = by_day.select(
        "day", revenue=_dollars("revenue"), payout=_dollars("payout"), margin=_dollars("margin")
    ).unpivot(index="day", variable_name="measure", value_name="dollars")
    return (
        alt.Chart(data, title="Revenue, payout and margin per day")
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=None),
            y=alt.Y("dollars:Q", title="$"),
            color=alt.Color("measure:N", title=None),
            tooltip=["day:T", "measure", "dollars"],
        )
        .properties(width=520, height=240)
    )
