"""Where and when each dial was, at the lead: state, IANA zone, and the lead's wall clock.

The zone is ``lead_timezone`` when it names a US zone, else the main zone of the lead's
state (``lead_state``, then ``state``, then the state of the ZIP's 3-digit prefix); the
wall clock is ``call_start`` converted to that zone (see :mod:`.native`). Also here: the
frame every check starts from (:func:`prepared`), with numbers masked to four digits.
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw

from callanalytics.metrics._frames import Native
from callanalytics.metrics.compliance.native import (
    INSTANT_FORMAT,
    with_instant_text,
    with_local_start,
)
from callanalytics.rules.tables import state_codes, state_zones, zip3_states, zone_aliases

_MASK = "•••"
_LOCATION = ("jurisdiction", "lead_zone", "zone_source")


def _column(names: Sequence[str], name: str) -> nw.Expr:
    return nw.col(name).cast(nw.String) if name in names else nw.lit(None, nw.String)


def _lookup(expr: nw.Expr, mapping: dict[str, str]) -> nw.Expr:
    return expr.replace_strict(mapping, default=nw.lit(None, nw.String), return_dtype=nw.String)


def _state_of(expr: nw.Expr) -> nw.Expr:
    return _lookup(expr.str.strip_chars().str.to_lowercase(), state_codes())


def call_start_names(frame: Native) -> list[str]:
    """The frame's column names, once ``call_start`` is known to be a zone-aware instant."""
    dtype = frame.schema.get("call_start")
    if dtype != nw.Datetime or dtype.time_zone is None:
        raise ValueError(
            "call_start must be a time-zone-aware Datetime (as read_dialer_results returns "
            f"it), not {dtype}: the lead's local time cannot be computed without it"
        )
    return frame.schema.names()


def _location(names: Sequence[str]) -> dict[str, nw.Expr]:
    """``jurisdiction`` (state code), ``lead_zone`` (IANA name), ``zone_source``."""
    zone_by_state = dict(zip(state_zones()["code"], state_zones()["zone"], strict=True))
    named = _lookup(
        _column(names, "lead_timezone").str.strip_chars().str.to_lowercase(), zone_aliases()
    )
    digits = _column(names, "zip").str.replace_all(r"\D", "")
    by_zip = _lookup(
        nw.when(digits.str.len_chars() >= 5).then(digits.str.slice(0, 3)), zip3_states()
    )
    lead_state = _state_of(_column(names, "lead_state"))
    state = _state_of(_column(names, "state"))
    jurisdiction = nw.coalesce(lead_state, state, by_zip)
    source = (
        nw.when(~named.is_null())
        .then(nw.lit("lead_timezone"))
        .when(~lead_state.is_null())
        .then(nw.lit("lead_state"))
        .when(~state.is_null())
        .then(nw.lit("state"))
        .when(~by_zip.is_null())
        .then(nw.lit("zip"))
    )
    return {
        "jurisdiction": jurisdiction,
        "lead_zone": nw.coalesce(named, _lookup(jurisdiction, zone_by_state)),
        "zone_source": source,
    }


def with_lead_local_time(calls):
    """``calls`` with the lead's ``jurisdiction`` (state code), ``lead_zone`` (IANA name),
    ``zone_source`` (which column placed it) and ``local_start`` (naive local wall clock).

    Null where the zone cannot be determined. A lead in Arizona is on ``America/Phoenix``
    (no daylight saving time) all year. Takes a polars frame (eager or lazy), a DuckDB
    relation or a PySpark DataFrame and returns the same kind.

    Example:
        >>> from datetime import datetime
        >>> import polars as pl
        >>> calls = pl.DataFrame(
        ...     {"call_start": [datetime(2024, 7, 1, 23)], "lead_state": ["AZ"]}
        ... ).with_columns(pl.col("call_start").dt.replace_time_zone("America/New_York"))
        >>> str(with_lead_local_time(calls)["local_start"][0])
        '2024-07-01 20:00:00'
    """
    frame = Native(calls)
    names = call_start_names(frame)
    located = frame.lazy.with_columns(**_location(names))
    out = with_local_start(frame, located)
    durations = (
        []
        if frame.is_polars
        else [c for c in names if nw.from_native(calls).collect_schema()[c] == nw.Duration]
    )
    return frame.back(out, durations=durations)


def prepared(frame: Native) -> nw.LazyFrame:
    """Only what the checks need (no names, no full numbers but the internal ``_key``)."""
    names = call_start_names(frame)
    digits = _column(names, "lead_phone").str.replace_all(r"\D", "")
    key = (
        nw.when((digits.str.len_chars() == 11) & digits.str.starts_with("1"))
        .then(digits.str.slice(1))
        .otherwise(digits)
    )
    key = nw.when(key.str.len_chars() > 0).then(key)
    campaign = nw.coalesce(
        _column(names, "campaign_name"), _column(names, "campaign_id"), nw.lit("(no campaign)")
    )
    located = frame.lazy.select(
        _column(names, "callID").alias("callID"),
        campaign.alias("campaign"),
        nw.col("call_start"),
        key.alias("_key"),
        nw.concat_str(nw.lit(_MASK), key.str.slice(-4)).alias("number"),
        _column(names, "pass_disposition").alias("_pass"),
        _column(names, "agent_disposition").alias("_agent"),
        **_location(names),
    )
    return with_local_start(frame, located)


def with_example(frame: Native, lf: nw.LazyFrame, *, local: bool) -> nw.LazyFrame:
    """Add ``_ex``: the masked number and when it was dialled, at the lead's wall clock
    (``local``) or as ``call_start`` with its zone abbreviation."""
    if local:
        when = nw.concat_str(
            nw.col("local_start").dt.to_string(INSTANT_FORMAT),
            nw.lit(" local ("),
            nw.col("lead_zone"),
            nw.lit(")"),
        )
    else:
        lf = with_instant_text(frame, lf, "_when", "call_start")
        when = nw.col("_when")
    return lf.with_columns(
        nw.concat_str(nw.col("number").fill_null("(no number)"), nw.lit(" at "), when).alias("_ex")
    )
