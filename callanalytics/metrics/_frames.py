"""The names every metric module imports, in one place (each idea lives in its own module).

- :mod:`~callanalytics.metrics.conversion_rule`: when a disposition counts as a conversion;
- :mod:`~callanalytics.metrics._engine`: a caller's frame through narwhals and back to the
  same kind (polars, DuckDB, Spark), durations as integer ms, money as exact decimals;
- :mod:`~callanalytics.metrics._grouping`: ``by=``, calendar periods, ordered picks.
"""

from __future__ import annotations

from callanalytics.metrics._engine import (
    Native,
    _spark_intervals_as_ms,
    match_laziness,
    minus_ms,
    native_columns,
    rate_nw,
    round_half_even,
    with_epoch_ms,
)
from callanalytics.metrics._grouping import (
    PERIODS,
    ordered_picks,
    resolve_by,
    with_periods,
    with_weekday_hour,
)
from callanalytics.metrics.conversion_rule import (
    DEFAULT_SUCCESS_RULE,
    NEGATION_WORDS,
    SUCCESS_WORDS,
    Success,
    describe_success,
    disposition_split,
    success_expr,
    success_nw,
)

__all__ = [
    "DEFAULT_SUCCESS_RULE",
    "NEGATION_WORDS",
    "PERIODS",
    "SUCCESS_WORDS",
    "Native",
    "Success",
    "_spark_intervals_as_ms",
    "describe_success",
    "disposition_split",
    "match_laziness",
    "minus_ms",
    "native_columns",
    "ordered_picks",
    "rate_nw",
    "resolve_by",
    "round_half_even",
    "success_expr",
    "success_nw",
    "with_epoch_ms",
    "with_periods",
    "with_weekday_hour",
]
