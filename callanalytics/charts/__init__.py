"""Charts for the reports, from metric outputs (small, already aggregated frames).

Each function returns a :class:`Figure`: an Altair chart with a title (its alt text) and a
one-line takeaway computed from the same data. In a notebook or an HTML report a figure shows
as an inline ``<svg>`` element (drawn offline by vl-convert, no ``data:`` image that mail
clients block) followed by its takeaway. An empty frame gives a figure that says so instead
of a chart. Durations become minutes and money becomes dollars only here, for display.

One module per report (``speed_to_lead``, ``agents``, ``affiliates``, ``funnel``,
``compliance``); ``figure`` draws the SVG, ``style`` holds the shared look and ``bars`` the
bar charts more than one report draws.
"""

from callanalytics.charts.affiliates import (
    affiliate_margin_bars,
    daily_margin_line,
    offer_margin_bars,
)
from callanalytics.charts.agents import agent_scatter
from callanalytics.charts.compliance import abandonment_lines, local_hour_bars
from callanalytics.charts.figure import MAX_WIDTH, NO_DATA, Figure, use_static_charts
from callanalytics.charts.funnel import (
    FUNNEL_GROUPS,
    FUNNEL_STAGES,
    UNMATCHED_LABELS,
    callback_speed_bars,
    funnel_bars,
    margin_per_converted_bars,
    unmatched_reasons_bars,
)
from callanalytics.charts.speed_to_lead import (
    outcomes_by_speed_bars,
    speed_by_campaign_bars,
    speed_heatmap,
)

__all__ = [
    "FUNNEL_GROUPS",
    "FUNNEL_STAGES",
    "MAX_WIDTH",
    "NO_DATA",
    "UNMATCHED_LABELS",
    "Figure",
    "abandonment_lines",
    "affiliate_margin_bars",
    "agent_scatter",
    "callback_speed_bars",
    "daily_margin_line",
    "funnel_bars",
    "local_hour_bars",
    "margin_per_converted_bars",
    "offer_margin_bars",
    "outcomes_by_speed_bars",
    "speed_by_campaign_bars",
    "speed_heatmap",
    "unmatched_reasons_bars",
    "use_static_charts",
]
