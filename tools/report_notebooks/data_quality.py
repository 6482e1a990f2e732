"""The data-quality notebook (issue 13)."""

from __future__ import annotations

import nbformat

from .cells import DIALER_WINDOW, code, header_params, notebook, section

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

"""
                + header_params(QUALITY_PARAMETERS)
                + """
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


NOTEBOOK = quality_notebook()
