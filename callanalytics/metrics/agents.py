"""Agent performance on answered calls: volume, handle time, occupancy, conversion.

Definitions (Engage's ``duration`` runs from the call's start to its end, so time on hold
is already inside it):

- **talk** = duration − hold; **hold** = ``on_hold``; **wrap** = ``agent_wrap_time``;
- **handle** = duration + wrap (= talk + hold + wrap); **AHT** = handle / answered calls;
- **occupancy** = handle / (handle + wait), where wait is ``agent_wait_time``.

The team has two handle times, and a report names both (:data:`TEAM_HANDLE_TIMES`):
``aht_all_calls`` pools every answered call (total handle / answered calls), while
``median_agent_aht`` takes each ranked agent's own AHT and then the middle agent.

One agent is one ``agent_id``; the name shown is the one on the agent's latest call, so a
renamed agent stays one row. Agents below ``min_calls`` answered calls are listed but not
ranked, and AHT outliers are flagged against the ranked team with Tukey's fences (beyond
1.5 IQR).

Every function takes the typed Dialer frame (polars eager or lazy, a DuckDB relation or a
PySpark DataFrame) and returns the same kind; durations are computed in whole milliseconds.
"""

from __future__ import annotations

import narwhals as nw

from callanalytics.metrics._frames import (
    Native,
    Success,
    ordered_picks,
    rate_nw,
    round_half_even,
    success_nw,
)

__all__ = [
    "TEAM_HANDLE_TIMES",
    "agent_calls_per_hour",
    "agent_disposition_mix",
    "agent_performance",
    "team_summary",
]

#: The team's two handle times, so that no report shows one under the other's name:
#: column of :func:`team_summary` -> (the header a reader sees, its definition).
TEAM_HANDLE_TIMES: dict[str, tuple[str, str]] = {
    "aht_all_calls": (
        "Handle time, all calls (mean)",
        "every answered call's handle time (duration + wrap) added up and divided by the "
        "answered calls, whichever agent took them",
    ),
    "median_agent_aht": (
        "Median agent's average handle time",
        "each ranked agent's own average handle time, then the middle agent's (the mean of "
        "the two middle agents when their number is even); unranked agents are left out",
    ),
}

_TOTALS = ("talk", "hold", "wrap", "wait", "handle")
_DURATIONS = (*_TOTALS, *(f"avg_{name}" for name in _TOTALS if name != "handle"), "aht")


def _handled(frame: Native) -> nw.LazyFrame:
    """Answered calls that reached an agent, with their display name and times in ms."""
    duration = frame.ms("duration")
    return frame.lazy.filter(
        (nw.col("pass_disposition") == "ANSWER") & ~nw.col("agent_id").is_null()
    ).with_columns(
        _name=nw.concat_str(
            nw.col("agent_first_name"),
            nw.col("agent_last_name"),
            separator=" ",
            ignore_nulls=True,
        ),
        _talk=duration - frame.ms("on_hold").fill_null(0),
        _handle=duration.fill_null(0) + frame.ms("agent_wrap_time").fill_null(0),
        _hold=frame.ms("on_hold"),
        _wrap=frame.ms("agent_wrap_time"),
        _wait=frame.ms("agent_wait_time"),
        _t_known=~nw.col("call_start").is_null(),
    )


def _with_latest_name(frame: Native, table: nw.LazyFrame, handled: nw.LazyFrame) -> nw.LazyFrame:
    """Put ``agent_name`` (the name on the agent's latest call) right after ``agent_id``."""
    latest = {"agent_name": ("_name", ["_t_known", "call_start"], True)}
    handled, picks = ordered_picks(frame, handled, ["agent_id"], latest)
    names = handled.group_by("agent_id").agg(*picks)
    rest = [c for c in table.collect_schema().names() if c != "agent_id"]
    return table.join(names, on="agent_id", how="left").select("agent_id", "agent_name", *rest)


def _whole_ms(total: str) -> nw.Expr:
    """A total divided by the calls, floored to a whole millisecond (as polars divides)."""
    return (nw.col(total) / nw.col("calls")).floor().cast(nw.Int64)


