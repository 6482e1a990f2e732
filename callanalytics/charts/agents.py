"""The agent report's chart: handle time against conversion, one point per agent, the best
and worst converters named without their names colliding."""

from __future__ import annotations

import altair as alt
import polars as pl

from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import PRIMARY, bottom_legend, durations, minutes
from callanalytics.display import fmt_rate

__all__ = ["agent_scatter"]


def agent_scatter(performance: pl.DataFrame, *, label: int = 3) -> Figure:
    """Average handle time against conversion rate, one point per agent; the ``label`` best
    and worst converters (among ranked agents, or all if none is ranked) are named.

    Example:
        >>> agent_scatter(pl.DataFrame(schema={"agent_name": pl.String, "calls": pl.UInt32,
        ...     "conversion_rate": pl.Float64, "ranked": pl.Boolean,
        ...     "aht": pl.Duration("ms")})).takeaway
        'No data for this chart in this window.'
    """
    title = "Average handle time against conversion rate, per agent"
    data = performance.filter(pl.col("aht").is_not_null() & pl.col("conversion_rate").is_not_null())
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.select(
        "agent_name",
        "calls",
        "conversion_rate",
        "ranked",
        aht_minutes=minutes("aht"),
        aht=pl.Series(durations(data["aht"])),
        status=pl.when(pl.col("ranked"))
        .then(pl.lit("Ranked"))
        .otherwise(pl.lit("Too few calls to rank")),
    )
    pool = data.filter(pl.col("ranked")) if data["ranked"].any() else data
    ordered = pool.sort(["conversion_rate", "calls"], descending=[True, True])
    named = pl.concat([ordered.head(label), ordered.tail(label)]).unique(
        "agent_name", keep="first", maintain_order=True
    )
    best, worst = ordered.row(0, named=True), ordered.row(-1, named=True)
    takeaway = (
        f"Best converter {best['agent_name']} ({fmt_rate(best['conversion_rate'])}, AHT "
        f"{best['aht']}); lowest {worst['agent_name']} ({fmt_rate(worst['conversion_rate'])}, "
        f"AHT {worst['aht']}). The {min(label, ordered.height)} best and worst are named."
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "aht_minutes:Q",
            title="Average handle time (minutes)",
            scale=alt.Scale(zero=False, padding=20),
            axis=alt.Axis(tickCount=8),
        ),
        y=alt.Y(
            "conversion_rate:Q",
            axis=alt.Axis(format="%"),
            title="Conversion rate",
            scale=alt.Scale(domainMin=0),
        ),
    )
    points = base.mark_circle(opacity=0.8).encode(
        size=alt.Size("calls:Q", title="Answered calls", legend=bottom_legend("Answered calls")),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=["Ranked", "Too few calls to rank"], range=[PRIMARY, "#9e9e9e"]),
            # Without unranked agents a legend of one colour says nothing.
            legend=bottom_legend() if not data["ranked"].all() else None,
        ),
        tooltip=["agent_name", "calls", "aht", alt.Tooltip("conversion_rate:Q", format=".1%")],
    )
    named = _placed_labels(named, data, width=_SCATTER_WIDTH, height=_SCATTER_HEIGHT)
    names = [
        alt.Chart(named.filter(pl.col("label_align") == align))
        .mark_text(align=align, dx=_LABEL_GAP if align == "left" else -_LABEL_GAP)
        .encode(x="aht_minutes:Q", y="label_y:Q", text="agent_name:N")
        for align in ("left", "right")
    ]
    chart = alt.layer(points, *names).properties(
        title=title, width=_SCATTER_WIDTH, height=_SCATTER_HEIGHT
    )
    return Figure(chart, title, takeaway)


_SCATTER_WIDTH, _SCATTER_HEIGHT = 540, 300
_LABEL_GAP = 10  # px between a point's centre and its name: clear of the largest point


def _placed_labels(named: pl.DataFrame, data: pl.DataFrame, *, width: int, height: int):
    """Where each name goes so that no two collide: beside its point, to the right or the
    left, moved up or down a line at a time (estimated on the chart's pixel grid; Vega has
    no label placement for text marks). Adds ``label_align`` and ``label_y`` (data units)."""
    x_low, x_high = float(data["aht_minutes"].min()), float(data["aht_minutes"].max())
    y_high = float(data["conversion_rate"].max()) or 1.0
    x_span = (x_high - x_low) or 1.0
    char, line = 6.5, 13.0  # px: an 11 px sans-serif character and line, with a margin
    dot = _LABEL_GAP - 1.0  # px: about the radius of the largest point
    placed: list[tuple[float, float, float, float]] = [
        (px - dot, px + dot, py - dot, py + dot)
        for px, py in (
            (20 + (x - x_low) / x_span * (width - 40), height - y / y_high * height)
            for x, y in data.select("aht_minutes", "conversion_rate").rows()
        )
    ]
    aligns, ys = [], []
    for name, x, y in named.select("agent_name", "aht_minutes", "conversion_rate").rows():
        px = 20 + (x - x_low) / x_span * (width - 40)
        py = height - y / y_high * height
        text_width = char * len(name)
        box = None
        for shift in (0, 1, -1, 2, -2, 3, -3):
            for align in ("left", "right"):
                gap = _LABEL_GAP
                left = px + gap if align == "left" else px - gap - text_width
                top = py - line / 2 + shift * line
                candidate = (left, left + text_width, top, top + line)
                if not any(
                    candidate[0] < b[1]
                    and b[0] < candidate[1]
                    and candidate[2] < b[3]
                    and b[2] < candidate[3]
                    for b in placed
                ):
                    box = (candidate, align, shift)
                    break
            if box:
                break
        candidate, align, shift = box or ((px, px, py, py), "left", 0)
        placed.append(candidate)
        aligns.append(align)
        ys.append(y - shift * line / height * y_high)
    return named.with_columns(label_align=pl.Series(aligns), label_y=pl.Series(ys))
