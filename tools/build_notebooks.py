"""Write the report notebooks (committed without outputs).

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
from callanalytics.display import no_data, plural, report_header, setup_notebook, table

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


#: The parameters every Dialer report opens with: source, window, time zone, campaigns.
DIALER_WINDOW = (
    "# Parameters: papermill overrides these; the defaults run on the built-in sample data.\n"
    + """source: str = "sample"  # "sample", a Dialer export (CSV or Parquet) path, or "api"
start: str = ""  # first day, ISO date, inclusive (empty: the source's default window)
end: str = ""  # last day, ISO date, exclusive (empty: the source's default window)
timezone: str = "America/New_York"  # the report's time zone
campaigns: list = []  # campaign ids or names to keep (empty: all campaigns)
"""
)

DIALER_PARAMETERS = DIALER_WINDOW + (
    """success_dispositions: list = []  # dispositions counted as a conversion (empty: the default rule)
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
display(Markdown(f"{plural(issues.height, 'call')} out of {traffic.height:,} "
                 f"{plural(issues.height, 'reports', 'report', count=False)} a margin that "
                 "does not equal revenue minus payout."))
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

# --- Compliance and data quality (issue 13) -------------------------------------------------

COMPLIANCE_PARAMETERS = DIALER_WINDOW + (
    """rules: str = ""  # a rules table (TOML or CSV) path (empty: the built-in US table)
abandon_limit: float = 0.03  # the abandonment safe harbour: at most 3% of live answers
abandon_margin: float = 0.005  # periods this close under the limit are warnings
dnc_dispositions: list = []  # do-not-call dispositions (empty: Do Not Call or DNC, whole words)
"""
)


