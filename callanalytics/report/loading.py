"""A report's data, loaded once per distinct question across one run (``report all``).

Example:
    >>> memo = {}
    >>> first = load_once("dialer", "sample", "2024-11-01", "2024-11-08", {}, memo)
    >>> load_once("dialer", "sample", "2024-11-01", "2024-11-08", {}, memo) is first
    True
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from datetime import date
from typing import Any, Literal

from callanalytics.load import LoadedWindow, load_window

#: What has been loaded in one run: (kind, source, start, end, options) -> the window.
Memo = MutableMapping[tuple[str, ...], LoadedWindow]


def load_options(kind: Literal["dialer", "leadflow"], values: Mapping[str, Any]) -> dict:
    """The loader options a report's parameter ``values`` set for data of ``kind``: the time
    zone and campaigns for the Dialer, the affiliates for LeadFlow.

    Example:
        >>> load_options("leadflow", {"affiliates": ["Acme"], "timezone": "UTC"})
        {'affiliates': ('Acme',)}
    """
    if kind == "dialer":
        return {
            "timezone": values.get("timezone", "America/New_York"),
            "campaigns": tuple(values.get("campaigns") or ()),
        }
    return {"affiliates": tuple(values.get("affiliates") or ())}


def load_once(
    kind: Literal["dialer", "leadflow"],
    source: str,
    start: date | str | None,
    end: date | str | None,
    options: Mapping[str, Any],
    memo: Memo | None,
) -> LoadedWindow:
    """``load_window(kind, source, start, end, **options)``, or its earlier answer in
    ``memo`` for the same question (no memo: always load)."""
    key = (kind, source, str(start or ""), str(end or ""), repr(sorted(options.items())))
    if memo is not None and key in memo:
        return memo[key]
    loaded = load_window(kind, source, start, end, **options)
    if memo is not None:
        memo[key] = loaded
    return loaded
