"""Do-not-call follow-through: dials to a number after an agent recorded a request for it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import narwhals as nw

from callanalytics.metrics._frames import Native, ordered_picks, success_nw
from callanalytics.metrics.compliance.definitions import DNC_PATTERN
from callanalytics.metrics.compliance.location import prepared
from callanalytics.metrics.compliance.native import with_duration_us, with_elapsed_us


def grace_us(grace: timedelta) -> int:
    """``grace`` in whole microseconds (exact: timedelta holds microseconds)."""
    return (grace.days * 86_400 + grace.seconds) * 1_000_000 + grace.microseconds


def dnc_all(
    frame: Native, checks: nw.LazyFrame, dispositions: str | Sequence[str] | None, grace: timedelta
) -> nw.LazyFrame:
    """Every dial to a number with a request: ``requested_at``, ``request_campaign`` and
    ``_after_us`` (microseconds since the first request; null without a call time)."""
    if grace < timedelta(0):
        raise ValueError(f"grace must not be negative, not {grace}")
    rule = success_nw("_agent", DNC_PATTERN if dispositions is None else dispositions)
    asked = checks.filter(rule & ~nw.col("_key").is_null() & ~nw.col("call_start").is_null())
    picks = {"request_campaign": ("campaign", ["call_start", "callID"], False)}
    asked, aggs = ordered_picks(frame, asked, ["_key"], picks)
    requests = asked.group_by("_key").agg(nw.col("call_start").min().alias("requested_at"), *aggs)
    joined = checks.join(requests, on="_key", how="inner")
    return with_elapsed_us(frame, joined, "_after_us", "call_start", "requested_at")


DNC_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "requested_at",
    "request_campaign",
    "after",
)


def dnc_redials(calls, *, dispositions=None, grace: timedelta = timedelta(0)):
    """Dials to a number after an agent recorded a do-not-call request for it.

    A request is an ``agent_disposition`` matching ``dispositions``: by default the whole
    words "Do Not Call" (or "Do-Not-Call") or "DNC", any case; a list means exactly those
    dispositions (any case), a string a regular expression. Every later dial to the number
    (any campaign) more than ``grace`` after its first request is listed: ``callID``,
    ``campaign``, ``number`` (masked), ``call_start``, ``requested_at``,
    ``request_campaign``, ``after`` (a duration, exact to the microsecond: polars
    ``Duration("us")``, DuckDB ``INTERVAL``, Spark ``INTERVAL DAY TO SECOND``). The federal
    rule allows a reasonable time to honour a request; set ``grace`` to the time your
    programme allows.

    Example:
        >>> import callanalytics as ca
        >>> dnc_redials(ca.sample_dialer_results(n=500)).columns[:3]
        ['callID', 'campaign', 'number']
    """
    frame = Native(calls)
    out = dnc_all(frame, prepared(frame), dispositions, grace).filter(
        nw.col("_after_us") > grace_us(grace)
    )
    out = with_duration_us(frame, out, "after", "_after_us")
    return frame.back(out.select(DNC_COLUMNS).sort("call_start", "callID"))
