"""Charts of the lead funnel report (issue 12): why callers were not dialed back, the funnel
per group, margin per converted caller, and outcomes by wait for the callback."""

from __future__ import annotations

import altair as alt
import polars as pl

from callanalytics.charts.bars import labelled_margin_bars, rates_by_speed
from callanalytics.charts.figure import NO_DATA, Figure
from callanalytics.charts.style import PRIMARY, SECONDARY, bottom_legend, dollars
from callanalytics.display import fmt_money, fmt_rate

__all__ = [
    "FUNNEL_GROUPS",
    "FUNNEL_STAGES",
    "UNMATCHED_LABELS",
    "callback_speed_bars",
    "funnel_bars",
    "margin_per_converted_bars",
    "unmatched_reasons_bars",
]

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
_STAGE_COLOURS = ["#b7c9e2", "#7fa3cf", PRIMARY, "#2e7d32", "#e69f00"]


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
    bars = base.mark_bar(color=SECONDARY).encode(tooltip=["reason", "calls"])
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
            legend=bottom_legend(),
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
        margin=dollars("margin_per_converted"),
        label=pl.Series([fmt_money(v) for v in ordered["margin_per_converted"].to_list()]),
    )
    chart = labelled_margin_bars(data, "group", "Margin per converted caller (dollars)", width=420)
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
    return rates_by_speed(
        outcomes,
        "callers",
        title="Contact and conversion by wait for the callback",
        axes=("Wait from the call to the first dial back", "Share of callers"),
        compare=lambda first, last: (
            f"Conversion: {fmt_rate(first['conversion_rate'])} of callers called back in the "
            f"{first['speed_bucket']} bucket ({first['callers']:,}), "
            f"{fmt_rate(last['conversion_rate'])} in the {last['speed_bucket']} bucket "
            f"({last['callers']:,})."
        ),
        only=lambda first: f"All callers were called back in the {first['speed_bucket']} bucket.",
    )
