"""The affiliate-margin notebook."""

from __future__ import annotations

from .cells import code, header_params, notebook, section

AFFILIATE_PARAMETERS = """# Parameters: papermill overrides these; the defaults run on the built-in sample data.
source: str = "sample"  # "sample", a LeadFlow export (JSON, CSV or Parquet) path, or "api"
start: str = ""  # first day, ISO date, inclusive (empty: the source's default window)
end: str = ""  # last day, ISO date, exclusive (empty: the source's default window)
affiliates: list = []  # affiliates to keep (empty: all affiliates)
"""

NOTEBOOK = notebook(
    "Affiliate margin",
    "Pay-per-call economics from LeadFlow: revenue is the offer price of offer-qualified "
    "calls, payout the affiliate price of affiliate-qualified calls, margin the difference.",
    AFFILIATE_PARAMETERS,
    [
        code(
            """from callanalytics.schema import LEADFLOW_HISTORY

"""
            + header_params(AFFILIATE_PARAMETERS)
            + """
display(Markdown(report_header(params, timezone=LEADFLOW_HISTORY.default_timezone)))
traffic = ca.load_leadflow_history(source, start, end, affiliates=affiliates)
has_data = not traffic.is_empty()
if not has_data:
    display(Markdown(no_data(start, end, "calls")))"""
        ),
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
