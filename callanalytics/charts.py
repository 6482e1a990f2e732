"""Charts for the reports, from metric outputs (small, already aggregated frames).

Each function returns a :class:`Figure`: an Altair chart with a title (its alt text) and a
one-line takeaway computed from the same data. In a notebook or an HTML report a figure shows
as an inline ``<svg>`` element (drawn offline by vl-convert, no ``data:`` image that mail
clients block) followed by its takeaway. An empty frame gives a figure that says so instead
of a chart. Durations become minutes and money becomes dollars only here, for display.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import re
from dataclasses import dataclass

import altair as alt
import polars as pl

from callanalytics.display import fmt_duration, fmt_money, fmt_rate
from callanalytics.narrative import losing_money

__all__ = [
    "Figure",
    "affiliate_margin_bars",
    "agent_scatter",
    "callback_speed_bars",
    "daily_margin_line",
    "funnel_bars",
    "margin_per_converted_bars",
    "offer_margin_bars",
    "outcomes_by_speed_bars",
    "speed_by_campaign_bars",
    "speed_heatmap",
    "unmatched_reasons_bars",
    "use_static_charts",
]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
#: Widest chart, in pixels, so a report fits an 800 px window (its output area is ~750 px).
MAX_WIDTH = 700
# Colours: blues and greens for money coming in, never red; red only for a loss.
_REVENUE, _PAYOUT, _MARGIN, _LOSS = "#2e7d32", "#e69f00", "#1f5fa8", "#c0392b"
_PRIMARY, _SECONDARY = "#1f5fa8", "#e69f00"
NO_DATA = "No data for this chart in this window."
_ID = re.compile(r'\bid="([^"]+)"')


def use_static_charts() -> None:
    """Render bare Altair charts as SVG too (figures are always inline SVG)."""
    alt.renderers.enable("svg")


@dataclass(frozen=True)
class Figure:
    """A chart with its title (used as alt text) and a one-line takeaway.

    ``chart`` is ``None`` when there was nothing to draw; the figure then shows the takeaway
    alone. ``figure.chart`` is a regular Altair chart for further use.

    Example:
        >>> Figure(None, "Margin by affiliate", NO_DATA)._repr_html_().count("<svg")
        0
    """

    chart: alt.TopLevelMixin | None
    title: str
    takeaway: str

    def svg(self) -> str:
        """The chart as an accessible SVG element: ``role="img"`` with a ``<title>`` and
        ``<desc>``, element ids made unique so several charts can share one page, and a
        ``max-width`` so it shrinks in a narrow window."""
        if self.chart is None:
            return ""
        buffer = io.StringIO()
        _readable(self.chart).save(buffer, format="svg")
        svg = buffer.getvalue()
        prefix = "ca" + hashlib.sha1((self.title + svg).encode()).hexdigest()[:8] + "-"
        for name in set(_ID.findall(svg)):
            svg = (
                svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
                .replace(f"url(#{name})", f"url(#{prefix}{name})")
                .replace(f'href="#{name}"', f'href="#{prefix}{name}"')
            )
        title, desc = html.escape(self.title), html.escape(self.takeaway)
        opening = (
            f'<svg role="img" aria-labelledby="{prefix}title {prefix}desc" '
            'style="max-width:100%;height:auto" '
        )
        svg = svg.replace("<svg ", opening, 1)
        head_end = svg.index(">") + 1
        return (
            svg[:head_end]
            + f'<title id="{prefix}title">{title}</title><desc id="{prefix}desc">{desc}</desc>'
            + svg[head_end:]
        )

    def _repr_html_(self) -> str:
        caption = (
            f'<figcaption style="max-width:{MAX_WIDTH}px;margin-top:0.25em">'
            f"{html.escape(self.takeaway)}</figcaption>"
        )
        if self.chart is None:
            body = f"<p><strong>{html.escape(self.title)}</strong></p>"
        else:
            body = self.svg()
        return f'<figure class="ca-chart" style="margin:0 0 1em 0">{body}{caption}</figure>'

    def __repr__(self) -> str:
        return f"{self.title}: {self.takeaway}"


def _readable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Type large enough to read in an email at 800 px."""
    return (
        chart.configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_axisQuantitative(labelOverlap="greedy", labelFlush=False)
        .configure_axisTemporal(labelOverlap="greedy", labelFlush=False)
        .configure_legend(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14)
        .configure_text(fontSize=12)
    )


