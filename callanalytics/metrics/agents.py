"""Agent performance on answered calls: volume, handle time, occupancy, conversion.

Definitions (Engage's ``duration`` runs from the call's start to its end, so time on hold
is already inside it):

- **talk** = duration − hold; **hold** = ``on_hold``; **wrap** = ``agent_wrap_time``;
- **handle** = duration + wrap (= talk + hold + wrap); **AHT** = handle / answered calls;
- **occupancy** = handle / (handle + wait), where wait is ``agent_wait_time``.

One agent is one ``agent_id``; the name shown is the one on the agent's latest call, so a
renamed agent stays one row. Agents below ``min_calls`` answered calls are listed but not
ranked, and AHT outliers are flagged against the ranked team with Tukey's fences (beyond
1.5 IQR).
"""

from __future__ import annotations

import polars as pl

from callanalytics.metrics._frames import Success, like, rate, success_expr

__all__ = ["agent_calls_per_hour", "agent_disposition_mix", "agent_performance"]

_ZERO = pl.duration(milliseconds=0)


def _handled(calls) -> pl.LazyFrame:
    """Answered calls that reached an agent, with their display name and handle time."""
    return (
        calls.lazy()
        .filter((pl.col("pass_disposition") == "ANSWER") & pl.col("agent_id").is_not_null())
        .with_columns(
            _name=pl.concat_str(
                pl.col("agent_first_name"),
                pl.col("agent_last_name"),
                separator=" ",
                ignore_nulls=True,
            ),
            _talk=pl.col("duration") - pl.col("on_hold").fill_null(_ZERO),
            _handle=pl.col("duration").fill_null(_ZERO)
            + pl.col("agent_wrap_time").fill_null(_ZERO),
        )
    )


def _with_latest_name(table: pl.LazyFrame, handled: pl.LazyFrame) -> pl.LazyFrame:
    """Put ``agent_name`` (the name on the agent's latest call) right after ``agent_id``."""
    names = (
        handled.sort("call_start", nulls_last=False, maintain_order=True)
        .group_by("agent_id")
        .agg(agent_name=pl.col("_name").last())
    )
    rest = [c for c in table.collect_schema().names() if c != "agent_id"]
    return table.join(names, on="agent_id", how="left").select("agent_id", "agent_name", *rest)


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
    handled = _handled(calls)
    per_agent = (
        handled.with_columns(_success=success_expr("agent_disposition", success))
        .group_by("agent_id")
        .agg(
            calls=pl.len(),
            talk=pl.col("_talk").sum(),
            hold=pl.col("on_hold").sum(),
            wrap=pl.col("agent_wrap_time").sum(),
            wait=pl.col("agent_wait_time").sum(),
            handle=pl.col("_handle").sum(),
            conversions=pl.col("_success").sum(),
            transfers=(
                pl.col("transfer_type").is_not_null() | pl.col("transfer_phone").is_not_null()
            ).sum(),
        )
        .with_columns(
            avg_talk=pl.col("talk") / pl.col("calls"),
            avg_hold=pl.col("hold") / pl.col("calls"),
            avg_wrap=pl.col("wrap") / pl.col("calls"),
            avg_wait=pl.col("wait") / pl.col("calls"),
            aht=pl.col("handle") / pl.col("calls"),
            occupancy=rate(
                pl.col("handle").dt.total_milliseconds(),
                (pl.col("handle") + pl.col("wait")).dt.total_milliseconds(),
            ),
            conversion_rate=rate(pl.col("conversions"), pl.col("calls")),
            transfer_rate=rate(pl.col("transfers"), pl.col("calls")),
            ranked=pl.col("calls") >= min_calls,
        )
    )
    aht_ms = pl.col("aht").dt.total_milliseconds().filter(pl.col("ranked"))
    q1, q3 = aht_ms.quantile(0.25, "linear"), aht_ms.quantile(0.75, "linear")
    fence = 1.5 * (q3 - q1)
    value = pl.col("aht").dt.total_milliseconds()
    out = per_agent.with_columns(
        rank=pl.when(pl.col("ranked"))
        .then(pl.col("conversion_rate").rank("min", descending=True).over("ranked"))
        .cast(pl.UInt32),
        aht_outlier=pl.when(~pl.col("ranked"))
        .then(None)
        .when(value > q3 + fence)
        .then(pl.lit("high"))
        .when(value < q1 - fence)
        .then(pl.lit("low")),
    )
    out = _with_latest_name(out, handled).sort(
        ["ranked", "rank", "calls", "agent_id"],
        descending=[True, False, True, False],
        nulls_last=True,
    )
    return like(calls, out)


def agent_disposition_mix(calls):
    """Share of each agent disposition per agent (``agent_id``, latest name; answered calls).

    Example:
        >>> import callanalytics as ca
        >>> mix = agent_disposition_mix(ca.sample_dialer_results(n=1_000))
        >>> mix.columns
        ['agent_id', 'agent_name', 'agent_disposition', 'calls', 'share']
    """
    handled = _handled(calls)
    mix = (
        handled.group_by("agent_id", "agent_disposition")
        .agg(calls=pl.len())
        .with_columns(share=pl.col("calls") / pl.col("calls").sum().over("agent_id"))
    )
    out = _with_latest_name(mix, handled).sort(
        ["agent_name", "agent_id", "calls", "agent_disposition"],
        descending=[False, False, True, False],
        nulls_last=True,
    )
    return like(calls, out)


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
    handled = _handled(calls)
    per_day = (
        handled.with_columns(day=pl.col("call_start").dt.date())
        .group_by("agent_id", "day")
        .agg(
            calls=pl.len(),
            logged=(pl.col("_handle") + pl.col("agent_wait_time").fill_null(_ZERO)).sum(),
        )
        .with_columns(
            calls_per_hour=rate(
                pl.col("calls"), pl.col("logged").dt.total_milliseconds() / 3_600_000
            )
        )
    )
    out = _with_latest_name(per_day, handled).sort(
        ["agent_name", "agent_id", "day"], nulls_last=True
    )
    return like(calls, out)
