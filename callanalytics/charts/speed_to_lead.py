"""Charts of the speed-to-lead report: outcomes by wait, the weekday × hour heatmap, and
the wait per campaign."""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from callanalytics.charts.bars import rates_by_speed
from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import PRIMARY, SECONDARY, durations, minutes
from callanalytics.display import fmt_rate

__all__ = ["outcomes_by_speed_bars", "speed_by_campaign_bars", "speed_heatmap"]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def outcomes_by_speed_bars(outcomes: pl.DataFrame) -> Figure:
    """Contact and conversion rate per speed-to-lead bucket (from ``outcomes_by_speed``).

    Example:
        >>> outcomes_by_speed_bars(pl.DataFrame(schema={"speed_bucket": pl.String,
        ...     "leads": pl.UInt32, "contact_rate": pl.Float64,
        ...     "conversion_rate": pl.Float64})).takeaway
        'No data for this chart in this window.'
    """
    return rates_by_speed(
        outcomes,
        "leads",
        title="Contact and conversion by wait for the first dial",
        axes=("Wait for the first dial", "Share of leads"),
        compare=lambda first, last: (
            f"Conversion: {fmt_rate(first['conversion_rate'])} for leads first dialed in the "
            f"{first['speed_bucket']} bucket, {fmt_rate(last['conversion_rate'])} in the "
            f"{last['speed_bucket']} bucket."
        ),
        only=lambda first: f"All leads were first dialed in the {first['speed_bucket']} bucket.",
    )


def speed_heatmap(heatmap: pl.DataFrame, *, placed_by: str = "arrival") -> Figure:
    """Median minutes to first dial by weekday × hour (from ``speed_to_lead_heatmap``).

    ``placed_by`` names what positions a lead in the grid (``"arrival"`` or ``"upload"``).
    The colour legend shows the range of medians, lowest to highest.

    Example:
        >>> speed_heatmap(pl.DataFrame(schema={"weekday": pl.Int8, "hour": pl.Int8,
        ...     "leads": pl.UInt32, "median": pl.Duration("ms")})).chart is None
        True
    """
    title = f"Median wait for a first dial, by {placed_by} weekday and hour"
    data = heatmap.filter(pl.col("median").is_not_null())
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.with_columns(
        minutes=minutes("median"),
        wait=pl.Series(durations(data["median"])),
        day=pl.col("weekday").replace_strict(
            dict(enumerate(_WEEKDAYS, start=1)), return_dtype=pl.String
        ),
    ).drop("median")
    # The takeaway names cells with a few leads when there are any: one lead is an anecdote.
    solid = data.filter(pl.col("leads") >= 5)
    named = (solid if solid.height else data).sort("minutes")
    low, high = named.row(0, named=True), named.row(-1, named=True)
    every = data.sort("minutes")
    # Legend ends rounded outwards to one decimal, so its labels bracket every cell.
    lo = max(math.floor(float(every["minutes"][0]) * 10) / 10, 0.1)
    hi = max(math.ceil(float(every["minutes"][-1]) * 10) / 10, lo)
    over = f"{high['leads']:,} lead{'' if high['leads'] == 1 else 's'}"
    takeaway = (
        f"Longest median wait: {high['day']} {high['hour']:02d}:00 ({high['wait']} over "
        f"{over}); shortest: {low['day']} {low['hour']:02d}:00 ({low['wait']})."
    )
    legend_values = sorted({round(lo, 1), round((lo * hi) ** 0.5, 1), round(hi, 1)})
    chart = (
        alt.Chart(data, title=title)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=f"Hour of {placed_by}", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("day:N", sort=_WEEKDAYS, title=None),
            color=alt.Color(
                "minutes:Q",
                scale=alt.Scale(type="log", scheme="orangered", domain=[lo, hi]),
                legend=alt.Legend(
                    title="Median wait (minutes)",
                    values=legend_values,
                    format=",.1f",
                    gradientLength=160,
                ),
            ),
            tooltip=["day", "hour", "leads", "wait"],
        )
        .properties(width=460, height=200)
    )
    return Figure(chart, title, takeaway)


def speed_by_campaign_bars(by_campaign: pl.DataFrame) -> Figure:
    """Median and 90th-percentile wait per campaign (from ``speed_to_lead_by``), in two
    panels with their own scales so short medians stay visible next to long p90s.

    Example:
        >>> speed_by_campaign_bars(pl.DataFrame(schema={"campaign_name": pl.String,
        ...     "median": pl.Duration("ms"), "p90": pl.Duration("ms")})).chart is None
        True
    """
    title = "Wait for a first dial by campaign: median and 90th percentile"
    data = by_campaign.filter(pl.col("median").is_not_null()).sort("median")
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.select(
        campaign=pl.col("campaign_name").fill_null("(no name)"),
        median=minutes("median"),
        p90=minutes("p90"),
        median_label=pl.Series(durations(data["median"])),
        p90_label=pl.Series(durations(data["p90"])),
    )
    order = data["campaign"].to_list()
    fast, slow = data.row(0, named=True), data.row(-1, named=True)
    takeaway = (
        f"Medians run from {fast['median_label']} ({fast['campaign']}) to "
        f"{slow['median_label']} ({slow['campaign']}); the slowest tenth of leads waited "
        f"over {data.sort('p90').row(-1, named=True)['p90_label']} in "
        f"{data.sort('p90').row(-1, named=True)['campaign']}."
        if data.height > 1
        else f"Median {fast['median_label']}, 90th percentile {fast['p90_label']}."
    )
    height = max(60, 28 * data.height)

    def panel(column: str, heading: str, colour: str, labels: bool) -> alt.LayerChart:
        base = alt.Chart(data).encode(
            y=alt.Y(
                "campaign:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelLimit=0) if labels else None,
            ),
            x=alt.X(
                f"{column}:Q",
                title="Minutes",
                scale=alt.Scale(domain=[0, float(data[column].max() or 1) * 1.35]),
                axis=alt.Axis(tickCount=4, labelFlush=False),
            ),
        )
        bars = base.mark_bar(color=colour)
        text = base.mark_text(align="left", dx=3).encode(text=f"{column}_label:N")
        return (bars + text).properties(width=200, height=height, title=heading)

    chart = alt.hconcat(
        panel("median", "Median wait", PRIMARY, labels=True),
        panel("p90", "90th percentile wait", SECONDARY, labels=False),
        title=title,
        spacing=16,
    )
    return Figure(chart, title, takeaway)