def compliance_notebook() -> nbformat.NotebookNode:
    """The compliance report: which calling rules the window broke, where and how often."""
    return notebook(
        "Compliance",
        "Did the floor break a calling rule in this window? Calling hours at the lead, "
        "abandonment per campaign, dials per number, and redials after a do-not-call "
        "request, checked against a rules table with its citations. Decision support, not "
        "legal advice.",
        COMPLIANCE_PARAMETERS,
        [
            code(
                """from callanalytics.display import fmt_rate
from callanalytics.metrics import compliance

params = dict(source=source, start=start, end=end, timezone=timezone, campaigns=campaigns,
              rules=rules, abandon_limit=abandon_limit, abandon_margin=abandon_margin,
              dnc_dispositions=dnc_dispositions)
display(Markdown(report_header(params)))
calls = ca.load_dialer_results(source, start, end, timezone=timezone, campaigns=campaigns)
options = dict(rules=rules or None, abandon_limit=abandon_limit, abandon_margin=abandon_margin,
               dnc_dispositions=dnc_dispositions or None)
has_data = not calls.is_empty()
if not has_data:
    display(Markdown(no_data(start, end, "calls")))"""
            ),
            section(
                "## Headline",
                """checks = compliance.compliance_checks(calls, **options)
summary, findings = checks.summary, checks.findings
failed = summary.filter(pl.col("status") == "fail")
rule_names = {"calling_hours": "Calling hours", "abandonment": "Abandonment",
              "frequency_24h": "Dials per 24 hours", "frequency_30d": "Dials per 30 days",
              "do_not_call": "Do-not-call follow-through"}
if failed.is_empty():
    display(Markdown(f"**Every rule passed** on {calls.height:,} dials."))
else:
    names = ", ".join(rule_names.get(r, r) for r in failed["rule"])
    display(Markdown(f"**{failed.height} of {summary.height} rules failed** on "
                     f"{calls.height:,} dials: {names}."))
shown = summary.with_columns(
    pl.col("rule").replace_strict(rule_names, default=pl.col("rule")),
    pl.col("status").replace_strict({"pass": "Pass", "fail": "Fail"}, default=pl.col("status")),
)
display(table(shown.select("rule", "status", "violations", "warnings", "unchecked", "checked",
                           "unit"),
              labels={"rule": "Rule", "status": "Result", "violations": "Violations",
                      "warnings": "Near the limit", "unchecked": "Not checkable",
                      "checked": "Checked", "unit": "Counted in"}))
display(table(shown.select("rule", "description", "citation"),
              labels={"rule": "Rule", "description": "What is checked",
                      "citation": "Citation"}))""",
            ),
            section(
                "## Findings",
                """listed = findings.with_columns(
    pl.col("rule").replace_strict(rule_names, default=pl.col("rule")),
    examples=pl.col("examples").list.head(3).list.join("; "),
)
display(table(listed.select("rule", "campaign", "detail", "count", "first", "last"),
              labels={"rule": "Rule", "campaign": "Campaign", "detail": "Finding",
                      "count": "Count", "first": "First", "last": "Last"},
              empty="No findings: every checked dial followed every rule."))
display(table(listed.select("rule", "campaign", "examples"),
              labels={"rule": "Rule", "campaign": "Campaign", "examples": "Examples"},
              empty="No examples to show."))""",
                "Numbers are masked to their last four digits; times are in the report's time "
                "zone, examples also at the lead. Up to three examples per finding.",
            ),
            section(
                "## Abandonment by campaign",
                """rates = compliance.abandonment_rates(calls, limit=abandon_limit, margin=abandon_margin)
display(charts.abandonment_lines(rates, limit=abandon_limit))
worst = (rates.sort("rate", descending=True, nulls_last=True)
         .group_by("campaign", maintain_order=True).first().sort("campaign"))
display(table(worst.select("campaign", "period_end", "answered", "abandoned", "rate", "status"),
              rates=("rate",),
              labels={"period_end": "Worst 30 days to", "answered": "Live answers",
                      "abandoned": "Abandoned", "rate": "Abandoned share", "status": "Result"}))""",
                "Abandoned share = ABANDON / (ANSWER + ABANDON) from the dialer's pass "
                "disposition, per campaign, over every rolling 30-day period ending in the "
                "window (periods that start before the window hold only the window's dials).",
            ),
            section(
                "## Calling hours at the lead",
                """local = compliance.with_lead_local_time(calls)
display(charts.local_hour_bars(local))
hours = compliance.calling_hours(calls, rules=options["rules"])
outside = hours.filter(pl.col("status") != "ok").sort("call_start")
display(table(outside.select("campaign", "number", "local_start", "lead_zone", "allowed",
                             "rule_from", "status").head(20),
              labels={"number": "Number", "local_start": "Local time at the lead",
                      "lead_zone": "Lead time zone", "allowed": "Allowed",
                      "rule_from": "Rule", "status": "Result"},
              empty="Every dial was inside the allowed hours at the lead."))""",
                "The lead's zone comes from lead_timezone, else lead_state, then state, then "
                "the ZIP's state. At most 20 dials are listed.",
            ),
            section(
                "## Repeated dials and do-not-call requests",
                """frequency = compliance.call_frequency(calls, rules=options["rules"])
display(table(frequency.select("campaign", "number", "call_start", "window", "calls_in_window",
                               "limit", "jurisdiction").head(20),
              labels={"number": "Number", "call_start": "Dial", "window": "Window",
                      "calls_in_window": "Dials in window", "limit": "Limit",
                      "jurisdiction": "Rule"},
              empty="No number was dialled more often than its limit."))
redials = compliance.dnc_redials(calls, dispositions=options["dnc_dispositions"])
display(table(redials.select("campaign", "number", "requested_at", "call_start", "after").head(20),
              labels={"number": "Number", "requested_at": "Do-not-call request",
                      "call_start": "Dialled again", "after": "After"},
              empty="No number was dialled again after a do-not-call request."))""",
                "At most 20 rows of each are listed.",
            ),
            section(
                "## The rules in use",
                """table_in_use = compliance.calling_rules(options["rules"])
def hours_text(a, b):
    return pl.concat_str(pl.col(a).dt.strftime("%H:%M"), pl.lit("–"), pl.col(b).dt.strftime("%H:%M"))
display(table(table_in_use.select(
    "code", hours=hours_text("start", "end"),
    sunday=pl.when(pl.col("sunday_start").is_not_null()).then(hours_text("sunday_start", "sunday_end")),
    max_24h="max_calls_24h", max_30d="max_calls_30d", citation="citation"),
    labels={"code": "Where", "hours": "Hours", "sunday": "Sunday", "max_24h": "Dials per 24 h",
            "max_30d": "Dials per 30 days", "citation": "Citation"}))
display(Markdown("Rules table: " + (f"`{rules}`" if rules else "the built-in US table") +
                 f". Abandonment: at most {fmt_rate(abandon_limit)} of live answers "
                 "(47 CFR 64.1200(a)(7)); do-not-call requests: 47 CFR 64.1200(d)(3)."))""",
                "A dial is held to the federal row and to its lead's state row at once: the "
                "later start, the earlier end and the smaller limits apply.",
            ),
            code(
                """from callanalytics.metrics import compliance as _compliance

display(Markdown("## What this report cannot check\\n\\n" + "\\n".join(
    f"- **{what}**: {why}." for what, why in _compliance.COMPLIANCE_NOT_CHECKED
) + "\\n\\n" + _compliance.COMPLIANCE_DISCLAIMER))"""
            ),
        ],
    )


QUALITY_PARAMETERS = DIALER_WINDOW + (
    """baseline_days: int = 30  # null shares are compared with this many days before the window
null_jump: float = 0.25  # a column whose null share rises by more than this is flagged
"""
)

QUALITY_SECTION = """found = {name}.filter(pl.col("status") == "found")
display(Markdown(f"{{found.height}} of {{{name}.height}} checks found rows to look at."))
display(table({name}.select("check", "rows", "share", "status", "description"),
              rates=("share",),
              labels={{"check": "Check", "rows": "Rows", "share": "Share", "status": "Result",
                       "description": "What it looks for"}}))
display(table(found.select("check", examples=pl.col("examples").list.head(3).list.join("; ")),
              labels={{"check": "Check", "examples": "Examples"}},
              empty="Nothing found."))"""