def _minutes(column: str) -> pl.Expr:
    return (pl.col(column).dt.total_milliseconds() / 60_000).round(2)


def _dollars(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64)


def _durations(series: pl.Series) -> list[str]:
    return [fmt_duration(v) for v in series.to_list()]


def _bottom_legend(title: str | None = None) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom", direction="horizontal", labelLimit=0)


def outcomes_by_speed_bars(outcomes: pl.DataFrame) -> Figure:
    """Contact and conversion rate per speed-to-lead bucket (from ``outcomes_by_speed``).

    Example:
        >>> outcomes_by_speed_bars(pl.DataFrame(schema={"speed_bucket": pl.String,
        ...     "leads": pl.UInt32, "contact_rate": pl.Float64,
        ...     "conversion_rate": pl.Float64})).takeaway
        'No data for this chart in this window.'
    """
    title = "Contact and conversion by wait for the first dial"
    data = outcomes.filter(pl.col("leads") > 0)
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.with_columns(pl.col("speed_bucket").cast(pl.String))
    first, last = data.row(0, named=True), data.row(-1, named=True)
    takeaway = (
        f"Conversion: {fmt_rate(first['conversion_rate'])} for leads first dialed in the "
        f"{first['speed_bucket']} bucket, {fmt_rate(last['conversion_rate'])} in the "
        f"{last['speed_bucket']} bucket."
        if data.height > 1
        else f"All leads were first dialed in the {first['speed_bucket']} bucket."
    )
    chart = _rates_by_bucket(data, "leads", "Wait for the first dial", "Share of leads")
    return Figure(chart.properties(title=title), title, takeaway)


def _rates_by_bucket(data: pl.DataFrame, count: str, x_title: str, y_title: str):
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
                scale=alt.Scale(range=[_PRIMARY, _SECONDARY]),
                legend=_bottom_legend(),
            ),
            tooltip=["speed_bucket", "measure", alt.Tooltip("rate:Q", format=".1%"), count],
        )
        .properties(width=520, height=240)
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
        minutes=_minutes("median"),
        wait=pl.Series(_durations(data["median"])),
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
        median=_minutes("median"),
        p90=_minutes("p90"),
        median_label=pl.Series(_durations(data["median"])),
        p90_label=pl.Series(_durations(data["p90"])),
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
        panel("median", "Median wait", _PRIMARY, labels=True),
        panel("p90", "90th percentile wait", _SECONDARY, labels=False),
        title=title,
        spacing=16,
    )
    return Figure(chart, title, takeaway)


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
        aht_minutes=_minutes("aht"),
        aht=pl.Series(_durations(data["aht"])),
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
        size=alt.Size("calls:Q", title="Answered calls", legend=_bottom_legend("Answered calls")),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(
                domain=["Ranked", "Too few calls to rank"], range=[_PRIMARY, "#9e9e9e"]
            ),
            # Without unranked agents a legend of one colour says nothing.
            legend=_bottom_legend() if not data["ranked"].all() else None,
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


def _money_axis(title: str) -> alt.Axis:
    return alt.Axis(format="$,.0f", tickCount=5, labelFlush=False, labelOverlap=True, title=title)


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
        margin=_dollars("margin"),
        label=pl.Series([fmt_money(v) for v in ordered["margin"].to_list()]),
    )
    best = ordered.row(0, named=True)
    lost = losing_money(ordered)
    takeaway = f"{best['affiliate']} earned the most margin ({fmt_money(best['margin'])}). {lost}"
    chart = _labelled_margin_bars(data, "affiliate", "Margin (dollars)", width=440)
    return Figure(chart.properties(title=title), title, takeaway)


