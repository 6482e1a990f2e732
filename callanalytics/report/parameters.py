"""``-p KEY=VALUE`` parameters: read against the notebook's defaults, checked before a run.

Credentials are refused (papermill records every parameter in the output notebook), and so
are the runner's own names, names the notebook does not have and values of the wrong type.

Example:
    >>> check_parameters("agent-performance", {"min_calls": 10})
    {'min_calls': 10}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from callanalytics.report.registry import RESERVED_PARAMETERS, ReportError, notebook_parameters

_SECRET = re.compile(r"token|secret|password|passwd|key|credential|auth|jwt", re.IGNORECASE)


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


def check_parameters(name: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse secrets, the runner's own names, unknown names and values of the wrong type;
    the parameters as the notebook receives them (lists as lists).

    Example:
        >>> check_parameters("agent-performance", {"min_calls": "ten"})
        Traceback (most recent call last):
        ...
        callanalytics.report.ReportError: parameter min_calls of report 'agent-performance' ...
    """
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
