"""Charts of the compliance report (issue 13): abandonment over rolling 30-day periods per
campaign against the safe-harbour line, and dials by local hour at the lead."""

from __future__ import annotations

import altair as alt
import polars as pl

from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import LOSS, PRIMARY, bottom_legend, day_axis
from callanalytics.display import fmt_count, fmt_rate

__all__ = ["abandonment_lines", "local_hour_bars"]


def abandonment_lines(rates: pl.DataFrame, *, limit: float = 0.03) -> Figure:
    """Each campaign's abandonment over rolling 30-day periods (from ``abandonment_rates``),
    by the period's last day, with the ``limit`` (the 3% safe harbour) as a line.

    Example:
        >>> abandonment_lines(pl.DataFrame(schema={"campaign": pl.String,
        ...     "period_end": pl.Date, "rate": pl.Float64})).chart is None
        True
    """
    title = "Abandoned share of live answers, rolling 30 days, per campaign"
    data = rates.filter(pl.col("rate").is_not_null()).sort("campaign", "period_end")
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    worst = data.sort("rate", descending=True).row(0, named=True)
    over = data.filter(pl.col("rate") > limit)["campaign"].unique().sort().to_list()
    takeaway = (
        f"Highest: {worst['campaign']} at {fmt_rate(worst['rate'])} in the 30 days to "
        f"{worst['period_end']:%d %b}; "
        + (
            f"over the {fmt_rate(limit)} line: {', '.join(over)}."
            if over
            else f"every campaign stays under the {fmt_rate(limit)} line."
        )
    )
    top = max(float(data["rate"].max() or 0), limit) * 1.15
    lines = (
        alt.Chart(data.select("campaign", "period_end", "rate"))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period_end:T",
                title="Last day of the 30-day period",
                scale=alt.Scale(type="utc"),
                axis=day_axis(data["period_end"].unique().sort().to_list(), "%d %b"),
            ),
            y=alt.Y(
                "rate:Q",
                title="Abandoned",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, top]),
            ),
            color=alt.Color("campaign:N", legend=bottom_legend()),
            tooltip=[
                "campaign",
                alt.Tooltip("period_end:T", format="%d %b %Y"),
                alt.Tooltip("rate:Q", format=".2%"),
            ],
        )
    )
    rule = (
        alt.Chart(pl.DataFrame({"limit": [limit], "label": [f"{fmt_rate(limit)} safe harbour"]}))
        .mark_rule(color=LOSS, strokeDash=[6, 4])
        .encode(y="limit:Q")
    )
    text = rule.mark_text(align="left", dx=4, dy=-6, color=LOSS).encode(
        text="label:N", x=alt.value(0)
    )
    chart = alt.layer(lines, rule, text, title=title).properties(width=560, height=240)
    return Figure(chart, title, takeaway)


def local_hour_bars(local: pl.DataFrame, *, start_hour: int = 8, end_hour: int = 21) -> Figure:
    """Dials per hour of the day at the lead (``local_start`` from ``with_lead_local_time``),
    with the allowed band ``[start_hour, end_hour)`` shaded; dials with an unknown zone are
    left out (the takeaway counts them).

    Example:
        >>> local_hour_bars(pl.DataFrame(schema={"local_start": pl.Datetime})).chart is None
        True
    """
    title = "Dials by local hour at the lead"
    known = local.filter(pl.col("local_start").is_not_null())
    unknown = local.height - known.height
    if known.is_empty():
        return Figure(None, title, NO_DATA)
    hours = (
        known.group_by(hour=pl.col("local_start").dt.hour().cast(pl.Int32))
        .agg(dials=pl.len())
        .with_columns(
            inside=(pl.col("hour") >= start_hour) & (pl.col("hour") < end_hour),
        )
        .sort("hour")
    )
    outside = int(hours.filter(~pl.col("inside"))["dials"].sum())
    takeaway = (
        f"{fmt_count(known.height - outside)} of {fmt_count(known.height)} dials fell in the "
        f"federal band {start_hour:02d}:00–{end_hour:02d}:00 at the lead; "
        f"{fmt_count(outside)} in an hour outside it"
        + (f"; {fmt_count(unknown)} with an unknown zone are not shown." if unknown else ".")
        + " Stricter state hours are checked in the findings table."
    )
    band = (
        alt.Chart(pl.DataFrame({"from": [start_hour], "to": [end_hour]}))
        .mark_rect(color="#dfeedd")
        .encode(x="from:Q", x2="to:Q")
    )
    bars = (
        alt.Chart(hours.with_columns(mid=pl.col("hour") + 0.5))
        .mark_bar(size=14)
        .encode(
            x=alt.X(
                "mid:Q",
                title="Hour at the lead (shaded: allowed)",
                scale=alt.Scale(domain=[0, 24]),
                axis=alt.Axis(values=list(range(0, 25, 3)), format="d"),
            ),
            y=alt.Y("dials:Q", title="Dials", scale=alt.Scale(type="symlog")),
            color=alt.condition("datum.inside", alt.value(PRIMARY), alt.value(LOSS)),
            tooltip=["hour", "dials"],
        )
    )
    chart = alt.layer(band, bars, title=title).properties(width=560, height=220)
    return Figure(chart, title, takeaway)
