"""Calling hours: each dial's wall clock at the lead against the allowed local hours.

A dial is held to the federal row (``US``) and to its lead's state row at once: the later
start and the earlier end apply (on Sunday, a row's Sunday hours when it has them). The
window includes its start and excludes its end. Which hours bind each state, on a weekday
and on a Sunday, is worked out once per rules table in Python (a few dozen rows); each
dial then looks its hours up by state and day.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import Native
from callanalytics.metrics.compliance.definitions import federal_rule
from callanalytics.metrics.compliance.location import prepared
from callanalytics.rules.tables import calling_rules

_US = "US"


class _Window(NamedTuple):
    start: int  # microseconds after midnight, included
    end: int  # excluded
    allowed: str
    rule_from: str
    citation: str


def _us_of_day(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + (
        moment.microsecond
    )


def _window(us: dict, state: dict | None, sunday: bool) -> _Window:
    us_start = (us["sunday_start"] or us["start"]) if sunday else us["start"]
    us_end = (us["sunday_end"] or us["end"]) if sunday else us["end"]
    start, end, rule_from, citation = us_start, us_end, _US, us["citation"]
    if state is not None:
        has_sunday = sunday and state["sunday_start"] is not None
        st_start = state["sunday_start"] if has_sunday else state["start"]
        st_end = state["sunday_end"] if has_sunday else state["end"]
        start, end = max(us_start, st_start), min(us_end, st_end)
        if st_start > us_start or st_end < us_end:
            rule_from, citation = state["code"], state["citation"]
    allowed = "closed" if end <= start else f"{start:%H:%M}–{end:%H:%M}"
    return _Window(_us_of_day(start), _us_of_day(end), allowed, rule_from, citation)


def _windows(rules: pl.DataFrame) -> dict[str, _Window]:
    """The binding hours by ``<state>|<weekday or 7 for Sunday>``; ``|`` alone is a dial
    held to the federal row only (no state, or a state without a row)."""
    us = federal_rule(rules)
    states = [row for row in rules.iter_rows(named=True) if row["code"] != _US]
    out = {}
    for sunday in (False, True):
        suffix = "|7" if sunday else "|"
        out[suffix] = _window(us, None, sunday)
        for state in states:
            out[state["code"] + suffix] = _window(us, state, sunday)
    return out


def hours_all(frame: Native, checks: nw.LazyFrame, rules: pl.DataFrame) -> nw.LazyFrame:
    """Every dial with its ``allowed`` hours, ``rule_from``, ``citation`` and ``status``."""
    windows = _windows(rules)
    # ISO Sunday is 7; narwhals' Spark weekday gives 0 for a Sunday on a wall clock
    # (TIMESTAMP_NTZ): modulo 7, both are 0.
    sunday = (nw.col("local_start").dt.weekday() % 7 == 0).fill_null(False)
    code = nw.coalesce(nw.col("jurisdiction"), nw.lit(""))
    suffix = nw.when(sunday).then(nw.lit("|7")).otherwise(nw.lit("|"))
    key = nw.concat_str(code, suffix)

    def lookup(field: str, dtype) -> nw.Expr:
        mapping = {k: getattr(w, field) for k, w in windows.items()}
        default = (
            nw.when(sunday)
            .then(nw.lit(mapping["|7"], dtype))
            .otherwise(nw.lit(mapping["|"], dtype))
        )
        return nw.col("_rk").replace_strict(mapping, default=default, return_dtype=dtype)

    local = nw.col("local_start")
    moment = (
        (local.dt.hour().cast(nw.Int64) * 60 + local.dt.minute()) * 60 + local.dt.second()
    ) * 1_000_000 + local.dt.microsecond()
    return (
        checks.with_columns(key.alias("_rk"))
        .with_columns(
            lookup("start", nw.Int64).alias("_start"),
            lookup("end", nw.Int64).alias("_end"),
            lookup("allowed", nw.String).alias("allowed"),
            lookup("rule_from", nw.String).alias("rule_from"),
            lookup("citation", nw.String).alias("citation"),
        )
        .with_columns(
            nw.when(nw.col("call_start").is_null())
            .then(nw.lit("no call time"))
            .when(local.is_null())
            .then(nw.lit("zone unknown"))
            .when((moment >= nw.col("_start")) & (moment < nw.col("_end")))
            .then(nw.lit("ok"))
            .otherwise(nw.lit("outside hours"))
            .alias("status")
        )
    )


HOURS_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "local_start",
    "lead_zone",
    "zone_source",
    "jurisdiction",
    "allowed",
    "rule_from",
    "citation",
    "status",
)


def calling_hours(calls, *, rules=None):
    """Dials outside the allowed local hours at the lead, and dials whose zone is unknown.

    One row per such dial: ``callID``, ``campaign``, ``number`` (masked to its last four
    digits), ``call_start``, ``local_start`` (the lead's wall clock), ``lead_zone``,
    ``zone_source``, ``jurisdiction`` (the lead's state), ``allowed`` (e.g. ``08:00–20:00``),
    ``rule_from`` and ``citation`` (the binding rule), and ``status``: ``outside hours``,
    ``zone unknown`` or ``no call time``. The window includes its start and excludes its end:
    20:59:59 is inside 08:00–21:00, 21:00:00 is outside.

    Example:
        >>> import callanalytics as ca
        >>> set(calling_hours(ca.sample_dialer_results(n=500))["status"]) <= {
        ...     "outside hours", "zone unknown", "no call time"}
        True
    """
    frame = Native(calls)
    out = hours_all(frame, prepared(frame), calling_rules(rules))
    out = out.filter(nw.col("status") != "ok").select(HOURS_COLUMNS)
    return frame.back(out.sort("call_start", "callID"))
