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
    with_lookup,
)
from callanalytics.rules.tables import state_codes, state_zones, zip3_states, zone_aliases

_MASK = "•••"
_LOCATION = ("jurisdiction", "lead_zone", "zone_source")


def _column(names: Sequence[str], name: str) -> nw.Expr:
    return nw.col(name).cast(nw.String) if name in names else nw.lit(None, nw.String)


def call_start_names(frame: Native) -> list[str]:
    """The frame's column names, once ``call_start`` is known to be a zone-aware instant."""
    dtype = frame.schema.get("call_start")
    if dtype != nw.Datetime or dtype.time_zone is None:
        raise ValueError(
            "call_start must be a time-zone-aware Datetime (as read_dialer_results returns "
            f"it), not {dtype}: the lead's local time cannot be computed without it"
        )
    return frame.schema.names()


def _raw_location(names: Sequence[str]) -> list[nw.Expr]:
    """The location columns as given, normalized for the lookups (``_loc_*``)."""

    def folded(name: str) -> nw.Expr:
        return _column(names, name).str.strip_chars().str.to_lowercase()

    digits = _column(names, "zip").str.replace_all(r"\D", "")
    return [
        folded("lead_timezone").alias("_loc_tz"),
        folded("lead_state").alias("_loc_lead_state"),
        folded("state").alias("_loc_state"),
        nw.when(digits.str.len_chars() >= 5).then(digits.str.slice(0, 3)).alias("_loc_zip3"),
    ]


def _with_location(frame: Native, lf: nw.LazyFrame) -> nw.LazyFrame:
    """Add ``jurisdiction`` (state code), ``lead_zone`` (IANA name), ``zone_source`` and
    ``local_start`` from the ``_loc_*`` columns of :func:`_raw_location` (then dropped)."""
    zone_by_state = dict(zip(state_zones()["code"], state_zones()["zone"], strict=True))
    lookups = (
        ("_loc_named", "_loc_tz", zone_aliases()),
        ("_loc_by_lead_state", "_loc_lead_state", state_codes()),
        ("_loc_by_state", "_loc_state", state_codes()),
        ("_loc_by_zip", "_loc_zip3", zip3_states()),
    )
    for name, key, mapping in lookups:
        lf = with_lookup(frame, lf, name, key, mapping)
    placed = [("lead_timezone", "_loc_named")] + [
        (source, f"_loc_by_{source}") for source in ("lead_state", "state", "zip")
    ]
    lf = lf.with_columns(nw.coalesce(*[nw.col(c) for _, c in placed[1:]]).alias("jurisdiction"))
    lf = with_lookup(frame, lf, "_loc_state_zone", "jurisdiction", zone_by_state)
    source = nw.when(~nw.col(placed[0][1]).is_null()).then(nw.lit(placed[0][0]))
    for name, column in placed[1:]:
        source = source.when(~nw.col(column).is_null()).then(nw.lit(name))
    lf = lf.with_columns(
        nw.coalesce(nw.col("_loc_named"), nw.col("_loc_state_zone")).alias("lead_zone"),
        source.alias("zone_source"),
    )
    temporary = [
        "_loc_tz",
        "_loc_lead_state",
        "_loc_state",
        "_loc_zip3",
        "_loc_state_zone",
        *[column for _, column in placed],
    ]
    return with_local_start(frame, lf.drop(*temporary))


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
    out = _with_location(frame, frame.lazy.with_columns(*_raw_location(names)))
    # DuckDB and Spark durations arrive as integer ms (see Native); they leave as durations.
    durations = [] if frame.is_polars else _durations(calls)
    return frame.back(out, durations=durations)


def _durations(calls) -> list[str]:
    schema = nw.from_native(calls).collect_schema()
    return [name for name, dtype in schema.items() if dtype == nw.Duration]


def prepared(frame: Native) -> nw.LazyFrame:
    """Only what the checks need (no names, no full numbers but the internal ``_key``)."""
    names = call_start_names(frame)
    digits = nw.col("_digits")
    key = (
        nw.when((digits.str.len_chars() == 11) & digits.str.starts_with("1"))
        .then(digits.str.slice(1))
        .otherwise(digits)
    )
    key = nw.when(key.str.len_chars() > 0).then(key)
    campaign = nw.coalesce(
        _column(names, "campaign_name"), _column(names, "campaign_id"), nw.lit("(no campaign)")
    )
    checks = (
        frame.lazy.select(
            _column(names, "callID").alias("callID"),
            campaign.alias("campaign"),
            nw.col("call_start"),
            _column(names, "lead_phone").str.replace_all(r"\D", "").alias("_digits"),
            _column(names, "pass_disposition").alias("_pass"),
            _column(names, "agent_disposition").alias("_agent"),
            *_raw_location(names),
        )
        .with_columns(key.alias("_key"))
        .with_columns(nw.concat_str(nw.lit(_MASK), nw.col("_key").str.slice(-4)).alias("number"))
    )
    columns = ["callID", "campaign", "call_start", "_key", "number", "_pass", "_agent"]
    checks = _with_location(frame, checks)
    return checks.select(*columns, *_LOCATION, "local_start")


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
