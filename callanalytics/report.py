"""Run a report notebook with papermill and export it as a self-contained HTML report.

Example:
    >>> from callanalytics.report import REPORTS
    >>> sorted(REPORTS)
    ['affiliate-margin', 'agent-performance', 'speed-to-lead']
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from callanalytics.errors import CallAnalyticsError
from callanalytics.load import default_range, parse_date
from callanalytics.sources.progress import QUIET_VARIABLE

__all__ = ["REPORTS", "RenderedReport", "ReportError", "notebook_path", "render_report"]

#: Report name -> notebook file.
REPORTS = {
    "speed-to-lead": "speed_to_lead.ipynb",
    "agent-performance": "agent_performance.ipynb",
    "affiliate-margin": "affiliate_margin.ipynb",
}
KERNEL = "python3"
TIMEOUT_SECONDS = 600
# nbconvert's template loads require.js and MathJax from a CDN. Reports need neither, must
# work offline, and MathJax would typeset the text between two dollar amounts as maths.
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*")
_SECRET = re.compile(r"token|secret|password|passwd|key|credential|auth", re.IGNORECASE)


class ReportError(CallAnalyticsError):
    """A report could not be rendered; the message says why and where to look."""


@dataclass(frozen=True)
class RenderedReport:
    name: str
    notebook: Path
    html: Path


def notebook_path(name: str) -> Path:
    """The notebook behind a report, in the installed package or the source checkout."""
    if name not in REPORTS:
        raise ReportError(f"unknown report {name!r}; choose one of {', '.join(REPORTS)} (or 'all')")
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "notebooks", here / "_notebooks"):
        candidate = folder / REPORTS[name]
        if candidate.is_file():
            return candidate
    raise ReportError(f"notebook {REPORTS[name]} is not installed with callanalytics")


def _check_parameters(parameters: Mapping[str, Any]) -> None:
    secret = sorted(k for k in parameters if _SECRET.search(k))
    if secret:
        raise ReportError(
            f"refusing parameter(s) {', '.join(secret)}: papermill records parameters in the "
            "output notebook, so credentials must reach reports through environment "
            "variables or a .env file"
        )


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

    Example:
        >>> render_report("no-such-report")
        Traceback (most recent call last):
        ...
        callanalytics.report.ReportError: unknown report 'no-such-report'; choose one of ...
    """
    import papermill as pm

    notebook = notebook_path(name)
    extra = dict(parameters or {})
    _check_parameters(extra)
    known = set(pm.inspect_notebook(str(notebook)))
    unknown = sorted(set(extra) - known)
    if unknown:
        raise ReportError(
            f"report {name!r} has no parameter(s) {', '.join(unknown)}; "
            f"its parameters are {', '.join(sorted(known))}"
        )
    first, last = default_range(source, parse_date(start, "start"), parse_date(end, "end"))
    if source not in ("sample", "api"):
        source = str(Path(source).expanduser().resolve())
    out = Path(output_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{name}_{first.isoformat()}_{last.isoformat()}"
    executed = out / f"{stem}.ipynb"
    html = out / f"{stem}.html"
    values = {"source": source, "start": first.isoformat(), "end": last.isoformat(), **extra}
    previous = os.environ.get(QUIET_VARIABLE)
    os.environ[QUIET_VARIABLE] = "0"  # no progress bars inside scheduled notebooks
    try:
        pm.execute_notebook(
            str(notebook),
            str(executed),
            parameters=values,
            kernel_name=KERNEL,
            kernel_manager_class=_this_python_kernel(),
            execution_timeout=TIMEOUT_SECONDS,
            cwd=str(out),
            progress_bar=False,
            report_mode=False,
        )
    except pm.PapermillExecutionError as error:
        raise ReportError(
            f"report {name!r} failed in cell {error.exec_count} "
            f"({error.ename}: {error.evalue}); the executed notebook with the failing cell "
            f"is at {executed}"
        ) from None
    finally:
        if previous is None:
            os.environ.pop(QUIET_VARIABLE, None)
        else:
            os.environ[QUIET_VARIABLE] = previous
    _export_html(executed, html)
    return RenderedReport(name, executed, html)


def _this_python_kernel() -> type:
    """A kernel manager that always starts this interpreter's ipykernel, so reports run
    with the installed package whatever kernelspecs the user's Jupyter has registered."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    class ThisPythonKernelManager(KernelManager):
        @property
        def kernel_spec(self) -> KernelSpec:
            return KernelSpec(resource_dir="", **get_kernel_dict())

    return ThisPythonKernelManager


def _export_html(executed: Path, html: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.template_name = "lab"
    body, _ = exporter.from_notebook_node(notebook)
    html.write_text(_EXTERNAL_SCRIPT.sub("", body), encoding="utf-8")
