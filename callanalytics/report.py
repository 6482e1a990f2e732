"""Run a report notebook with papermill and export it as a self-contained HTML report.

The runner checks everything it can before a kernel starts: the report name, every ``-p``
parameter's name and type, the time zone, the filters and the data itself, which it loads
once to settle the window (a file's own date range when no dates are given) and count rows.

Example:
    >>> from callanalytics.report import REPORTS
    >>> sorted(REPORTS)  # doctest: +NORMALIZE_WHITESPACE
    ['affiliate-margin', 'agent-performance', 'compliance', 'data-quality', 'lead-funnel',
     'speed-to-lead']
"""

from __future__ import annotations

import ast
import hashlib
import logging
import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from callanalytics.dates import parse_date
from callanalytics.errors import CallAnalyticsError
from callanalytics.load import LoadedWindow, check_dispositions, load_window, window_label
from callanalytics.progress import QUIET_VARIABLE

__all__ = [
    "REPORTS",
    "RESERVED_PARAMETERS",
    "SECOND_DATA",
    "PreparedReport",
    "RenderedReport",
    "ReportError",
    "dialer_window_end",
    "is_secret_name",
    "notebook_parameters",
    "notebook_path",
    "parameter_from_text",
    "prepare_report",
    "render_prepared",
    "render_report",
    "sale_value_from_text",
]

#: Report name -> notebook file.
REPORTS = {
    "speed-to-lead": "speed_to_lead.ipynb",
    "agent-performance": "agent_performance.ipynb",
    "affiliate-margin": "affiliate_margin.ipynb",
    "lead-funnel": "lead_funnel.ipynb",
    "compliance": "compliance.ipynb",
    "data-quality": "data_quality.ipynb",
}
#: Report name -> the data it reads ("dialer": Engage Voice, "leadflow": DialogTech).
DATA: dict[str, Literal["dialer", "leadflow"]] = {
    "speed-to-lead": "dialer",
    "agent-performance": "dialer",
    "affiliate-margin": "leadflow",
    "lead-funnel": "leadflow",
    "compliance": "dialer",
    "data-quality": "dialer",  # and LeadFlow from the same sample or API
}
#: Reports that read a second kind of data besides their ``DATA`` (whose window they
#: report): the lead funnel follows LeadFlow callers into the Dialer results.
SECOND_DATA: dict[str, Literal["dialer", "leadflow"]] = {"lead-funnel": "dialer"}
#: Notebook parameters the runner sets itself from its own options; ``-p`` may not.
RESERVED_PARAMETERS = {
    "source": "--source (or --dialer/--leadflow)",
    "start": "--start",
    "end": "--end",
    "dialer": "--dialer",
    "leadflow": "--leadflow",
}
KERNEL = "python3"
TIMEOUT_SECONDS = 600
# nbconvert's template loads require.js and MathJax from a CDN. Reports need neither, must
# work offline, and MathJax would typeset the text between two dollar amounts as maths.
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*")
_SECRET = re.compile(r"token|secret|password|passwd|key|credential|auth|jwt", re.IGNORECASE)
_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "dict": dict,
}


class ReportError(CallAnalyticsError):
    """A report could not be rendered; the message says why and where to look."""


@dataclass(frozen=True)
class RenderedReport:
    name: str
    notebook: Path
    html: Path
    rows: int = 0
    window: str = ""


