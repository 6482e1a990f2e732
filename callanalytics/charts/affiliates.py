"""Charts of the affiliate margin report: margin per affiliate and per offer, and revenue,
payout and margin per day."""

from __future__ import annotations

import altair as alt
import polars as pl

from callanalytics.charts.bars import labelled_margin_bars
from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import (
    MARGIN,
    PAYOUT,
    REVENUE,
    bottom_legend,
    day_axis,
    dollars,
    money_axis,
)
from callanalytics.display import fmt_money
from callanalytics.narrative import losing_money

__all__ = ["affiliate_margin_bars", "daily_margin_line", "offer_margin_bars"]


def affiliate_margin_bars(by_affiliate: pl.DataFrame) -> Figure:
    """Margin per affiliate (from ``affiliate_margin``); a loss is drawn in red.

    Example:
        >>> from decimal import Decimal
        >>> affiliate_margin_bars(pl.DataFrame({"affiliate": ["A"], "revenue": [Decimal(9)],
        ...     "payout": [Decimal(4)], "margin": [Decimal(5)]})).takeaway
        'A earned the most margin ($5.00). No affiliate lost money.'
    """
    title = "Margin by affiliate"
    if by_affiliate.is_empty():
        return Figure(None, title, NO_DATA)
    ordered = by_affiliate.sort("margin", descending=True)
    data = ordered.select(
        affiliate=pl.col("affiliate").fill_null("(none)"),
        margin=dollars("margin"),
        label=pl.Series([fmt_money(v) for v in ordered["margin"].to_list()]),
    )
    best = ordered.row(0, named=True)
    lost = losing_money(ordered)
    takeaway = f"{best['affiliate']} earned the most margin ({fmt_money(best['margin'])}). {lost}"
    chart = labelled_margin_bars(data, "affiliate", "Margin (dollars)", width=440)
    return Figure(chart.properties(title=title), title, takeaway)


def offer_margin_bars(by_offer: pl.DataFrame) -> Figure:
    """Margin per advertiser offer (from ``affiliate_margin(..., by="offer")``); offer names
    are never cut.

    Example:
        >>> offer_margin_bars(pl.DataFrame(schema={"advertiser": pl.String, "offer": pl.String,
        ...     "margin": pl.Decimal(38, 2), "margin_pct": pl.Float64})).chart is None
        True
    """
    title = "Margin by advertiser and offer"
    known = by_offer.filter(pl.col("offer").is_not_null()).sort("margin", descending=True)
    if known.is_empty():
        return Figure(None, title, NO_DATA)
    data = known.select(
        offer=pl.concat_str(
            pl.col("advertiser").fill_null("(no advertiser)"), "offer", separator=": "
        ),
        margin=dollars("margin"),
        label=pl.Series([fmt_money(v) for v in known["margin"].to_list()]),
    )
    best = data.row(0, named=True)
    takeaway = (
        f"{best['offer']} earned the most ({best['label']}) of {data.height} offers with calls."
    )
    chart = labelled_margin_bars(data, "offer", "Margin (dollars)", width=340)
    return Figure(chart.properties(title=title), title, takeaway)


def daily_margin_line(by_day: pl.DataFrame) -> Figure:
    """Revenue, payout and margin per day (from ``affiliate_margin(..., by="day")``).

    Example:
        >>> daily_margin_line(pl.DataFrame(schema={"day": pl.Date, "revenue": pl.Decimal(38, 2),
        ...     "payout": pl.Decimal(38, 2), "margin": pl.Decimal(38, 2)})).chart is None
        True
    """
    title = "Revenue, payout and margin per day"
    days = by_day.filter(pl.col("day").is_not_null()).sort("day")
    if days.is_empty():
        return Figure(None, title, NO_DATA)
    data = days.select(
        "day",
        Revenue=dollars("revenue"),
        Payout=dollars("payout"),
        Margin=dollars("margin"),
    ).unpivot(index="day", variable_name="measure", value_name="dollars")
    best = days.sort("margin", descending=True).row(0, named=True)
    worst = days.sort("margin").row(0, named=True)
    takeaway = (
        f"Daily margin ranged from {fmt_money(worst['margin'])} on "
        f"{worst['day']:%a %d %b} to {fmt_money(best['margin'])} on {best['day']:%a %d %b}."
    )
    chart = (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "day:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=day_axis(days["day"].to_list()),
            ),
            y=alt.Y("dollars:Q", axis=money_axis("Dollars")),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(
                    domain=["Revenue", "Payout", "Margin"], range=[REVENUE, PAYOUT, MARGIN]
                ),
                legend=bottom_legend(),
            ),
            tooltip=[alt.Tooltip("day:T", format="%d %b %Y"), "measure", "dollars"],
        )
        .properties(width=540, height=240)
    )
    return Figure(chart, title, takeaway)