def _per_agent(
    frame: Native, handled: nw.LazyFrame, success: Success, min_calls: int
) -> nw.LazyFrame:
    """One row per ``agent_id``: calls, totals and averages in ms, rates, ``ranked``."""
    transfer = ~nw.col("transfer_type").is_null() | ~nw.col("transfer_phone").is_null()
    return (
        handled.with_columns(
            _success=success_nw("agent_disposition", success),
            _transfer=transfer,
        )
        .group_by("agent_id")
        .agg(
            nw.len().alias("calls"),
            *[nw.col(f"_{name}").sum().fill_null(0).alias(name) for name in _TOTALS],
            frame.true_count(nw.col("_success")).cast(frame.count_dtype).alias("conversions"),
            frame.true_count(nw.col("_transfer")).cast(frame.count_dtype).alias("transfers"),
        )
        .with_columns(
            *[_whole_ms(name).alias(f"avg_{name}") for name in _TOTALS if name != "handle"],
            _whole_ms("handle").alias("aht"),
            rate_nw(nw.col("handle"), nw.col("handle") + nw.col("wait")).alias("occupancy"),
            rate_nw(nw.col("conversions"), nw.col("calls")).alias("conversion_rate"),
            rate_nw(nw.col("transfers"), nw.col("calls")).alias("transfer_rate"),
            (nw.col("calls") >= min_calls).alias("ranked"),
        )
    )


def agent_performance(calls, *, success: Success = None, min_calls: int = 20):
    """One row per agent (``agent_id``, latest name), best converters first among the ranked.

    Columns: ``calls`` (answered calls handled); ``talk`` (duration − hold), ``hold``,
    ``wrap``, ``wait`` and ``handle`` (duration + wrap) totals and their ``avg_*`` means
    (Durations); ``aht`` (handle per call); ``occupancy`` (handle / (handle + wait));
    ``conversions`` and ``conversion_rate`` (agent dispositions the ``success`` rule counts,
    see :func:`~callanalytics.metrics.disposition_split`); ``transfer_rate``; ``ranked``
    (at least ``min_calls`` calls), ``rank`` and ``aht_outlier`` (``"high"``, ``"low"`` or
    null).

    Example:
        >>> import callanalytics as ca
        >>> table = agent_performance(ca.sample_dialer_results(n=2_000), min_calls=5)
        >>> table.select("agent_id", "calls", "aht").height > 5
        True
    """
    frame = Native(calls)
    handled = _handled(frame)
    per_agent = _per_agent(frame, handled, success, min_calls)
    # Tukey's fences over the ranked agents' AHT (exact quantiles, linear interpolation).
    ranked_aht = nw.when(nw.col("ranked")).then(nw.col("aht"))
    fences = per_agent.select(
        ranked_aht.quantile(0.25, "linear").alias("_q1"),
        ranked_aht.quantile(0.75, "linear").alias("_q3"),
    )
    q1, q3 = nw.col("_q1"), nw.col("_q3")
    fence = (q3 - q1) * 1.5
    value = nw.col("aht")
    out = (
        per_agent.join(fences, how="cross")
        .with_columns(
            nw.when(nw.col("ranked"))
            .then(nw.col("conversion_rate").rank("min", descending=True).over("ranked"))
            .cast(frame.count_dtype)
            .alias("rank"),
            nw.when(~nw.col("ranked"))
            .then(None)
            .when(value > q3 + fence)
            .then(nw.lit("high"))
            .when(value < q1 - fence)
            .then(nw.lit("low"))
            .alias("aht_outlier"),
        )
        .drop("_q1", "_q3")
    )
    out = _with_latest_name(frame, out, handled).sort(
        ["ranked", "rank", "calls", "agent_id"],
        descending=[True, False, True, False],
        nulls_last=True,
    )
    return frame.back(out, durations=_DURATIONS)


