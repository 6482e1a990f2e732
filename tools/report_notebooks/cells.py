"""What every report notebook is made of: the title and parameters cells, the setup cell,
code cells and report sections, and the Dialer parameters and cells several reports share."""

from __future__ import annotations

import ast
import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

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


def header_params(parameters: str, *, leave_out: tuple[str, ...] = ()) -> str:
    """The ``params = dict(...)`` line the report header reads, built from the parameters
    cell itself, so each parameter is named once: the header shows the values papermill
    injected, since the line runs after the injected cell.

    Example:
        >>> header_params('source: str = "sample"\\nstart: str = ""\\n')
        'params = dict(source=source, start=start)'
    """
    names = [
        node.target.id
        for node in ast.parse(parameters).body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]
    items = ", ".join(f"{name}={name}" for name in names if name not in leave_out)
    return textwrap.fill(
        f"params = dict({items})", width=96, subsequent_indent=" " * 14, break_long_words=False
    )


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