def quality_notebook() -> nbformat.NotebookNode:
    """The data-quality report: can the window's Dialer and LeadFlow numbers be trusted?"""
    return notebook(
        "Data quality",
        "Can this window's numbers be trusted? Each check looks for rows that break what the "
        "Dialer and LeadFlow exports promise: duplicates, impossible durations and times, "
        "values the readers could not read, and columns that suddenly went empty.",
        QUALITY_PARAMETERS,
        [
            code(
                """from callanalytics.load import load_window
from callanalytics.report import quality_inputs

params = dict(source=source, start=start, end=end, timezone=timezone, campaigns=campaigns,
              baseline_days=baseline_days, null_jump=null_jump)
display(Markdown(report_header(params)))
loaded = load_window("dialer", source, start, end, timezone=timezone, campaigns=campaigns)
calls, first, after = loaded.frame, loaded.start, loaded.end
both = source in ("sample", "api")  # a file is one export: Dialer only
traffic = load_window("leadflow", source, first, after).frame if both else None
has_data = not calls.is_empty() or (traffic is not None and not traffic.is_empty())
if not has_data:
    display(Markdown(no_data(start, end, "calls")))"""
            ),
            section(
                "## Headline",
                """dialer_in = quality_inputs("dialer", source, first, timezone=timezone,
                           baseline_days=baseline_days)
dialer = ca.quality.dialer_quality(calls, start=first, end=after, baseline=dialer_in.baseline,
                                   read_report=dialer_in.read_report, null_jump=null_jump)
tables = {"Dialer": dialer}
if both:
    leadflow_in = quality_inputs("leadflow", source, first, baseline_days=baseline_days)
    leadflow = ca.quality.leadflow_quality(
        traffic, start=first, end=after, baseline=leadflow_in.baseline,
        read_report=leadflow_in.read_report, null_jump=null_jump)
    tables["LeadFlow"] = leadflow
headline = pl.DataFrame([
    {"source": where, "checks": t.height,
     "found": t.filter(pl.col("status") == "found").height,
     "rows": int(t.filter(pl.col("status") == "found")["rows"].sum() or 0),
     "not_checked": t.filter(pl.col("status") == "not checked").height}
    for where, t in tables.items()
])
display(table(headline, labels={"source": "Source", "checks": "Checks",
                                "found": "Checks with findings", "rows": "Rows affected",
                                "not_checked": "Not checked"}))
if not both:
    display(Markdown("LeadFlow is not checked: a file source is one export (the Dialer "
                     "here); run with --source sample or --source api to check both."))""",
            ),
            section(
                "## Dialer checks",
                QUALITY_SECTION.format(name="dialer")
                + """
display(Markdown(dialer_in.read_note))""",
                "Examples name calls by callID, never by phone number or name.",
            ),
            section(
                "## LeadFlow checks",
                """if both:
"""
                + "\n".join(
                    "    " + line for line in QUALITY_SECTION.format(name="leadflow").splitlines()
                )
                + """
    display(Markdown(leadflow_in.read_note))
else:
    display(Markdown("Not checked for a file source."))""",
                "Examples name calls by sid. A sid twice in a saved file is a finding: the "
                "API client drops repeated sids within one download, a file keeps them.",
            ),
            section(
                "## Columns that went empty",
                """display(Markdown(dialer_in.baseline_note))
for where, frame, inputs in [("Dialer", calls, dialer_in)] + (
        [("LeadFlow", traffic, leadflow_in)] if both else []):
    if inputs.baseline is None:
        continue
    shares = ca.quality.null_shares(frame, inputs.baseline)
    moved = shares.filter(pl.col("change").abs() >= 0.05).sort("change", descending=True)
    display(Markdown(f"{where}: {plural(moved.height, 'column')} whose share of empty "
                     "values moved by 5 points or more against the baseline."))
    display(table(moved.select("column", "share", "baseline_share", "change").head(15),
                  rates=("share", "baseline_share", "change"),
                  labels={"column": "Column", "share": "Empty now",
                          "baseline_share": "Empty before", "change": "Change"},
                  empty="No column changed its share of empty values by 5 points or more."))""",
                "A column that suddenly goes empty is usually a change upstream (a renamed or "
                "dropped field); columns over the null_jump parameter are checks above.",
            ),
        ],
    )


COMPLIANCE = compliance_notebook()
QUALITY = quality_notebook()


#: Every notebook this script writes: file stem -> notebook. A test holds the committed
#: notebooks equal to these, so the builder stays their one source of truth.
NOTEBOOKS = {
    "speed_to_lead": SPEED,
    "agent_performance": AGENTS,
    "affiliate_margin": MARGIN,
    "lead_funnel": FUNNEL,
    "compliance": COMPLIANCE,
    "data_quality": QUALITY,
}


if __name__ == "__main__":
    ROOT.mkdir(exist_ok=True)
    for name, nb in NOTEBOOKS.items():
        nbformat.validate(nb)
        nbformat.write(nb, ROOT / f"{name}.ipynb")
        print("wrote", ROOT / f"{name}.ipynb")