@dataclass(frozen=True)
class PreparedReport:
    """A report checked and ready to run: its data loaded once, its window settled."""

    name: str
    notebook: Path
    source: str
    start: date
    end: date
    rows: int
    parameters: dict[str, Any] = field(default_factory=dict)
    #: Lines the CLI prints under "N rows loaded", e.g. what a second source loaded.
    notes: tuple[str, ...] = ()
    #: The parameters given that differ from the notebook's defaults, as a file-name part
    #: ("campaigns-10452"), so reports of one window with other parameters do not overwrite
    #: each other; empty for the defaults.
    variant: str = ""

    @property
    def stem(self) -> str:
        """The output files' name: ``<report>_<start>_<end>[_<variant>]``."""
        stem = f"{self.name}_{self.start.isoformat()}_{self.end.isoformat()}"
        return f"{stem}_{self.variant}" if self.variant else stem

    @property
    def window(self) -> str:
        """The window as a reader reads it, e.g. ``1–7 November 2024``."""
        return window_label(self.start, self.end)

    @property
    def values(self) -> dict[str, Any]:
        """Everything papermill passes to the notebook's parameters cell."""
        return {
            "source": self.source,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            **self.parameters,
        }


#: The longest variant part of a file name; longer ones become a short hash.
_VARIANT_CHARACTERS = 40


def _variant(given: Mapping[str, Any], defaults: Mapping[str, Any]) -> str:
    """The given parameters that differ from their defaults, as a file-name part.

    Example:
        >>> _variant({"campaigns": [10452], "min_calls": 20}, {"min_calls": 20, "campaigns": []})
        'campaigns-10452'
    """
    changed = {k: v for k, v in sorted(given.items()) if v != defaults.get(k)}
    if not changed:
        return ""

    def text(value: Any) -> str:
        values = value if isinstance(value, list | tuple) else [value]
        return "+".join(str(v) for v in values)

    part = "_".join(f"{key}-{text(value)}" for key, value in changed.items())
    part = re.sub(r"[^A-Za-z0-9.+-]+", "-", part).strip("-")
    if len(part) <= _VARIANT_CHARACTERS:
        return part
    digest = hashlib.sha256(repr(sorted(changed.items())).encode()).hexdigest()[:10]
    return f"{'-'.join(sorted(changed))[: _VARIANT_CHARACTERS - 11]}-{digest}"


def is_secret_name(key: str) -> bool:
    """Whether a parameter name looks like a credential (refused: papermill records values).

    Example:
        >>> is_secret_name("api_token"), is_secret_name("min_calls")
        (True, False)
    """
    from callanalytics.config import SETTINGS_TABLES

    lowered = key.lower()
    declared = any(
        lowered in (s.name.lower(), s.variable.lower())
        for table in SETTINGS_TABLES
        for s in table
        if s.secret
    )
    return declared or _SECRET.search(key) is not None


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


def notebook_parameters(name: str) -> dict[str, tuple[type | None, Any]]:
    """Each parameter of report ``name``: (the type of its default, the default).

    Example:
        >>> notebook_parameters("agent-performance")["min_calls"]
        (<class 'int'>, 20)
    """
    import papermill as pm

    found = {}
    for key, spec in pm.inspect_notebook(str(notebook_path(name))).items():
        try:
            default = ast.literal_eval(spec.get("default") or "None")
        except (ValueError, SyntaxError):
            default = None
        kind = _TYPES.get(spec.get("inferred_type_name") or "")
        if kind is None and default is not None:
            kind = _TYPES.get(type(default).__name__)
        found[key] = (kind, default)
    return found


def parameter_from_text(kind: type | None, text: str) -> Any:
    """A ``-p KEY=VALUE`` value read for a parameter of type ``kind``: text stays text for a
    ``str`` parameter; anything else is read as JSON (numbers, true/false, lists), and what
    is not JSON stays text, for the type check to refuse.

    Example:
        >>> parameter_from_text(int, "10"), parameter_from_text(str, "10452")
        (10, '10452')
        >>> parameter_from_text(list, '["10452"]')
        ['10452']
    """
    import json

    if kind is str:
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _type_name(kind: type) -> str:
    return {list: 'a list (JSON, e.g. ["a", "b"])', bool: "true or false"}.get(
        kind, f"{'an' if kind.__name__[0] in 'aeiou' else 'a'} {kind.__name__}"
    )


def _fits(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list | tuple)
    return isinstance(value, kind)