def _labelled_margin_bars(data: pl.DataFrame, key: str, axis_title: str, *, width: int):
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
            axis=_money_axis(axis_title),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.margin < 0", alt.value(_LOSS), alt.value(_MARGIN)),
        tooltip=[key, "label"],
    )
    text = base.mark_text(align="left", dx=4).encode(x=alt.X("zero_or_margin:Q"), text="label:N")
    text = text.transform_calculate(zero_or_margin="max(datum.margin, 0)")
    return (bars + text).properties(width=width, height=max(60, 24 * data.height))


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
        margin=_dollars("margin"),
        label=pl.Series([fmt_money(v) for v in known["margin"].to_list()]),
    )
    best = data.row(0, named=True)
    takeaway = (
        f"{best['offer']} earned the most ({best['label']}) of {data.height} offers with calls."
    )
    chart = _labelled_margin_bars(data, "offer", "Margin (dollars)", width=340)
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
        Revenue=_dollars("revenue"),
        Payout=_dollars("payout"),
        Margin=_dollars("margin"),
    ).unpivot(index="day", variable_name="measure", value_name="dollars")
    best = days.sort("margin", descending=True).row(0, named=True)
    worst = days.sort("margin").row(0, named=True)
    takeaway = (
        f"Daily margin ranged from {fmt_money(worst['margin'])} on "
        f"{worst['day']:%a %d %b} to {fmt_money(best['margin'])} on {best['day']:%a %d %b}."
    )
    step = max(1, -(-days.height // 5))  # at most 5 date labels, never crowded
    chart = (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "day:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(
                    labelExpr="utcFormat(datum.value, '%a %d %b')",
                    labelAngle=0,
                    values=[
                        alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True)
                        for d in days["day"].to_list()[::step]
                    ],
                ),
            ),
            y=alt.Y("dollars:Q", axis=_money_axis("Dollars")),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(
                    domain=["Revenue", "Payout", "Margin"], range=[_REVENUE, _PAYOUT, _MARGIN]
                ),
                legend=_bottom_legend(),
            ),
            tooltip=[alt.Tooltip("day:T", format="%d %b %Y"), "measure", "dollars"],
        )
        .properties(width=540, height=240)
    )
    return Figure(chart, title, takeaway)


# --- The lead funnel (issue 12) ---------------------------------------------------------------

#: Why a LeadFlow caller was not dialed back, as a reader reads it (``unmatched_reason``).
UNMATCHED_LABELS = {
    "no_dial": "Never dialed",
    "dialed_before_call": "Dialed only before the call",
    "outside_window": "Dialed too late",
    "invalid_number": "No usable number",
}
#: The funnel's stages: column -> label, widest first.
FUNNEL_STAGES = {
    "calls": "Calls",
    "callers": "Callers",
    "dialed": "Dialed back",
    "contacted": "Contacted",
    "converted": "Converted",
}
#: The most groups the funnel chart draws (those with the most calls); tables list them all.
FUNNEL_GROUPS = 12
_STAGE_COLOURS = ["#b7c9e2", "#7fa3cf", _PRIMARY, "#2e7d32", "#e69f00"]


def _group_label(keys: list[str] | tuple[str, ...]) -> pl.Expr:
    """One text label per funnel group: its key values joined by ": " ("(none)" for null)."""
    text = pl.concat_str(
        [pl.col(k).cast(pl.String).fill_null("(none)") for k in keys], separator=": "
    )
    return (
        pl.when(pl.all_horizontal(pl.col(k).is_null() for k in keys))
        .then(pl.lit("(none)"))
        .otherwise(text)
    )


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def unmatched_reasons_bars(summary: pl.DataFrame) -> Figure:
    """Callers not dialed back, by why (from ``lead_funnel_summary``: its ``no_dial``,
    ``dialed_before_call``, ``outside_window`` and ``invalid_numbers`` columns, in calls).

    Example:
        >>> unmatched_reasons_bars(pl.DataFrame({"no_dial": [3], "dialed_before_call": [1],
        ...     "outside_window": [0], "invalid_numbers": [0]})).takeaway
        '4 calls were not dialed back; most (3, 75.0%): never dialed.'
    """
    title = "Calls not dialed back, by reason"
    columns = {"invalid_number": "invalid_numbers"}
    if summary.is_empty():
        return Figure(None, title, NO_DATA)
    row = summary.row(0, named=True)
    counts = {r: int(row.get(columns.get(r, r)) or 0) for r in UNMATCHED_LABELS}
    total = sum(counts.values())
    if not total:
        return Figure(None, title, "Every call was dialed back within the window.")
    data = pl.DataFrame(
        {
            "reason": [UNMATCHED_LABELS[r] for r in counts],
            "calls": list(counts.values()),
            "label": [f"{v:,} ({fmt_rate(v / total)})" for v in counts.values()],
        }
    )
    top = max(counts, key=lambda r: counts[r])
    takeaway = (
        f"{_plural(total, 'call')} were not dialed back; most ({counts[top]:,}, "
        f"{fmt_rate(counts[top] / total)}): {UNMATCHED_LABELS[top].lower()}."
    )
    base = alt.Chart(data).encode(
        y=alt.Y("reason:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X(
            "calls:Q",
            title="Calls",
            scale=alt.Scale(domain=[0, max(counts.values()) * 1.35]),
            axis=alt.Axis(tickCount=5, format=",d"),
        ),
    )
    bars = base.mark_bar(color=_SECONDARY).encode(tooltip=["reason", "calls"])
    text = base.mark_text(align="left", dx=4).encode(text="label:N")
    chart = (bars + text).properties(title=title, width=400, height=24 * data.height)
    return Figure(chart, title, takeaway)


