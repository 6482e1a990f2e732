"""Output file names: ``<report>_<start>_<end>[_<variant>]``, where the variant names the
parameters given that differ from the notebook's defaults, so reports of one window with
other parameters do not overwrite each other.

Example:
    >>> from datetime import date
    >>> report_stem("speed-to-lead", date(2024, 11, 1), date(2024, 11, 8), "campaigns-10452")
    'speed-to-lead_2024-11-01_2024-11-08_campaigns-10452'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

#: The longest variant part of a file name; longer ones become a short hash.
_VARIANT_CHARACTERS = 40


def report_stem(name: str, start: date, end: date, variant: str = "") -> str:
    """The output files' name (without suffix) for report ``name`` over ``[start, end)``.

    Example:
        >>> report_stem("compliance", date(2024, 11, 1), date(2024, 11, 8))
        'compliance_2024-11-01_2024-11-08'
    """
    stem = f"{name}_{start.isoformat()}_{end.isoformat()}"
    return f"{stem}_{variant}" if variant else stem


def variant(given: Mapping[str, Any], defaults: Mapping[str, Any]) -> str:
    """The given parameters that differ from their defaults, as a file-name part.

    Example:
        >>> variant({"campaigns": [10452], "min_calls": 20}, {"min_calls": 20, "campaigns": []})
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
