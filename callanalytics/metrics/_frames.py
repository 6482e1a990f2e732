"""Lazy-or-eager plumbing and the definitions every metric shares.

The conversion rule lives here and nowhere else: :func:`success_expr` is what every metric,
table and sentence uses to decide whether an agent disposition is a conversion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

import polars as pl

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

#: Words that make a disposition a conversion under the default rule (whole words, any case).
SUCCESS_WORDS: tuple[str, ...] = ("sale", "sales", "sold")
#: Words that veto a conversion under the default rule ("No Sale", "Not Sold", "Non-sale").
NEGATION_WORDS: tuple[str, ...] = ("no", "not", "non")

_SUCCESS_PATTERN = r"(?i)\b(?:" + "|".join(SUCCESS_WORDS) + r")\b"
_NEGATION_PATTERN = r"(?i)\b(?:" + "|".join(NEGATION_WORDS) + r")\b"

#: How a success rule reads in a report: ``success=None`` means this.
DEFAULT_SUCCESS_RULE = (
    "a disposition counts as a conversion when it contains the word "
    + ", ".join(f'"{w}"' for w in SUCCESS_WORDS[:-1])
    + f' or "{SUCCESS_WORDS[-1]}" (whole words, any case) and none of the words '
    + ", ".join(f'"{w}"' for w in NEGATION_WORDS)
)

#: The kinds of ``success=`` every metric accepts.
Success = str | Sequence[str] | None


def like(source: pl.DataFrame | pl.LazyFrame, result: pl.LazyFrame):
    """Return ``result`` eager if ``source`` was eager, lazy if it was lazy."""
    return result.collect() if isinstance(source, pl.DataFrame) else result


def success_expr(column: str, success: Success) -> pl.Expr:
    """True where ``column`` counts as a conversion; False where it does not or is null.

    ``success`` is the rule:

    - ``None`` (the default): the disposition contains one of the whole words ``sale``,
      ``sales`` or ``sold`` (any case) and none of the negations ``no``, ``not``, ``non``.
      "Sale", "Sale - Upsell" and "Sold" count; "No Sale", "Not Sold - Sale Pending",
      "Non-sale" and "Wholesale" do not.
    - a list of dispositions: exactly those (compared case-insensitively, surrounding
      spaces ignored);
    - a string: a regular expression (prefix ``(?i)`` for any case).

    Example:
        >>> frame = pl.DataFrame({"d": ["Sale", "No Sale", "Non-sale", "Sold", None]})
        >>> frame.select(success_expr("d", None))["d"].to_list()
        [True, False, False, True, False]
    """
    value = pl.col(column)
    if success is None:
        hit = value.str.contains(_SUCCESS_PATTERN) & ~value.str.contains(_NEGATION_PATTERN)
        return hit.fill_null(False)
    if isinstance(success, str):
        try:
            re.compile(success.removeprefix("(?i)"))
        except re.error as exc:
            raise ValueError(
                f"success: {success!r} is not a valid regular expression: {exc}"
            ) from None
        return value.str.contains(success).fill_null(False)
    wanted = [s.strip().lower() for s in success]
    return value.str.strip_chars().str.to_lowercase().is_in(wanted).fill_null(False)


def describe_success(success: Success = None) -> str:
    """The conversion rule in words, for a report to state under its tables.

    Example:
        >>> describe_success(["Sale"])
        'A disposition counts as a conversion when it is one of "Sale" (any case).'
    """
    if success is None:
        return DEFAULT_SUCCESS_RULE[0].upper() + DEFAULT_SUCCESS_RULE[1:] + "."
    if isinstance(success, str):
        return f"A disposition counts as a conversion when it matches the pattern {success!r}."
    if not success:
        return "No disposition counts as a conversion (an empty list was given)."
    listed = ", ".join(f'"{s.strip()}"' for s in success)
    return f"A disposition counts as a conversion when it is one of {listed} (any case)."


def disposition_split(calls, success: Success = None):
    """Every agent disposition seen, whether the rule counted it as a conversion, and how often.

    One row per distinct non-null ``agent_disposition``: ``disposition`` (String),
    ``counted`` (Boolean) and ``calls`` (UInt32), counted dispositions first, then by calls.
    A report shows the counted ones ("conversions are …") and the others ("seen but not
    counted: …"), so the rule is never hidden.

    Example:
        >>> import callanalytics as ca
        >>> split = disposition_split(ca.sample_dialer_results(n=2_000))
        >>> split.filter(pl.col("counted"))["disposition"].to_list()
        ['Sale', 'Sale - Upsell']
    """
    out = (
        calls.lazy()
        .filter(pl.col("agent_disposition").is_not_null())
        .group_by(disposition=pl.col("agent_disposition"))
        .agg(calls=pl.len().cast(pl.UInt32))
        .with_columns(counted=success_expr("disposition", success))
        .select(
            pl.col("disposition").cast(pl.String),
            pl.col("counted").cast(pl.Boolean),
            "calls",
        )
        .sort(["counted", "calls", "disposition"], descending=[True, True, False])
    )
    return like(calls, out)


def duration_quantile(column: str, q: float) -> pl.Expr:
    """Quantile of a Duration column, as a Duration (exact to the millisecond)."""
    ms = pl.col(column).dt.total_milliseconds()
    return ms.quantile(q, interpolation="linear").round(0).cast(pl.Int64).cast(pl.Duration("ms"))


def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """A share as Float64, null where the denominator is zero."""
    den = denominator.cast(pl.Float64)
    return pl.when(den > 0).then(numerator.cast(pl.Float64) / den)


#: Calendar periods every ``by=`` accepts, and how each is cut from a datetime.
PERIODS = ("day", "week", "month")


def period_expr(period: str, column: str) -> pl.Expr:
    """The Date of the period containing ``column``: the day, the week's Monday, the 1st.

    Example:
        >>> from datetime import datetime
        >>> frame = pl.DataFrame({"t": [datetime(2024, 11, 7, 15)]})
        >>> str(frame.select(period_expr("week", "t"))["week"][0])
        '2024-11-04'
    """
    day = pl.col(column).dt.date()
    if period == "day":
        return day.alias("day")
    if period == "week":
        return day.dt.truncate("1w").alias("week")
    if period == "month":
        return day.dt.month_start().alias("month")
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def resolve_by(
    by: str | Sequence[str],
    *,
    named: dict[str, list[str]],
    columns: Sequence[str],
    what: str,
) -> list[str]:
    """The group keys for ``by``: a named grouping, a period, or column names; else ValueError.

    ``named`` maps names like ``"offer"`` to their key columns; periods (day, week, month)
    become a Date key of that name; any other string must be one of ``columns``.
    """
    items = [by] if isinstance(by, str) else list(by)
    if not items:
        raise ValueError("by: give at least one grouping")
    keys: list[str] = []
    for item in items:
        if item in named:
            keys.extend(named[item])
        elif item in PERIODS or item in columns:
            keys.append(item)
        else:
            choices = [*named, *PERIODS]
            raise ValueError(
                f"by={item!r} is not a grouping: choose one of "
                f"{', '.join(repr(c) for c in choices)}, or a {what} column name "
                f"({', '.join(columns)})"
            )
    return keys
