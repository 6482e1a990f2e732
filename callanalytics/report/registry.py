"""The reports the runner knows: each one's notebook, the data it reads, its parameters.

Example:
    >>> REPORTS["agent-performance"], DATA["agent-performance"]
    ('agent_performance.ipynb', 'dialer')
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Literal

from callanalytics.errors import CallAnalyticsError

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
#: ``--fail-on`` choices: what makes a run exit with EXIT_FINDINGS.
FAIL_ON = {
    "violations": "compliance",  # any compliance rule fails
    "quality": "data-quality",  # any data-quality check finds rows
}
#: A notebook parameter's inferred type name -> the Python type its values must have.
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

    __module__ = "callanalytics.report"  # where users import it from


def notebook_path(name: str) -> Path:
    """The notebook behind a report, in the installed package or the source checkout.

    Example:
        >>> notebook_path("compliance").name
        'compliance.ipynb'
    """
    if name not in REPORTS:
        raise ReportError(f"unknown report {name!r}; choose one of {', '.join(REPORTS)} (or 'all')")
    package = Path(__file__).resolve().parent.parent
    for folder in (package.parent / "notebooks", package / "_notebooks"):
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


def notebook_defaults(name: str) -> dict[str, Any]:
    """Each parameter of report ``name`` with its default value.

    Example:
        >>> notebook_defaults("agent-performance")["min_calls"]
        20
    """
    return {key: default for key, (_, default) in notebook_parameters(name).items()}
