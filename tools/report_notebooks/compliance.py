"""The compliance notebook (issue 13)."""

from __future__ import annotations

import nbformat

from .cells import DIALER_WINDOW, code, header_params, notebook, section

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

"""
                + header_params(COMPLIANCE_PARAMETERS)
                + """
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


NOTEBOOK = compliance_notebook()
