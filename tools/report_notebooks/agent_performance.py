"""The agent-performance notebook."""

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

AGENT_PARAMETERS = (
    DIALER_PARAMETERS
    + "min_calls: int = 20  # agents with fewer answered calls are shown but not ranked\n"
)

NOTEBOOK = notebook(
    "Agent performance",
    "Who handles answered calls, how long they take, and who converts. Average handle time "
    "(AHT) is the call's duration (talk and hold, start to end) plus wrap-up.",
    AGENT_PARAMETERS,
    [
        code(
            header_params(AGENT_PARAMETERS)
            + """
display(Markdown(report_header(params)))
"""
            + LOAD_CALLS
        ),
        section(
            "## Headline",
            """performance = metrics.agent_performance(calls, success=success, min_calls=min_calls)
display(Markdown(narrative.agent_story(performance)))
team = metrics.team_summary(calls, success=success, min_calls=min_calls)
handle_times = metrics.TEAM_HANDLE_TIMES
display(table(team.drop("conversions"), rates=("conversion_rate",),
              labels={column: header for column, (header, _) in handle_times.items()}))
display(Markdown(" ".join(f"**{header}**: {meaning}." for header, meaning in
                          handle_times.values())))""",
        ),
        CONVERSIONS,
        section(
            "## Handle time against conversion",
            """display(charts.agent_scatter(performance))""",
        ),
        section(
            "## The team, ranked by conversion",
            """display(table(
    performance.select("rank", "agent_name", "calls", "conversion_rate", "aht", "occupancy",
                       "transfer_rate", "aht_outlier"),
    rates=("conversion_rate", "occupancy", "transfer_rate"),
))
display(Markdown("Time per answered call, per agent:"))
display(table(performance.select("agent_name", "agent_id", "aht", "avg_talk", "avg_hold",
                                 "avg_wrap", "avg_wait")))""",
            "Agents below `min_calls` are listed last, unranked. Definitions, per answered "
            "call: **handle time** = the call's duration (Engage's start-to-end time, which "
            "already includes any hold) + wrap-up; **talk** = duration − hold; **hold** = time "
            "on hold, shown on its own and not added again; **wrap** = after-call work. "
            "**AHT** is average handle time; **occupancy** is handle time over handle plus "
            "wait time between calls.",
        ),
        section(
            "## Disposition mix",
            """mix = metrics.agent_disposition_mix(calls)
shares = mix.pivot(on="agent_disposition", index="agent_name", values="share").fill_null(0)
display(table(shares.sort("agent_name"), rates=tuple(shares.columns[1:]),
              labels={c: c for c in shares.columns[1:]}))""",
            "Share of each agent's answered calls by disposition.",
        ),
        section(
            "## Calls per logged hour",
            """per_hour = metrics.agent_calls_per_hour(calls)
display(table(per_hour.group_by("agent_name").agg(
    days=pl.len(), median_calls_per_hour=pl.col("calls_per_hour").median().round(1)
).sort("median_calls_per_hour", descending=True)))""",
            "Logged time is estimated as handle time (duration + wrap) + wait.",
        ),
    ],
)