def agent_disposition_mix(calls):
    """Share of each agent disposition per agent (``agent_id``, latest name; answered calls).

    Example:
        >>> import callanalytics as ca
        >>> mix = agent_disposition_mix(ca.sample_dialer_results(n=1_000))
        >>> mix.columns
        ['agent_id', 'agent_name', 'agent_disposition', 'calls', 'share']
    """
    frame = Native(calls)
    handled = _handled(frame)
    mix = (
        handled.group_by("agent_id", "agent_disposition")
        .agg(nw.len().alias("calls"))
        .with_columns((nw.col("calls") / nw.col("calls").sum().over("agent_id")).alias("share"))
    )
    out = _with_latest_name(frame, mix, handled).sort(
        ["agent_name", "agent_id", "calls", "agent_disposition"],
        descending=[False, False, True, False],
        nulls_last=True,
    )
    return frame.back(out)


def agent_calls_per_hour(calls):
    """Answered calls per logged hour, per agent (``agent_id``, latest name) and day.

    Engage's dialer report has no login sessions, so logged time is estimated as the time
    the agent was busy with or waiting for calls: handle + wait = duration + wrap + wait
    (hold is inside duration).

    Example:
        >>> import callanalytics as ca
        >>> agent_calls_per_hour(ca.sample_dialer_results(n=1_000)).columns[-1]
        'calls_per_hour'
    """
    frame = Native(calls)
    handled = _handled(frame)
    per_day = (
        handled.with_columns(
            nw.col("call_start").dt.date().alias("day"),
            (nw.col("_handle") + nw.col("_wait").fill_null(0)).alias("_logged"),
        )
        .group_by("agent_id", "day")
        .agg(nw.len().alias("calls"), nw.col("_logged").sum().fill_null(0).alias("logged"))
        .with_columns(
            rate_nw(nw.col("calls"), nw.col("logged") / 3_600_000).alias("calls_per_hour")
        )
    )
    out = _with_latest_name(frame, per_day, handled).sort(
        ["agent_name", "agent_id", "day"], nulls_last=True
    )
    return frame.back(out, durations=["logged"])


def team_summary(calls, *, success: Success = None, min_calls: int = 20):
    """The team in one row, from the same per-agent numbers as :func:`agent_performance`.

    Columns: ``agents`` (agents with an answered call), ``ranked_agents`` (those with at
    least ``min_calls``), ``answered_calls``, ``conversions`` and ``conversion_rate``
    (conversions / answered calls, under the ``success`` rule); and the two handle times of
    :data:`TEAM_HANDLE_TIMES` (Durations, whole milliseconds): ``aht_all_calls``, total
    handle / answered calls (floored, as each agent's AHT), and ``median_agent_aht``, the
    median of the ranked agents' AHTs (exact, linear interpolation, rounded half to even).
    With no answered calls the counts are 0 and the rate and times null; with no ranked
    agent ``median_agent_aht`` is null.

    Example:
        >>> import callanalytics as ca
        >>> row = team_summary(ca.sample_dialer_results(n=2_000), min_calls=5).row(0, named=True)
        >>> row["agents"] >= row["ranked_agents"] > 0
        True
    """
    frame = Native(calls)
    per_agent = _per_agent(frame, _handled(frame), success, min_calls)
    count = frame.count_dtype
    answered = nw.col("answered_calls")
    ranked_aht = nw.when(nw.col("ranked")).then(nw.col("aht"))
    out = (
        per_agent.select(
            nw.len().cast(count).alias("agents"),
            frame.true_count(nw.col("ranked")).cast(count).alias("ranked_agents"),
            nw.col("calls").sum().fill_null(0).cast(count).alias("answered_calls"),
            nw.col("conversions").sum().fill_null(0).cast(count).alias("conversions"),
            nw.col("handle").sum().alias("_handle"),
            ranked_aht.quantile(0.5, "linear").alias("_median"),
        )
        .with_columns(
            rate_nw(nw.col("conversions"), answered).alias("conversion_rate"),
            nw.when(answered > 0)
            .then((nw.col("_handle") / answered).floor().cast(nw.Int64))
            .alias("aht_all_calls"),
            round_half_even(nw.col("_median")).alias("median_agent_aht"),
        )
        .drop("_handle", "_median")
    )
    return frame.back(out, durations=list(TEAM_HANDLE_TIMES))