def funnel_bars(funnel: pl.DataFrame, keys: list[str] | tuple[str, ...] = ("affiliate",)) -> Figure:
    """Calls → callers → dialed back → contacted → converted, one group of bars per
    ``keys`` group (from ``lead_funnel``), every bar labelled with its count.

    Example:
        >>> funnel_bars(pl.DataFrame({"affiliate": ["A", "B"], "calls": [10, 8],
        ...     "callers": [9, 8], "dialed": [4, 2], "contacted": [2, 2],
        ...     "converted": [1, 2]})).takeaway.split("; ")[0]
        'B converted the largest share of its callers (2 of 8, 25.0%)'
    """
    title = "The funnel: calls to converted callers"
    data = funnel.filter(pl.col("calls") > 0)
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.with_columns(group=_group_label(keys))
    share = pl.when(pl.col("callers") > 0).then(pl.col("converted") / pl.col("callers"))
    ranked = data.with_columns(share=share).filter(pl.col("share").is_not_null())
    if ranked.height > 1:
        ranked = ranked.sort(["share", "callers"], descending=[True, True])
        best, worst = ranked.row(0, named=True), ranked.row(-1, named=True)
        takeaway = (
            f"{best['group']} converted the largest share of its callers ({best['converted']:,} "
            f"of {best['callers']:,}, {fmt_rate(best['share'])}); {worst['group']} the "
            f"smallest ({worst['converted']:,} of {worst['callers']:,}, "
            f"{fmt_rate(worst['share'])})."
        )
    elif ranked.height == 1:
        one = ranked.row(0, named=True)
        takeaway = (
            f"{one['group']}: {one['converted']:,} of {one['callers']:,} callers converted "
            f"({fmt_rate(one['share'])})."
        )
    else:
        takeaway = "No call had a usable caller number, so no caller could be followed."
    if data.height > FUNNEL_GROUPS:  # a readable chart: the groups with the most calls
        kept = set(
            data.sort("calls", descending=True, maintain_order=True)["group"][:FUNNEL_GROUPS]
        )
        data = data.filter(pl.col("group").is_in(kept))
        takeaway += f" The {FUNNEL_GROUPS} groups with the most calls are drawn."
    order = data["group"].to_list()
    long = data.select("group", *FUNNEL_STAGES).unpivot(
        index="group", variable_name="stage", value_name="count"
    )
    long = long.with_columns(
        pl.col("stage").replace_strict(FUNNEL_STAGES, return_dtype=pl.String),
        label=pl.col("count").map_elements(lambda v: f"{v:,}", return_dtype=pl.String),
    )
    stages = list(FUNNEL_STAGES.values())
    top = float(long["count"].max() or 1)
    base = alt.Chart(long).encode(
        y=alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
        yOffset=alt.YOffset("stage:N", sort=stages),
        x=alt.X(
            "count:Q",
            title="Calls or callers",
            scale=alt.Scale(domain=[0, top * 1.2]),
            axis=alt.Axis(tickCount=5, format=",d"),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "stage:N",
            sort=stages,
            scale=alt.Scale(domain=stages, range=_STAGE_COLOURS),
            legend=_bottom_legend(),
        ),
        tooltip=["group", "stage", "count"],
    )
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="label:N")
    chart = (bars + text).properties(title=title, width=420, height=alt.Step(11))
    return Figure(chart, title, takeaway)