def _check_parameters(name: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse secrets, the runner's own names, unknown names and values of the wrong type."""
    secret = sorted(k for k in parameters if is_secret_name(k))
    if secret:
        raise ReportError(
            f"refusing parameter(s) {', '.join(secret)}: papermill records parameters in the "
            "output notebook, so credentials must reach reports through environment "
            "variables or a .env file"
        )
    reserved = [k for k in RESERVED_PARAMETERS if k in parameters]
    if reserved:
        use = ", ".join(f"{RESERVED_PARAMETERS[k]} instead of -p {k}=" for k in reserved)
        raise ReportError(
            f"refusing parameter(s) {', '.join(reserved)}: the runner sets the data and the "
            f"window itself and names the report after them; use {use}"
        )
    known = notebook_parameters(name)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise ReportError(
            f"report {name!r} has no parameter(s) {', '.join(unknown)}; "
            f"its parameters are {', '.join(sorted(known))}"
        )
    checked = {}
    for key, value in parameters.items():
        kind, default = known[key]
        if kind is not None and not _fits(value, kind):
            raise ReportError(
                f"parameter {key} of report {name!r} must be {_type_name(kind)} like its "
                f"default {default!r}, not {value!r}"
            )
        checked[key] = list(value) if kind is list else value
    return checked


def _loaded(
    name: str,
    source: str,
    start: date | str | None,
    end: date | str | None,
    values: Mapping[str, Any],
    memo: MutableMapping[tuple[str, ...], LoadedWindow] | None,
) -> LoadedWindow:
    """Load the report's data once (per distinct question, across ``report all``)."""
    kind = DATA[name]
    if kind == "dialer":
        options = {
            "timezone": values.get("timezone", "America/New_York"),
            "campaigns": tuple(values.get("campaigns") or ()),
        }
    else:
        options = {"affiliates": tuple(values.get("affiliates") or ())}
    key = (kind, source, str(start or ""), str(end or ""), repr(sorted(options.items())))
    if memo is not None and key in memo:
        return memo[key]
    loaded = load_window(kind, source, start, end, **options)
    if memo is not None:
        memo[key] = loaded
    return loaded


def prepare_report(
    name: str,
    *,
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    parameters: Mapping[str, Any] | None = None,
    memo: MutableMapping[tuple[str, ...], LoadedWindow] | None = None,
    dialer: str | None = None,
) -> PreparedReport:
    """Check report ``name`` and its parameters, load its data once and settle the window:
    the dates given, else the sample's window, a file's own date range, or the last 7 days
    from the API. Nothing is written and no kernel starts. A report that reads a second
    kind of data (``SECOND_DATA``: the lead funnel's Dialer results) takes it from
    ``dialer`` (default: ``source`` when that is ``sample`` or ``api``).

    Example:
        >>> prepared = prepare_report("speed-to-lead", start="2024-11-01", end="2024-11-08")
        >>> prepared.window, prepared.rows > 0
        ('1–7 November 2024', True)
    """
    notebook = notebook_path(name)
    extra = _check_parameters(name, dict(parameters or {}))
    defaults = {key: default for key, (_, default) in notebook_parameters(name).items()}
    if source not in ("sample", "api"):
        source = str(Path(source).expanduser().resolve())
    variant = _variant(extra, defaults)
    loaded = _loaded(name, source, start, end, {**defaults, **extra}, memo)
    if DATA[name] == "dialer":
        check_dispositions(loaded.frame, extra.get("success_dispositions") or (), loaded.label)
    notes: tuple[str, ...] = ()
    if name in SECOND_DATA:
        second, notes = _second_source(name, source, dialer, loaded, {**defaults, **extra}, memo)
        extra = {**extra, **second}
    return PreparedReport(
        name=name,
        notebook=notebook,
        source=source,
        start=loaded.start,
        end=loaded.end,
        rows=loaded.frame.height,
        parameters=extra,
        notes=notes,
        variant=variant,
    )


def sale_value_from_text(text: str) -> Decimal | None:
    """The lead funnel's ``sale_value`` parameter: dollars as text (``"300"``, ``"$1,249.99"``)
    as a ``Decimal``; empty text is None (counts only).

    Example:
        >>> sale_value_from_text("$1,249.99"), sale_value_from_text("")
        (Decimal('1249.99'), None)
    """
    text = text.strip()
    if not text:
        return None
    try:
        amount = Decimal(text.removeprefix("$").replace(",", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValueError(
            f"must be an amount of dollars like 300 or 249.99 (or empty), not {text!r}"
        )
    return amount


def dialer_window_end(end: date, within_days: int, source: str) -> date:
    """The day after the last Dialer day the lead funnel reads: ``within_days`` past the
    LeadFlow window's end, so a caller dialed back after the window is not "never dialed"
    (from the API, no later than tomorrow).

    Example:
        >>> dialer_window_end(date(2024, 11, 11), 30, "sample")
        datetime.date(2024, 12, 11)
    """
    last = end + timedelta(days=within_days)
    return min(last, date.today() + timedelta(days=1)) if source == "api" else last


def _second_source(
    name: str,
    source: str,
    dialer: str | None,
    loaded: LoadedWindow,
    values: Mapping[str, Any],
    memo: MutableMapping[tuple[str, ...], LoadedWindow] | None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The lead funnel's Dialer results: checked, loaded for ``[start, end + within_days)``
    and its parameters tried on zero rows, all before a kernel starts."""
    from callanalytics import metrics
    from callanalytics.phones import check_region

    if dialer is None:
        if source not in ("sample", "api"):
            raise ReportError(
                f"report {name!r} reads Dialer results too: give --dialer PATH (or --source "
                "sample/api), so it does not silently run on the sample"
            )
        dialer = source
    elif dialer not in ("sample", "api"):
        dialer = str(Path(dialer).expanduser().resolve())
    within = values.get("within_days", 30)
    if within < 1:
        raise ReportError(
            f"parameter within_days of report {name!r} must be 1 or more, not {within}"
        )
    try:
        region = check_region(values.get("region") or "")
    except ValueError as error:
        reason = str(error).removeprefix("region ")
        raise ReportError(f"parameter region of report {name!r} {reason}") from None
    try:
        sale_value = sale_value_from_text(str(values.get("sale_value") or ""))
    except ValueError as error:
        raise ReportError(f"parameter sale_value of report {name!r} {error}") from None
    end = dialer_window_end(loaded.end, within, dialer)
    options = {
        "timezone": values.get("timezone", "America/New_York"),
        "campaigns": tuple(values.get("campaigns") or ()),
    }
    key = ("dialer", dialer, str(loaded.start), str(end), repr(sorted(options.items())))
    calls = memo.get(key) if memo is not None else None
    if calls is None:
        calls = load_window("dialer", dialer, loaded.start, end, **options)
        if memo is not None:
            memo[key] = calls
    try:  # the notebook's own calls, on zero rows: a bad `by` or rule fails here, not in cell 5
        metrics.lead_funnel(
            loaded.frame.head(0),
            calls.frame.head(0),
            by=values.get("by") or "affiliate",
            within=timedelta(days=within),
            success=values.get("success_dispositions") or None,
            sale_value=sale_value,
            region=region,
        )
    except ValueError as error:
        raise ReportError(f"report {name!r}: {error}") from None
    note = (
        f"dialer: {calls.frame.height:,} rows loaded for {calls.label} "
        f"(callbacks up to {within} days after the window)"
    )
    return {"dialer": dialer}, (note,)


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
            kernel_manager_class=_this_python_kernel(),
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
    _export_html(executed, html, window=prepared.window)
    return RenderedReport(prepared.name, executed, html, prepared.rows, prepared.window)


# ipykernel logs this at WARNING on every start over TCP (ipykernel/kernelapp.py,
# IPKernelApp.init_sockets). Our kernel listens on 127.0.0.1 and lives as long as one report;
# the notice only alarms readers of scheduled-job logs. Every other record is kept.
PLAIN_TCP_NOTICE = "Kernel is running over TCP without encryption."


class PlainTcpNoticeFilter(logging.Filter):
    """Drops exactly ipykernel's plain-TCP notice; passes every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "IPKernelApp"
            and record.levelno == logging.WARNING
            and str(record.msg).startswith(PLAIN_TCP_NOTICE)
        )


def launch_quiet_kernel() -> None:
    """Start ipykernel like ``python -m ipykernel_launcher``, minus the plain-TCP notice."""
    from ipykernel import kernelapp

    logging.getLogger("IPKernelApp").addFilter(PlainTcpNoticeFilter())
    kernelapp.launch_new_instance()


# Like ipykernel_launcher: drop the working directory (the output folder) from sys.path
# before importing anything, so a stray file there cannot shadow a module.
_KERNEL_LAUNCHER = (
    "import sys\n"
    "if sys.path and sys.path[0] in ('', '.'):\n"
    "    del sys.path[0]\n"
    "from callanalytics.report import launch_quiet_kernel\n"
    "launch_quiet_kernel()\n"
)


def _this_python_kernel() -> type:
    """A kernel manager that always starts this interpreter's ipykernel, so reports run
    with the installed package whatever kernelspecs the user's Jupyter has registered."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    class ThisPythonKernelManager(KernelManager):
        @property
        def kernel_spec(self) -> KernelSpec:
            spec = get_kernel_dict()
            python = spec["argv"][0]  # this interpreter, as ipykernel_launcher would run
            spec["argv"] = [python, "-c", _KERNEL_LAUNCHER, "-f", "{connection_file}"]
            return KernelSpec(resource_dir="", **spec)

    return ThisPythonKernelManager


def _export_html(executed: Path, html: Path, *, window: str = "") -> None:
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


# --- Compliance and data-quality reports (issue 13) -----------------------------------------

#: ``--fail-on`` choices: what makes a run exit with EXIT_FINDINGS.
FAIL_ON = {
    "violations": "compliance",  # any compliance rule fails
    "quality": "data-quality",  # any data-quality check finds rows
}
BASELINE_DAYS = 30


@dataclass(frozen=True)
class QualityInputs:
    """What a data-quality run compares against, and why a part is missing when it is:
    the reader's counts (``read_report``) and the previous days (``baseline``)."""

    read_report: Any = None
    read_note: str = ""
    baseline: Any = None
    baseline_note: str = ""


def quality_inputs(
    kind: Literal["dialer", "leadflow"],
    source: str,
    start: date | str,
    *,
    timezone: str = "America/New_York",
    baseline_days: int = BASELINE_DAYS,
) -> QualityInputs:
    """The reader's counts and a baseline for ``kind`` from ``source``: the sample and
    CSV/JSON files are read again through the reader (``strict=False``) to count values
    read as null, DST-gap and repeated-hour times and blank rows; the baseline is the
    ``baseline_days`` before ``start`` from the sample generator or the API. A file has no
    earlier days, and the API client does not keep the reader's counts: the notes say so.

    Example:
        >>> inputs = quality_inputs("leadflow", "sample", "2024-10-28", baseline_days=2)
        >>> inputs.read_report.blank_rows, inputs.baseline.height > 0
        (0, True)
    """
    import warnings
    from datetime import timedelta

    from callanalytics.load import SAMPLE_DAYS
    from callanalytics.readers import ScanReport, read_dialer_results, read_leadflow_history
    from callanalytics.sample import (
        DEFAULT_START,
        sample_dialer_results,
        sample_leadflow_history,
    )

    first = parse_date(start, "start")
    assert first is not None
    report: ScanReport | None = ScanReport()
    read_note = ""
    with warnings.catch_warnings():  # the counts are the report; no warnings in it
        warnings.simplefilter("ignore")
        if source == "sample":
            if kind == "dialer":
                raw = sample_dialer_results(
                    start=DEFAULT_START, days=SAMPLE_DAYS, timezone=timezone, raw=True
                )
                read_dialer_results(raw, timezone=timezone, strict=False, report=report)
            else:
                raw = sample_leadflow_history(start=DEFAULT_START, days=SAMPLE_DAYS, raw=True)
                read_leadflow_history(raw, strict=False, report=report)
            read_note = "Reader counts: the sample read through the reader."
        elif source == "api":
            report = None
            read_note = (
                "Reader counts are not available from the API yet: the client reads day by "
                "day and keeps only its warnings."
            )
        elif Path(source).suffix.lower() == ".parquet":
            report = None
            read_note = "Reader counts are not available: a Parquet file is already typed."
        else:
            if kind == "dialer":
                read_dialer_results(source, timezone=timezone, strict=False, report=report)
            else:
                read_leadflow_history(source, strict=False, report=report)
            read_note = f"Reader counts: the whole file {Path(source).name}, read again."
    baseline, baseline_note = None, ""
    before, after = first - timedelta(days=baseline_days), first
    if source == "sample":
        if kind == "dialer":
            baseline = sample_dialer_results(start=before, days=baseline_days, timezone=timezone)
        else:
            baseline = sample_leadflow_history(start=before, days=baseline_days)
        baseline_note = f"Baseline: the sample generator's {baseline_days} days before the window."
    elif source == "api":
        baseline = load_window(kind, "api", before, after, timezone=timezone).frame
        baseline_note = f"Baseline: the {baseline_days} days before the window, from the API."
    else:
        baseline_note = (
            "No baseline: a file holds its own window only, so there are no earlier days to "
            "compare null shares with."
        )
    return QualityInputs(report, read_note, baseline, baseline_note)


def report_findings(
    prepared: PreparedReport,
    memo: MutableMapping[tuple[str, ...], LoadedWindow] | None = None,
) -> list[str]:
    """What ``--fail-on`` looks at, computed from the loaded data (never from a notebook's
    output): the compliance rules whose status is ``fail`` for ``compliance``, the
    data-quality checks that found rows for ``data-quality``, nothing for other reports.

    Example:
        >>> report_findings(prepare_report("compliance", start="2024-11-01", end="2024-11-08"))
        ['calling_hours', 'abandonment', 'frequency_24h', 'do_not_call']
    """
    if prepared.name not in FAIL_ON.values():
        return []
    defaults = {key: default for key, (_, default) in notebook_parameters(prepared.name).items()}
    values = {**defaults, **prepared.parameters}
    calls = _loaded(
        prepared.name, prepared.source, prepared.start, prepared.end, values, memo
    ).frame
    if prepared.name == "compliance":
        from callanalytics.metrics.compliance import compliance_summary

        summary = compliance_summary(
            calls,
            rules=values.get("rules") or None,
            abandon_limit=values["abandon_limit"],
            abandon_margin=values["abandon_margin"],
            dnc_dispositions=values.get("dnc_dispositions") or None,
        )
        return summary.filter(summary["status"] == "fail")["rule"].to_list()
    from callanalytics.quality import dialer_quality, leadflow_quality

    tables = [dialer_quality(calls, start=prepared.start, end=prepared.end)]
    if prepared.source in ("sample", "api"):
        traffic = load_window("leadflow", prepared.source, prepared.start, prepared.end).frame
        tables.append(leadflow_quality(traffic, start=prepared.start, end=prepared.end))
    return [
        f"{source}: {check}"
        for source, found in zip(("dialer", "leadflow"), tables, strict=False)
        for check in found.filter(found["status"] == "found")["check"].unique(maintain_order=True)
    ]
