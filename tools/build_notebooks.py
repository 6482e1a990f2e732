"""Write the three report notebooks (committed without outputs).

The notebooks are the source of truth once written; this script is how they were laid out
and can regenerate them after a structural change: `python tools/build_notebooks.py`.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent / "notebooks"

SETUP = """import polars as pl
from IPython.display import Markdown, display

import callanalytics as ca
from callanalytics import charts, metrics, narrative
from callanalytics.display import no_data, report_header, setup_notebook, table

setup_notebook()
"""


def notebook(title: str, intro: str, parameters: str, cells: list) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["title"] = title
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# {title}\n\n{intro}"), params, new_code_cell(SETUP), *cells]
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"  # stable ids: regenerating changes only what changed
    return nb


DIALER_PARAMETERS = (
    "# Parameters: papermill overrides these; the defaults run on the built-in sample data.\n"
    + """source: str = "sample"  # "sample", a Dialer export (CSV or Parquet) path, or "api"
start: str = ""  # first day, ISO date, inclusive (empty: the source's default window)
end: str = ""  # last day, ISO date, exclusive (empty: the source's default window)
timezone: str = "America/New_York"  # the report's time zone
campaigns: list = []  # campaign ids or names to keep (empty: all campaigns)
success_dispositions: list = []  # dispositions counted as a conversion (empty: the default rule)
"""
)


def code(text: str):
    return new_code_cell(text)


def section(heading: str, body: str, note: str = ""):
    """A report section as one code cell: its heading, its outputs and a note under them,
    all shown only when the window has data (an empty window shows the no-data page)."""
    lines = [f"display(Markdown({heading!r}))", *body.strip("\n").splitlines()]
    if note:
        lines.append(f"display(Markdown({note!r}))")
    return new_code_cell("if has_data:\n" + "\n".join(f"    {line}" for line in lines))


LOAD_CALLS = """calls = ca.load_dialer_results(source, start, end, timezone=timezone, campaigns=campaigns)
success = success_dispositions or None
has_data = not calls.is_empty()
if not has_data:
    display(Markdown(no_data(start, end, "calls")))"""

# Every Dialer report says which dispositions it counted as conversions, and which it saw
# but did not count, so the rule is never hidden.
CONVERSIONS = section(
    "## What counted as a conversion",
    """split = metrics.disposition_split(calls, success=success)
display(Markdown(narrative.conversion_story(split)))
rule = (f"exactly the dispositions {', '.join(map(str, success_dispositions))} (any case)"
        if success_dispositions else metrics.DEFAULT_SUCCESS_RULE)
display(Markdown(f"The rule: {rule}. Set `success_dispositions` to change it."))""",
)

SPEED = notebook(
    "Speed to lead",
    "How quickly new leads get their first dial, and what waiting costs. Contact rates fall "
    "steeply after the first five minutes, so every section splits there.",
    DIALER_PARAMETERS,
    [
        code(
            """params = dict(source=source, start=start, end=end, timezone=timezone,
              campaigns=campaigns, success_dispositions=success_dispositions)
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