def margin_per_converted_bars(
    funnel: pl.DataFrame, keys: list[str] | tuple[str, ...] = ("affiliate",)
) -> Figure:
    """Groups ranked by LeadFlow margin per converted caller (from ``lead_funnel``); a loss
    is drawn in red, and groups with no converted caller are named in the takeaway.

    Example:
        >>> from decimal import Decimal as D
        >>> margin_per_converted_bars(pl.DataFrame({"affiliate": ["A", "B"],
        ...     "margin_per_converted": [D("50"), None]})).takeaway
        'A earned $50.00 per converted caller. No converted caller: B.'
    """
    title = "Margin per converted caller"
    if funnel.is_empty():
        return Figure(None, title, NO_DATA)
    named = funnel.with_columns(group=_group_label(keys))
    none = named.filter(pl.col("margin_per_converted").is_null())["group"].to_list()
    missing = f" No converted caller: {', '.join(none)}." if none else ""
    ordered = named.filter(pl.col("margin_per_converted").is_not_null()).sort(
        ["margin_per_converted", "group"], descending=[True, False]
    )
    if ordered.is_empty():
        return Figure(None, title, "No caller converted, so there is no margin per convert.")
    best, worst = ordered.row(0, named=True), ordered.row(-1, named=True)
    takeaway = (
        f"{best['group']} earned the most per converted caller "
        f"({fmt_money(best['margin_per_converted'])}); {worst['group']} the least "
        f"({fmt_money(worst['margin_per_converted'])}).{missing}"
        if ordered.height > 1
        else f"{best['group']} earned {fmt_money(best['margin_per_converted'])} per converted "
        f"caller.{missing}"
    )
    data = ordered.select(
        "group",
        margin=_dollars("margin_per_converted"),
        label=pl.Series([fmt_money(v) for v in ordered["margin_per_converted"].to_list()]),
    )
    chart = _labelled_margin_bars(data, "group", "Margin per converted caller (dollars)", width=420)
    return Figure(chart.properties(title=title), title, takeaway)


def callback_speed_bars(outcomes: pl.DataFrame) -> Figure:
    """Contact and conversion rate of callers per wait for their callback (from
    ``callback_outcomes``; the speed-to-lead buckets, upper bounds included).

    Example:
        >>> callback_speed_bars(pl.DataFrame(schema={"speed_bucket": pl.String,
        ...     "callers": pl.UInt32, "contact_rate": pl.Float64,
        ...     "conversion_rate": pl.Float64})).takeaway
        'No data for this chart in this window.'
    """
    title = "Contact and conversion by wait for the callback"
    data = outcomes.filter(pl.col("callers") > 0)
    if data.is_empty():
        return Figure(None, title, NO_DATA)
    data = data.with_columns(pl.col("speed_bucket").cast(pl.String))
    first, last = data.row(0, named=True), data.row(-1, named=True)
    takeaway = (
        f"Conversion: {fmt_rate(first['conversion_rate'])} of callers called back in the "
        f"{first['speed_bucket']} bucket ({first['callers']:,}), "
        f"{fmt_rate(last['conversion_rate'])} in the {last['speed_bucket']} bucket "
        f"({last['callers']:,})."
        if data.height > 1
        else f"All callers were called back in the {first['speed_bucket']} bucket."
    )
    x_title = "Wait from the call to the first dial back"
    chart = _rates_by_bucket(data, "callers", x_title, "Share of callers")
    return Figure(chart.properties(title=title), title, takeaway)


# --- Compliance (issue 13) ------------------------------------------------------------------


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
                axis=alt.Axis(format="%d %b", labelAngle=0),
            ),
            y=alt.Y(
                "rate:Q",
                title="Abandoned",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, top]),
            ),
            color=alt.Color("campaign:N", legend=_bottom_legend()),
            tooltip=[
                "campaign",
                alt.Tooltip("period_end:T", format="%d %b %Y"),
                alt.Tooltip("rate:Q", format=".2%"),
            ],
        )
    )
    rule = (
        alt.Chart(pl.DataFrame({"limit": [limit], "label": [f"{fmt_rate(limit)} safe harbour"]}))
        .mark_rule(color=_LOSS, strokeDash=[6, 4])
        .encode(y="limit:Q")
    )
    text = rule.mark_text(align="left", dx=4, dy=-6, color=_LOSS).encode(
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
    from callanalytics.display import fmt_count

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
            color=alt.condition("datum.inside", alt.value(_PRIMARY), alt.value(_LOSS)),
            tooltip=["hour", "dials"],
        )
    )
    chart = alt.layer(band, bars, title=title).properties(width=560, height=220)
    return Figure(chart, title, takeaway)


__all__ += ["abandonment_lines", "local_hour_bars"]
