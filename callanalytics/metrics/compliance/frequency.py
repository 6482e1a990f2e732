"""Frequency: dials to one number per campaign in any 24 hours or 30 days, against the
limits of the lead's state (or the federal row, if it sets one)."""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import Native
from callanalytics.metrics.compliance.definitions import federal_rule
from callanalytics.metrics.compliance.location import prepared
from callanalytics.metrics.compliance.native import with_window_count
from callanalytics.rules.tables import calling_rules

WINDOWS = ("24h", "30d")


def _limits(rules: pl.DataFrame, window: str) -> dict[str, tuple[int | None, str]]:
    """The binding limit and its citation by state code; ``""`` is the federal row's."""
    field = f"max_calls_{window}"
    us = federal_rule(rules)
    out = {"": (us[field], us["citation"])}
    for row in rules.iter_rows(named=True):
        state = row[field]
        if row["code"] == "US":
            continue
        binds = state is not None and (us[field] is None or state <= us[field])
        limit = min(v for v in (us[field], state) if v is not None) if binds else us[field]
        out[row["code"]] = (limit, row["citation"] if binds else us["citation"])
    return out


def frequency_all(
    frame: Native, checks: nw.LazyFrame, rules: pl.DataFrame, windows: Sequence[str] = WINDOWS
) -> nw.LazyFrame:
    """Every dial with a number and a time, once per window: ``calls_in_window``,
    ``limit`` (null: no limit) and ``citation``."""
    keys = ["_key", "campaign"]
    dials = checks.filter(~nw.col("_key").is_null() & ~nw.col("call_start").is_null())
    code = nw.coalesce(nw.col("jurisdiction"), nw.lit(""))
    frames = []
    for window in windows:
        limits = _limits(rules, window)
        default_limit, default_citation = limits[""]
        counted = with_window_count(frame, dials, "calls_in_window", keys, window)
        frames.append(
            counted.with_columns(
                nw.col("calls_in_window").cast(frame.count_dtype),
                code.replace_strict(
                    {k: v[0] for k, v in limits.items()},
                    default=nw.lit(default_limit, frame.count_dtype),
                    return_dtype=frame.count_dtype,
                ).alias("limit"),
                code.replace_strict(
                    {k: v[1] for k, v in limits.items()},
                    default=nw.lit(default_citation, nw.String),
                    return_dtype=nw.String,
                ).alias("citation"),
                nw.lit(window).alias("window"),
            )
        )
    return frames[0] if len(frames) == 1 else nw.concat(frames, how="vertical")


FREQUENCY_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "jurisdiction",
    "window",
    "calls_in_window",
    "limit",
    "citation",
)


def call_frequency(calls, *, rules=None):
    """Dials that went over a jurisdiction's limit of dials per number in 24 h or 30 days.

    Dials are counted per number (digits only, a leading US ``1`` dropped) and campaign —
    the campaign stands in for the laws' "same subject matter" — over the window ending at
    each dial, that dial included (24 h is 24 hours; 30 days are calendar days in
    ``call_start``'s zone). One row per dial whose count exceeds the limit of its lead's
    state (or the federal row, if it sets one): ``callID``, ``campaign``, ``number``
    (masked), ``call_start``, ``jurisdiction``, ``window`` (``24h``/``30d``),
    ``calls_in_window``, ``limit``, ``citation``.

    Example:
        >>> import callanalytics as ca
        >>> call_frequency(ca.sample_dialer_results(n=500)).columns[-3:]
        ['calls_in_window', 'limit', 'citation']
    """
    frame = Native(calls)
    out = (
        frequency_all(frame, prepared(frame), calling_rules(rules))
        .filter(nw.col("calls_in_window") > nw.col("limit"))
        .select(FREQUENCY_COLUMNS)
        .sort("window", "call_start", "callID")
    )
    return frame.back(out)