AGENTS = notebook(
    "Agent performance",
    "Who handles answered calls, how long they take, and who converts. Average handle time "
    "(AHT) is the call's duration (talk and hold, start to end) plus wrap-up.",
    DIALER_PARAMETERS
    + "min_calls: int = 20  # agents with fewer answered calls are shown but not ranked\n",
    [
        code(
            """params = dict(source=source, start=start, end=end, timezone=timezone, campaigns=campaigns,
              success_dispositions=success_dispositions, min_calls=min_calls)
display(Markdown(report_header(params)))
"""
            + LOAD_CALLS
        ),
        section(
            "## Headline",
            """performance = metrics.agent_performance(calls, success=success, min_calls=min_calls)
display(Markdown(narrative.agent_story(performance)))
team = performance.select(
    agents=pl.len(), ranked=pl.col("ranked").sum(), answered_calls=pl.col("calls").sum(),
    conversion_rate=pl.col("conversions").sum() / pl.col("calls").sum(),
    aht=pl.col("handle").sum() / pl.col("calls").sum(),
)
display(table(team, rates=("conversion_rate",), labels={"ranked": "Ranked agents"}))""",
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

MARGIN = notebook(
    "Affiliate margin",
    "Pay-per-call economics from LeadFlow: revenue is the offer price of offer-qualified "
    "calls, payout the affiliate price of affiliate-qualified calls, margin the difference.",
    """# Parameters: papermill overrides these; the defaults run on the built-in sample data.
source: str = "sample"  # "sample", a LeadFlow export (JSON, CSV or Parquet) path, or "api"
start: str = ""  # first day, ISO date, inclusive (empty: the source's default window)
end: str = ""  # last day, ISO date, exclusive (empty: the source's default window)
affiliates: list = []  # affiliates to keep (empty: all affiliates)
""",
    [
        code("""from callanalytics.schema import LEADFLOW_HISTORY

params = dict(source=source, start=start, end=end, affiliates=affiliates)
display(Markdown(report_header(params, timezone=LEADFLOW_HISTORY.default_timezone)))
traffic = ca.load_leadflow_history(source, start, end, affiliates=affiliates)
has_data = not traffic.is_empty()
if not has_data:
    display(Markdown(no_data(start, end, "calls")))"""),
        section(
            "## Headline",
            """summary = metrics.margin_summary(traffic)
by_affiliate = metrics.affiliate_margin(traffic, "affiliate")
display(Markdown(narrative.affiliate_story(summary.row(0, named=True), by_affiliate)))
display(table(summary.select("margin", "margin_pct", "revenue", "payout", "calls",
                             "margin_per_call"), rates=("margin_pct",)))
display(table(summary.select("leakage_calls", "leakage_payout", "contested_calls",
                             "revenue_at_risk")))""",
        ),
        section(
            "## Affiliates",
            """display(charts.affiliate_margin_bars(by_affiliate))
money = ("margin", "margin_pct", "revenue", "payout", "calls", "margin_per_call")
display(table(by_affiliate.select("affiliate", *money), rates=("margin_pct",)))
display(Markdown("Call quality by affiliate:"))
quality = ("connected_rate", "offer_qualified_rate", "affiliate_qualified_rate",
           "repeat_caller_share")
display(table(by_affiliate.select("affiliate", *quality, "leakage_calls", "leakage_payout"),
              rates=quality))""",
        ),
        section(
            "## Advertisers and offers",
            """by_offer = metrics.affiliate_margin(traffic, "offer")
display(charts.offer_margin_bars(by_offer))""",
        ),
        section(
            "## Day by day",
            """display(charts.daily_margin_line(metrics.affiliate_margin(traffic, "day")))""",
        ),
        section(
            "## States",
            """by_state = metrics.affiliate_margin(traffic, "state").head(10)
display(table(by_state.select("lf_state", *money, "offer_qualified_rate"),
              rates=("margin_pct", "offer_qualified_rate")))""",
            "The ten states with the highest margin.",
        ),
        section(
            "## Data quality",
            """reconciliation = metrics.margin_reconciliation(traffic)
display(Markdown(narrative.margin_reconciliation_story(reconciliation.summary.row(0, named=True))))
issues = reconciliation.rows
display(Markdown(f"{issues.height:,} call(s) out of {traffic.height:,} report a margin that "
                 "does not equal their revenue minus payout."))
display(table(issues.select("sid", "call_date", "affiliate", "caller", "offer_price",
                            "affiliate_price", "margin", "difference").head(20),
              labels={"margin": "LeadFlow margin", "difference": "LeadFlow minus ours"},
              empty="Every call's margin equals its revenue minus payout."))""",
            "Caller numbers are masked to their last four digits; at most 20 calls are listed.",
        ),
    ],
)


def lead_funnel_notebook() -> nbformat.NotebookNode:
    """The lead funnel (issue 12): LeadFlow callers followed into the Dialer results."""
    labels = (
        'labels = {"dial_rate": "Share dialed back", "dialed": "Callers dialed back", '
        '"median_callback": "Median wait for callback",\n'
        '          "margin_per_converted": "Margin per converted caller", '
        '"sales": "Sales (leads)",\n'
        '          "callers": "Callers", "speed_bucket": "Wait for callback", '
        '"downstream_revenue": "Downstream revenue"}'
    )
    return notebook(
        "Lead funnel",
        "Which affiliates bring callers who end up buying. Each LeadFlow caller is followed "
        "into the Dialer results by phone number: were they dialed back, reached, sold? A "
        "caller counts once, however often they called.",
        """# Parameters: papermill overrides these; the defaults run on the built-in sample data.
source: str = "sample"  # LeadFlow calls: "sample", a LeadFlow export path, or "api"
dialer: str = ""  # Dialer results: "sample", a Dialer export path, or "api" (empty: as source)
start: str = ""  # first day of LeadFlow calls, ISO date, inclusive (empty: the default window)
end: str = ""  # last day of LeadFlow calls, ISO date, exclusive (empty: the default window)
timezone: str = "America/New_York"  # the report's time zone (Dialer times)
within_days: int = 30  # a first dial up to this many days after a call is its callback
success_dispositions: list = []  # dispositions counted as a conversion (empty: the default rule)
sale_value: str = ""  # dollars one downstream sale is worth, e.g. "300" (empty: counts only)
region: str = "US"  # country of phone numbers written without a country code
by: str = "affiliate"  # group by affiliate, offer, state, day, week, month or a LeadFlow column
""",
        [
            code(
                """from datetime import timedelta

from callanalytics.display import fmt_duration, fmt_money, fmt_rate, window_text
from callanalytics.report import dialer_window_end, sale_value_from_text

params = dict(start=start, end=end, timezone=timezone,
              success_dispositions=success_dispositions)
leadflow = ca.load_window("leadflow", source, start, end)
traffic = leadflow.frame
dialer_source = dialer or source
dialer_end = dialer_window_end(leadflow.end, within_days, dialer_source)
calls = ca.load_dialer_results(dialer_source, leadflow.start, dialer_end, timezone=timezone)
success = success_dispositions or None
sale = sale_value_from_text(sale_value)
within = timedelta(days=within_days)
options = dict(within=within, success=success, region=region)
where = {"sample": "the built-in sample data", "api": "downloaded from the API"}
def where_from(name):
    return where.get(name) or "the file " + name.replace("\\\\", "/").split("/")[-1]


header = [
    report_header(params),
    f"- LeadFlow calls: {where_from(source)}.",
    f"- Dialer results: {where_from(dialer_source)}, "
    f"read for {window_text(leadflow.start, dialer_end)}: the window and {within_days} days "
    "after it, so callers dialed back after the window ends count as dialed back, not as "
    "never dialed.",
    f"- A first dial up to {within_days} days after a call counts as its callback. Numbers "
    f"without a country code are read as {region} numbers.",
    f"- Grouped by {by}.",
    f"- Each downstream sale is worth {fmt_money(sale)}." if sale is not None
    else "- No sale value given: counts only.",
]
display(Markdown("\\n".join(header)))
"""
                + labels
                + """
has_data = not traffic.is_empty()
if not has_data:
    display(Markdown(no_data(leadflow.start, leadflow.end, "LeadFlow calls")))"""
            ),
            section(
                "## Headline",
                """summary = metrics.lead_funnel_summary(traffic, calls, sale_value=sale, **options)
row = summary.row(0, named=True)
if not row["callers"]:
    story = (f"None of the {row['calls']:,} calls had a usable caller number, so no caller "
             "could be followed into the Dialer results.")
else:
    share = row["dial_rate"]
    story = (f"{'Only ' if share < 0.5 else ''}{fmt_rate(share)} of callers were dialed back: "
             f"{row['dialed']:,} of {row['callers']:,} callers had a first dial within "
             f"{within_days} days after their call.")
    if row["dialed"]:
        story += (f" Of those, {fmt_rate(row['contacted'] / row['dialed'])} were reached and "
                  f"{fmt_rate(row['converted'] / row['dialed'])} converted "
                  f"({row['converted']:,} callers, {fmt_rate(row['conversion_rate'])} of all "
                  f"callers); the median callback came {fmt_duration(row['median_callback'])} "
                  "after the call.")
    if row["margin_per_converted"] is not None:
        story += (f" LeadFlow margin: {fmt_money(row['margin'])}, "
                  f"{fmt_money(row['margin_per_converted'])} per converted caller.")
display(Markdown(story))
headline = summary.with_columns(
    contact_rate=pl.when(pl.col("callers") > 0).then(pl.col("contacted") / pl.col("callers"))
)
display(table(headline.select("calls", "callers", "dialed", "dial_rate", "contact_rate",
                              "conversion_rate", "median_callback"),
              rates=("dial_rate", "contact_rate", "conversion_rate"), labels=labels))
money = ["margin", "margin_per_converted", "revenue", "payout", "converted", "sales"]
if sale is not None:
    money[2:2] = ["downstream_revenue", "total_margin"]
display(table(summary.select(money), labels=labels))""",
            ),
            section(
                "## Calls not dialed back",
                """display(charts.unmatched_reasons_bars(summary))""",
                "Why a call matched no dialer lead: **never dialed**, no lead has the "
                "caller's number; **dialed only before the call**, the number was first dialed "
                "at or before the call (already on a list) and never after; **dialed too "
                "late**, first dialed more than `within_days` after the call; **no usable "
                "number**, the caller ID is missing, masked or not a valid number. Both sides "
                "are read as E.164, so a number written with or without spaces, dashes, brackets or "
                "a leading +1 is one caller; "
                "a lead matches by its phone and by its alternate number. Counts are calls.",
            ),
            section(
                "## The funnel",
                """funnel = metrics.lead_funnel(traffic, calls, by=by, sale_value=sale, **options)
keys = funnel.columns[: funnel.columns.index("calls")]
display(charts.funnel_bars(funnel, keys))""",
                "From **calls** to distinct **callers**, then callers whose number was "
                "**dialed back**, **contacted** (a dial answered) and **converted** (an agent "
                "disposition counted as a conversion, as below).",
            ),
            section(
                "## What a converted caller is worth",
                """display(charts.margin_per_converted_bars(funnel, keys))
if sale is None:
    display(Markdown("Counts only; give `sale_value` for downstream revenue: what each sale "
                     "made by the Dialer floor is worth, added to the LeadFlow margin."))
else:
    display(table(funnel.select(*keys, "total_margin", "downstream_revenue", "margin",
                                "sales"), labels=labels))
    display(Markdown(f"Downstream revenue is {fmt_money(sale)} per sale (one converted "
                     "lead); total margin is the LeadFlow margin plus downstream revenue."))""",
                "Margin is the affiliate report's: offer price of offer-qualified calls minus "
                "the payout of affiliate-qualified calls, divided by the group's converted "
                "callers.",
            ),
            section(
                "## Callback speed against conversion",
                """outcomes = metrics.callback_outcomes(traffic, calls, **options)
display(charts.callback_speed_bars(outcomes))
display(table(outcomes, rates=("contact_rate", "conversion_rate"), labels=labels))""",
                "The wait is from the LeadFlow call to the first dial back, in the "
                "speed-to-lead buckets; each bucket includes its upper bound.",
            ),
            by_group(
                "## By group",
                """display(table(funnel.select(*keys, "calls", "callers", "dial_rate", "contacted",
                          "converted", "conversion_rate", "median_callback"),
              rates=("dial_rate", "conversion_rate"), labels=labels))
display(table(funnel.select(*keys, "margin", "margin_per_converted", "revenue", "payout",
                          "qualified", "invalid_numbers"), labels=labels))""",
                "Rates are shares of the group's callers. A caller who came through two "
                "groups counts in both.",
            ),
            section(
                "## What counted as a conversion",
                """split = metrics.disposition_split(calls, success=success)
display(Markdown(narrative.conversion_story(split)))
display(Markdown(f"The rule: {metrics.describe_success(success)} "
                 "Set `success_dispositions` to change it."))""",
            ),
        ],
    )


def by_group(heading: str, body: str, note: str = ""):
    """A section whose heading names the report's grouping: "## By affiliate"."""
    cell = section(heading, body, note)
    cell.source = cell.source.replace(f"Markdown({heading!r})", 'Markdown(f"## By {by}")', 1)
    return cell


FUNNEL = lead_funnel_notebook()

if __name__ == "__main__":
    ROOT.mkdir(exist_ok=True)
    for name, nb in [
        ("speed_to_lead", SPEED),
        ("agent_performance", AGENTS),
        ("affiliate_margin", MARGIN),
        ("lead_funnel", FUNNEL),
    ]:
        nbformat.validate(nb)
        nbformat.write(nb, ROOT / f"{name}.ipynb")
        print("wrote", ROOT / f"{name}.ipynb")
