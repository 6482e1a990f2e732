"""Data-quality findings: can yesterday's Dialer and LeadFlow numbers be trusted?

One function per source, :func:`dialer_quality` and :func:`leadflow_quality`, each returning
one row per check (and one per column for the null-share check), with the columns of
:data:`QUALITY_SCHEMA`:

- ``check``: the check's name; ``column``: the column it is about, when it is about one;
- ``description``: what it looks for, in words;
- ``rows``: rows affected (null when the check could not run, e.g. no ``read_report``);
- ``share``: ``rows`` over the frame's rows (null on an empty frame);
- ``examples``: up to five rows named by ``callID``/``sid``, the first in call order (never
  a phone number or name; numbers that must be shown are masked to their last four digits);
- ``status``: ``ok`` (nothing found), ``found``, or ``not checked``.

Reader-side counts (values coerced to null with ``strict=False``, local times in the DST gap
or the repeated hour, blank rows dropped) cannot be seen in the frame: pass what the reader
counted as ``read_report`` (a mapping or an object with ``coerced``, ``gaps``, ``repeated``
and ``blank_rows``; see :func:`dialer_quality`). Both functions take polars frames (eager or
lazy), DuckDB relations or Spark DataFrames and return the same kind.

Modules: :mod:`.table` (a check becomes a row, on every engine), :mod:`.texts` (how examples
show values), :mod:`.shared` (window, null-share and reader checks), :mod:`.dialer`,
:mod:`.leadflow`.
"""

from callanalytics.quality.dialer import AGENT_FIELDS, ANSWERED, MAX_DURATION, dialer_quality
from callanalytics.quality.leadflow import leadflow_quality
from callanalytics.quality.shared import NULL_JUMP, null_shares
from callanalytics.quality.table import QUALITY_SCHEMA

__all__ = [
    "AGENT_FIELDS",
    "ANSWERED",
    "MAX_DURATION",
    "NULL_JUMP",
    "QUALITY_SCHEMA",
    "dialer_quality",
    "leadflow_quality",
    "null_shares",
]
