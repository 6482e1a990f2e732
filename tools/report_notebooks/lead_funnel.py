"""The lead-funnel notebook (issue 12): LeadFlow callers followed into the Dialer results."""

from __future__ import annotations

import nbformat

from .cells import code, notebook, section


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


NOTEBOOK = lead_funnel_notebook()
