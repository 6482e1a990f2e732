"""The speed-to-lead notebook."""

from __future__ import annotations

from .cells import (
    CONVERSIONS,
    DIALER_PARAMETERS,
    LOAD_CALLS,
    code,
    header_params,
    notebook,
    section,
)

NOTEBOOK = notebook(
    "Speed to lead",
    "How quickly new leads get their first dial, and what waiting costs. Contact rates fall "
    "steeply after the first five minutes, so every section splits there.",
    DIALER_PARAMETERS,
    [
        code(
            header_params(DIALER_PARAMETERS)
            + """
display(Markdown(report_header(params)))
"""
            + LOAD_CALLS
        ),
        section(
            "## Headline",
            """summary = metrics.speed_to_lead_summary(calls, success=success)
display(Markdown(narrative.summary_story(summary.row(0, named=True))))
display(table(summary.select("leads", "median", "p75", "p90", "contact_rate",
                             "conversion_rate"), rates=("contact_rate", "conversion_rate")))
display(table(summary.select("within_1m", "within_5m", "within_15m", "within_60m"),
              rates=("within_1m", "within_5m", "within_15m", "within_60m")))""",
        ),
        CONVERSIONS,
        section(
            "## Waiting costs conversions",
            """outcomes = metrics.outcomes_by_speed(calls, success=success)
display(Markdown(narrative.speed_story(outcomes)))
display(charts.outcomes_by_speed_bars(outcomes))
display(table(outcomes, rates=("contact_rate", "conversion_rate")))""",
        ),
        section(
            "## Campaigns",
            """by_campaign = metrics.speed_to_lead_by(calls, "campaign", success=success)
display(Markdown(narrative.campaign_story(by_campaign)))
display(charts.speed_by_campaign_bars(by_campaign))""",
        ),
        section(
            "## When leads arrive matters",
            """heatmap = metrics.speed_to_lead_heatmap(calls)
display(charts.speed_heatmap(heatmap, placed_by="arrival"))
fallback = int(heatmap["from_upload_date"].sum())
display(Markdown(
    "Each lead is placed by when it arrived: its first dial minus its speed to lead, in the "
    "report's time zone. Engage's upload date is the list's original upload time, even for "
    "leads appended to the list later, so it is used only for leads without a speed to lead: "
    f"{fallback:,} lead{'' if fallback == 1 else 's'} here. Blank cells had no leads."
))""",
        ),
        section(
            "## Day by day",
            """by_day = metrics.speed_to_lead_by(calls, "day", success=success)
display(table(by_day.select("day", "leads", "median", "p90", "within_5m", "conversion_rate"),
              rates=("within_5m", "conversion_rate")))""",
            "Leads are grouped by the day of their first dial. Every wait bucket and "
            '"within" share includes its upper bound: a lead dialed at exactly 5:00 is '
            "within 5 minutes.",
        ),
    ],
)
