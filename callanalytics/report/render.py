"""Run a prepared report with papermill and export it as one offline HTML page."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from callanalytics.progress import QUIET_VARIABLE
from callanalytics.report.kernel import this_python_kernel
from callanalytics.report.prepare import PreparedReport, prepare_report
from callanalytics.report.registry import ReportError

KERNEL = "python3"
TIMEOUT_SECONDS = 600
# nbconvert's template loads require.js and MathJax from a CDN. Reports need neither, must
# work offline, and MathJax would typeset the text between two dollar amounts as maths.
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*")


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: the executed notebook, its HTML, its rows and window."""

    name: str
    notebook: Path
    html: Path
    rows: int = 0
    window: str = ""


def render_report(
    name: str,
    *,
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    output_dir: str | Path = "reports",
    parameters: Mapping[str, Any] | None = None,
) -> RenderedReport:
    """Execute report ``name`` and write ``<output_dir>/<name>_<start>_<end>.ipynb/.html``.
    A window with no rows still renders (the report says "No data for <window>");
    ``RenderedReport.rows`` is then 0.

    Example:
        >>> render_report("no-such-report")
        Traceback (most recent call last):
        ...
        callanalytics.report.ReportError: unknown report 'no-such-report'; choose one of ...
    """
    prepared = prepare_report(name, source=source, start=start, end=end, parameters=parameters)
    return render_prepared(prepared, output_dir)


def render_prepared(prepared: PreparedReport, output_dir: str | Path = "reports") -> RenderedReport:
    """Execute a prepared report with papermill and export its HTML; the notebook gets the
    prepared source and the settled start/end.

    Example:
        >>> prepared = prepare_report("affiliate-margin")
        >>> render_prepared(prepared, "reports").html.name  # doctest: +SKIP
        'affiliate-margin_2024-10-28_2024-11-11.html'
    """
    import papermill as pm

    out = Path(output_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    stem = prepared.stem
    executed = out / f"{stem}.ipynb"
    html = out / f"{stem}.html"
    previous = os.environ.get(QUIET_VARIABLE)
    os.environ[QUIET_VARIABLE] = "0"  # no progress bars inside scheduled notebooks
    try:
        pm.execute_notebook(
            str(prepared.notebook),
            str(executed),
            parameters=prepared.values,
            kernel_name=KERNEL,
            kernel_manager_class=this_python_kernel(),
            execution_timeout=TIMEOUT_SECONDS,
            cwd=str(out),
            progress_bar=False,
            report_mode=False,
        )
    except pm.PapermillExecutionError as error:
        raise ReportError(
            f"report {prepared.name!r} failed in cell {error.exec_count} "
            f"({error.ename}: {error.evalue}); the executed notebook with the failing cell "
            f"is at {executed}"
        ) from None
    finally:
        if previous is None:
            os.environ.pop(QUIET_VARIABLE, None)
        else:
            os.environ[QUIET_VARIABLE] = previous
    export_html(executed, html, window=prepared.window)
    return RenderedReport(prepared.name, executed, html, prepared.rows, prepared.window)


def export_html(executed: Path, html: Path, *, window: str = "") -> None:
    """The executed notebook as one offline HTML page, its ``<title>`` carrying the window
    ("Speed to lead, 1–7 November 2024": what an inbox or a browser tab shows)."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    if window:
        notebook.metadata["title"] = f"{notebook.metadata.get('title', '')}, {window}"
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.template_name = "lab"
    body, _ = exporter.from_notebook_node(notebook)
    html.write_text(_EXTERNAL_SCRIPT.sub("", body), encoding="utf-8")
