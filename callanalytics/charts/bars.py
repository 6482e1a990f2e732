"""Bar charts more than one report draws: contact and conversion rates per speed bucket
(speed to lead, the lead funnel's callbacks) and labelled margin bars (affiliates, offers,
margin per converted caller)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import polars as pl

from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import LOSS, MARGIN, PRIMARY, SECONDARY, bottom_legend, money_axis

__all__ = ["labelled_margin_bars", "rates_by_speed"]

#: One row of a metric's output, by column name.
Row = dict[str, Any]


def rates_by_speed(
    outcomes: pl.DataFrame,
    count: str,
    *,
    title: str,
    axes: tuple[str, str],
    compare: Callable[[Row, Row], str],
    only: Callable[[Row], str],
) -> Figure:
    """Contact and conversion rate per speed bucket that has any ``count`` (leads or
    callers), in the buckets' order; the takeaway ``compare``s the first and the last
    bucket, or says ``only`` of the one bucket there is.

    Example:
        >>> empty = pl.DataFrame(schema={"speed_bucket": pl.String, "leads": pl.UInt32})
        >>> rates_by_speed(empty, "leads", title="T", axes=("x", "y"), compare=max,
        ...                only=str).takeaway
        'No data for this chart in this window.'
    """
    data = outcomes.filter(pl.col(count) > 0)
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.with_columns(pl.col("speed_bucket").cast(pl.String))
    first, last = data.row(0, named=True), data.row(-1, named=True)
    takeaway = compare(first, last) if data.height > 1 else only(first)
    chart = _rate_bars(data, count, *axes)
    return Figure(chart.properties(title=title), title, takeaway)


def _rate_bars(data: pl.DataFrame, count: str, x_title: str, y_title: str) -> alt.Chart:
    """Contact and conversion rate side by side per speed bucket, in the buckets' order;
    ``count`` (leads or callers) shows in the tooltip."""
    long = data.rename({"contact_rate": "Contact rate", "conversion_rate": "Conversion rate"})
    long = long.unpivot(
        index=["speed_bucket", count],
        on=["Contact rate", "Conversion rate"],
        variable_name="measure",
        value_name="rate",
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "speed_bucket:N",
                sort=data["speed_bucket"].to_list(),
                title=x_title,
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("measure:N"),
            y=alt.Y("rate:Q", axis=alt.Axis(format="%"), title=y_title),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(range=[PRIMARY, SECONDARY]),
                legend=bottom_legend(),
            ),
            tooltip=["speed_bucket", "measure", alt.Tooltip("rate:Q", format=".1%"), count],
        )
        .properties(width=520, height=240)
    )


def labelled_margin_bars(
    data: pl.DataFrame, key: str, axis_title: str, *, width: int
) -> alt.LayerChart:
    """Horizontal bars of ``margin`` (dollars) per ``key``, each labelled with its ``label``
    just past its end (at zero for a loss, drawn in red), with room on the right for it."""
    top = max(float(data["margin"].max() or 0), 0.0)
    bottom = min(float(data["margin"].min() or 0), 0.0)
    span = (top - bottom) or 1.0
    base = alt.Chart(data).encode(
        y=alt.Y(f"{key}:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X(
            "margin:Q",
            scale=alt.Scale(domain=[bottom - 0.05 * span, top + 0.3 * span]),
            axis=money_axis(axis_title),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.margin < 0", alt.value(LOSS), alt.value(MARGIN)),
        tooltip=[key, "label"],
    )
    text = base.mark_text(align="left", dx=4).encode(x=alt.X("zero_or_margin:Q"), text="label:N")
    text = text.transform_calculate(zero_or_margin="max(datum.margin, 0)")
    return (bars + text).properties(width=width, height=max(60, 24 * data.height))
