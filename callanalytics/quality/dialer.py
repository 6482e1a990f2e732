"""Data-quality checks on a Dialer Result Download frame."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import narwhals as nw

from callanalytics.metrics._engine import Native
from callanalytics.quality.shared import NULL_JUMP, null_checks, reader_checks, window_check
from callanalytics.quality.table import Check, Checks
from callanalytics.quality.texts import clock, text, with_stamps

__all__ = ["AGENT_FIELDS", "ANSWERED", "MAX_DURATION", "dialer_quality", "needs"]

#: Longest plausible call or wait: anything longer is a unit or clock error.
MAX_DURATION = timedelta(hours=12)
#: Agent fields that only a call an agent handled can have.
AGENT_FIELDS = ("agent_id", "username", "agent_first_name", "agent_last_name", "agent_disposition")
#: ``pass_disposition`` values where a person answered (ABANDON: answered, no agent in time).
ANSWERED = ("ANSWER", "ABANDON")
_MAX_MS = int(MAX_DURATION / timedelta(milliseconds=1))


def needs(frame: Native, columns: tuple[str, ...], what: str) -> None:
    """A clear error when the frame lacks the columns the reader always gives."""
    names = set(frame.schema.names())
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValueError(
            f"{what}: missing column(s) {', '.join(missing)}; pass the frame the reader returned"
        )


def _duration_checks(frame: Native, key: nw.Expr) -> list[Check]:
    durations = [c for c in frame.durations if not c.startswith("speed_to_lead")]
    listed = ", ".join(durations)

    def first(name: str, description: str, test) -> Check:
        mask = nw.any_horizontal(
            *[test(frame.ms(c)).fill_null(False) for c in durations] or [nw.lit(False)],
            ignore_nulls=False,
        )
        shown = [
            nw.when(test(frame.ms(c))).then(
                nw.concat_str(key, nw.lit(f": {c} "), clock(frame.ms(c)))
            )
            for c in durations
        ]
        example = nw.coalesce(*shown) if shown else nw.lit(None).cast(nw.String)
        return Check(name, description + f" ({listed})", mask, example)

    return [
        first("negative_duration", "A negative duration", lambda v: v < 0),
        first("duration_over_12h", "A duration over 12 hours", lambda v: v > _MAX_MS),
    ]


def dialer_quality(
    calls,
    *,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    baseline=None,
    read_report=None,
    null_jump: float = NULL_JUMP,
):
    """Data-quality checks on a Dialer Result Download frame, one row per check.

    Checks: ``duplicate_call_id`` (rows sharing a callID), ``agent_on_unanswered`` (agent
    fields filled where no person answered: ``pass_disposition`` not ANSWER or ABANDON),
    ``agent_conn_before_first_pass`` (``speed_to_lead_agent_conn`` shorter than
    ``speed_to_lead_first_pass``), ``dial_before_upload`` (``call_start`` before the lead
    list's ``upload_date``), ``negative_duration`` and ``duration_over_12h`` (any Duration
    column), ``outside_window`` (``call_start`` outside ``[start, end)``; a bare date is
    midnight in call_start's zone), ``column_went_empty`` (per column, against ``baseline``,
    e.g. the last 30 days), and from ``read_report``: ``coerced_to_null`` and ``dst_gap``
    (per column), ``dst_repeated``, ``blank_rows``. Examples are the first five affected
    rows in call order, named by callID.

    ``read_report`` is a mapping (or an object with the same attributes) holding
    ``coerced`` and ``gaps`` (and optionally ``repeated``): ``{column: count}``, and
    ``blank_rows``: an int. Polars (eager or lazy), DuckDB or Spark in; the same kind out.

    Example:
        >>> import callanalytics as ca
        >>> table = dialer_quality(ca.sample_dialer_results(n=500))
        >>> table.columns
        ['check', 'column', 'description', 'rows', 'share', 'examples', 'status']
    """
    frame = Native(calls)
    needs(frame, ("callID", "call_start", "pass_disposition"), "dialer_quality")
    names = frame.schema.names()
    key = nw.concat_str(nw.lit("callID "), text(nw.col("callID")))
    agents = [c for c in AGENT_FIELDS if c in names]
    stamped = [c for c in ("call_start", "upload_date") if c in names]
    checks = Checks(frame, with_stamps(frame, frame.lazy, stamped), ["call_start", "callID"])
    not_answered = ~nw.col("pass_disposition").cast(nw.String).is_in(ANSWERED)
    filled = nw.any_horizontal(
        *[~nw.col(c).is_null() for c in agents] or [nw.lit(False)], ignore_nulls=False
    )
    copies = nw.col("callID").count().over("callID")
    has = set(names)
    conn, first = ("speed_to_lead_agent_conn", "speed_to_lead_first_pass")
    speeds = (conn in has and first in has) and (frame.ms(conn), frame.ms(first))
    uploaded = "upload_date" in has
    for check in [
        Check(
            "duplicate_call_id",
            "Rows whose callID appears more than once",
            (copies > 1) & ~nw.col("callID").is_null(),
            nw.concat_str(key, nw.lit(" ×"), copies.cast(nw.String)),
            "callID",
        ),
        Check(
            "agent_on_unanswered",
            "Agent fields (" + ", ".join(agents) + ") filled on calls no person answered "
            "(pass_disposition not " + " or ".join(ANSWERED) + ")",
            not_answered & filled,
            nw.concat_str(
                key, nw.lit(": "), text(nw.col("pass_disposition")), nw.lit(" with agent fields")
            ),
        ),
        Check(
            "agent_conn_before_first_pass",
            "speed_to_lead_agent_conn shorter than speed_to_lead_first_pass (connected "
            "before the first dial)",
            (speeds[0] < speeds[1]) if speeds else nw.lit(False),
            nw.concat_str(
                key,
                nw.lit(": agent_conn "),
                clock(speeds[0]),
                nw.lit(" < first_pass "),
                clock(speeds[1]),
            )
            if speeds
            else nw.lit(None),
            "speed_to_lead_agent_conn",
            needs=(conn, first),
        ),
        Check(
            "dial_before_upload",
            "A dial (call_start) before its lead list's upload_date",
            (nw.col("call_start") < nw.col("upload_date")) if uploaded else nw.lit(False),
            nw.concat_str(
                key,
                nw.lit(": dialled "),
                nw.col("_stamp_call_start"),
                nw.lit(", uploaded "),
                nw.col("_stamp_upload_date"),
            )
            if uploaded
            else nw.lit(None),
            "upload_date",
            needs=("upload_date",),
        ),
        *_duration_checks(frame, key),
    ]:
        checks.add(check)
    window_check(checks, "call_start", start, end, key)
    null_checks(checks, baseline, null_jump)
    reader_checks(checks, read_report)
    return frame.back(checks.table())
