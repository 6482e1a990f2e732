"""Filters that must match: ``campaigns``, ``affiliates`` and ``success_dispositions``.

No value matching is a :class:`FilterError`; some values matching nothing is one
:class:`UnmatchedFilterWarning`. Both list the values the window has, so a typo does not
read as an empty report or a 0% conversion rate.

Example:
    >>> frame = pl.DataFrame({"affiliate": ["Acme", "Bolt"]})
    >>> apply_filter(frame, "affiliates", ["Acme"], ["affiliate"], "the window").height
    1
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import polars as pl

from callanalytics.errors import CallAnalyticsError, CallAnalyticsWarning

#: How many available values a filter error lists before "and N more".
LISTED_VALUES = 25


class FilterError(CallAnalyticsError, ValueError):
    """No value of a filter (``campaigns``, ``affiliates``) matches the data in the window."""

    __module__ = "callanalytics.load"  # where users import it from


class UnmatchedFilterWarning(CallAnalyticsWarning):
    """Some values of a filter match nothing in the window; the others were applied."""

    __module__ = "callanalytics.load"  # where users import it from


def _listed(values: Sequence[str]) -> str:
    shown = ", ".join(values[:LISTED_VALUES])
    more = len(values) - LISTED_VALUES
    return f"{shown} and {more:,} more" if more > 0 else shown


def apply_filter(
    frame: pl.DataFrame,
    name: str,
    wanted: Sequence[object],
    columns: Sequence[str],
    label: str,
) -> pl.DataFrame:
    """Keep rows whose ``columns`` (any of them) hold one of ``wanted``.

    No value matching is a FilterError; some values matching nothing is one warning. Both
    list the values the window has. An empty window is left to say "no data" itself.
    """
    if not wanted or frame.is_empty():
        return frame
    texts = [str(value) for value in wanted]  # `-p campaigns=[10452]` arrives as numbers
    seen = frame.select(columns).unique().sort(columns)
    present = {str(v) for column in columns for v in seen.get_column(column) if v is not None}
    unmatched = [text for text in texts if text not in present]
    if unmatched:
        rows = seen.rows()
        available = [
            f"{row[0]} ({row[1]})" if len(row) > 1 and row[1] not in (None, row[0]) else str(row[0])
            for row in rows
        ]
        _say_unmatched(name, unmatched, len(texts), available, label, "kept the rows of")
    condition = pl.any_horizontal(pl.col(column).is_in(texts) for column in columns)
    return frame.filter(condition)


def _say_unmatched(
    name: str,
    unmatched: Sequence[str],
    given: int,
    available: Sequence[str],
    label: str,
    kept: str,
) -> None:
    """Every value of ``name`` unmatched: a FilterError; some: one warning. Both list the
    values the window has."""
    missing = ", ".join(repr(text) for text in unmatched)
    where = f"{name} {missing} not found in {label}; available: {_listed(available)}"
    if len(unmatched) == given:
        raise FilterError(f"no rows match: {where}")
    warnings.warn(f"{where}; {kept} the other {name}", UnmatchedFilterWarning, stacklevel=4)


def check_dispositions(
    frame: pl.DataFrame, wanted: Sequence[object], label: str = "the data"
) -> None:
    """Check a list of conversion dispositions (``success_dispositions``) against the agent
    dispositions in ``frame``, compared as the conversion rule compares them (any case,
    surrounding spaces ignored): none found is a FilterError, some not found one warning,
    each listing the dispositions seen. A typo would otherwise read as 0% conversion.

    Example:
        >>> frame = pl.DataFrame({"agent_disposition": ["Sale", "No Sale"]})
        >>> check_dispositions(frame, ["sale "])
        >>> check_dispositions(frame, ["Sael"])
        Traceback (most recent call last):
        ...
        callanalytics.load.FilterError: no rows match: success_dispositions 'Sael' not found ...
    """
    if not wanted or frame.is_empty():
        return
    seen = frame.get_column("agent_disposition").drop_nulls().unique().sort().to_list()
    present = {value.strip().lower() for value in seen}
    texts = [str(value) for value in wanted]
    unmatched = [text for text in texts if text.strip().lower() not in present]
    if unmatched:
        _say_unmatched("success_dispositions", unmatched, len(texts), seen, label, "counted")
