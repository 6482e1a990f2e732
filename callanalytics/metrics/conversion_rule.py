"""The conversion rule: when an agent disposition counts as a sale.

It lives here and nowhere else: :func:`success_expr` (polars) and :func:`success_nw` (any
engine) are the one rule every metric, table and sentence uses, and :func:`describe_success`
says it in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import narwhals as nw
import polars as pl

from callanalytics.metrics._engine import Native

#: Words that make a disposition a conversion under the default rule (whole words, any case).
SUCCESS_WORDS: tuple[str, ...] = ("sale", "sold")
#: Words that veto a conversion under the default rule: negations ("No Sale", "Not Sold",
#: "Non-sale"), a sale not made yet ("Pre-sale", "Sale Pending") or undone ("Sale cancelled",
#: "Sale - Declined", "Sale refunded", "Lost sale"). "Sales" is not a success word: it names
#: a department ("Transferred to Sales") or an enquiry ("Sales Inquiry").
NEGATION_WORDS: tuple[str, ...] = (
    "no",
    "not",
    "non",
    "pre",
    "pending",
    "cancel",
    "cancelled",
    "canceled",
    "declined",
    "refund",
    "refunded",
    "lost",
)


def _whole_words(words: Sequence[str]) -> str:
    """A pattern for any of ``words`` as a whole word, where spaces, ``_``, ``-``, ``/`` and
    any other non-alphanumeric character separate words (dialer codes such as ``SALE_MADE``).
    Written without look-arounds or ``\\b`` so polars, DuckDB (RE2) and Spark (Java) read it
    alike."""
    return r"(?i)(?:^|[^a-z0-9])(?:" + "|".join(words) + r")(?:$|[^a-z0-9])"


_SUCCESS_PATTERN = _whole_words(SUCCESS_WORDS)
_NEGATION_PATTERN = _whole_words(NEGATION_WORDS)

#: How a success rule reads in a report: ``success=None`` means this.
DEFAULT_SUCCESS_RULE = (
    "a disposition counts as a conversion when it contains the word "
    + " or ".join(f'"{w}"' for w in SUCCESS_WORDS)
    + " (whole words, any case; _ - / and spaces separate words) and none of the words "
    + ", ".join(f'"{w}"' for w in NEGATION_WORDS)
)

#: The kinds of ``success=`` every metric accepts.
Success = str | Sequence[str] | None


def success_expr(column: str, success: Success) -> pl.Expr:
    """True where ``column`` counts as a conversion; False where it does not or is null.

    ``success`` is the rule:

    - ``None`` (the default): the disposition contains the whole word ``sale`` or ``sold``
      (any case; ``_``, ``-``, ``/`` and spaces separate words) and none of
      :data:`NEGATION_WORDS`. "Sale", "Sale - Upsell", "SALE_CLOSED" and "Sold" count;
      "No Sale", "Not Sold - Sale Pending", "Non-sale", "Pre-sale", "Sale cancelled",
      "Transferred to Sales" and "Wholesale" do not.
    - a list of dispositions: exactly those (compared case-insensitively, surrounding
      spaces ignored). An empty list, or a blank entry, is a ValueError (it would count
      nothing, and is almost always an unset parameter): pass None for the default rule;
    - a string: a regular expression (prefix ``(?i)`` for any case).

    Example:
        >>> frame = pl.DataFrame({"d": ["Sale", "No Sale", "Non-sale", "Sold", None]})
        >>> frame.select(success_expr("d", None))["d"].to_list()
        [True, False, False, True, False]
    """
    return _success_rule(pl, column, success)


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
    listed = ", ".join(f'"{s}"' for s in _listed(success))
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
    frame = Native(calls)
    out = (
        frame.lazy.filter(~nw.col("agent_disposition").is_null())
        .group_by(nw.col("agent_disposition").alias("disposition"))
        .agg(nw.len().alias("calls"))
        .with_columns(success_nw("disposition", success).alias("counted"))
        .select(
            nw.col("disposition").cast(nw.String),
            nw.col("counted").cast(nw.Boolean),
            nw.col("calls").cast(frame.count_dtype),
        )
        .sort(["counted", "calls", "disposition"], descending=[True, True, False])
    )
    return frame.back(out)


def success_nw(column: str, success: Success) -> nw.Expr:
    """:func:`success_expr` for any engine (the same rule, as a narwhals expression)."""
    return _success_rule(nw, column, success)


def _listed(success: Sequence[str]) -> list[str]:
    """A list rule's dispositions, stripped; ValueError for an empty list or a blank entry.

    An empty list once meant "nothing counts" here while the reports read it as the default
    rule: it is almost always a mistake (an unset parameter), so it is refused, not guessed.
    """
    items = list(success)
    blank = [repr(s) for s in items if not isinstance(s, str) or not s.strip()]
    if not items or blank:
        what = "an empty list" if not items else f"blank or non-text entries ({', '.join(blank)})"
        raise ValueError(
            f"success: {what} is not a rule (it would count nothing); use None for the default "
            "rule, a list of dispositions, or a regular expression"
        )
    return [s.strip() for s in items]


def _success_rule(namespace: Any, column: str, success: Success) -> Any:
    """The conversion rule in ``namespace`` (``polars`` or ``narwhals``: their expression
    APIs agree on everything used here), so polars and every other engine read one rule."""
    value = namespace.col(column)
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
    wanted = [s.lower() for s in _listed(success)]
    return value.str.strip_chars().str.to_lowercase().is_in(wanted).fill_null(False)
