"""Data-quality findings: can yesterday's Dialer and LeadFlow numbers be trusted?

One function per source, :func:`dialer_quality` and :func:`leadflow_quality`, each returning
one row per check (and one per column for the null-share check), with the columns of
:data:`QUALITY_SCHEMA`:

- ``check``: the check's name; ``column``: the column it is about, when it is about one;
- ``description``: what it looks for, in words;
- ``rows``: rows affected (null when the check could not run, e.g. no ``read_report``);
- ``share``: ``rows`` over the frame's rows (null on an empty frame);
- ``examples``: up to five rows named by ``callID``/``sid`` (never a phone number or name;
  numbers that must be shown are masked to their last four digits);
- ``status``: ``ok`` (nothing found), ``found``, or ``not checked``.

Reader-side counts (values coerced to null with ``strict=False``, local times in the DST gap
or the repeated hour, blank rows dropped) cannot be seen in the frame: pass what the reader
counted as ``read_report`` (a mapping or an object with ``coerced``, ``gaps``, ``repeated``
and ``blank_rows``; see :func:`dialer_quality`). Both functions take eager or lazy frames
and return the same kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import polars as pl

from callanalytics.dates import as_instant
from callanalytics.metrics._frames import match_laziness

__all__ = ["QUALITY_SCHEMA", "dialer_quality", "leadflow_quality", "null_shares"]

#: The columns every quality table has.
QUALITY_SCHEMA: dict[str, pl.DataType] = {
    "check": pl.String(),
    "column": pl.String(),
    "description": pl.String(),
    "rows": pl.UInt32(),
    "share": pl.Float64(),
    "examples": pl.List(pl.String()),
    "status": pl.String(),
}

#: Longest plausible call or wait: anything longer is a unit or clock error.
MAX_DURATION = timedelta(hours=12)
#: A column whose null share grows by more than this (0.25 = 25 points) over the baseline
#: is reported: a column that suddenly goes empty is usually a schema change upstream.
NULL_JUMP = 0.25
#: Agent fields that only a call an agent handled can have.
AGENT_FIELDS = ("agent_id", "username", "agent_first_name", "agent_last_name", "agent_disposition")
#: ``pass_disposition`` values where a person answered (ABANDON: answered, no agent in time).
ANSWERED = ("ANSWER", "ABANDON")

_MASK = "•••"


_PARTS = {
    "check": pl.String(),
    "column": pl.String(),
    "description": pl.String(),
    "rows": pl.UInt32(),
    "examples": pl.List(pl.String()),
}


class _Check:
    """One check: a row mask (True = affected) and how to name an affected row."""

    def __init__(self, name: str, description: str, mask: pl.Expr, example: pl.Expr, column=None):
        self.name, self.description, self.column = name, description, column
        self.mask, self.example = mask.fill_null(False), example

    def frame(self, data: pl.LazyFrame) -> pl.LazyFrame:
        return data.select(
            check=pl.lit(self.name),
            column=pl.lit(self.column, pl.String),
            description=pl.lit(self.description),
            rows=self.mask.sum().cast(pl.UInt32),
            examples=self.example.filter(self.mask)
            .cast(pl.String)
            .unique(maintain_order=True)
            .head(5)
            .implode(),
        )


def _row(name: str, description: str, rows: int | None, column: str | None = None):
    """A check whose count is known without the frame (or that could not run: rows None)."""
    return pl.LazyFrame(
        {
            "check": [name],
            "column": [column],
            "description": [description],
            "rows": [rows],
            "examples": [[]],
        },
        schema=_PARTS,
    )


def _finish(parts: list[pl.LazyFrame], data: pl.LazyFrame) -> pl.LazyFrame:
    total = data.select(_n=pl.len().cast(pl.UInt32))
    return (
        pl.concat([p.select(*_PARTS) for p in parts], how="vertical")
        .with_row_index("_i")
        .join(total, how="cross")
        .sort("_i")
        .select(
            "check",
            "column",
            "description",
            "rows",
            share=pl.when(pl.col("_n") > 0).then(pl.col("rows") / pl.col("_n")),
            examples=pl.col("examples").list.eval(pl.element().drop_nulls()),
            status=pl.when(pl.col("rows").is_null())
            .then(pl.lit("not checked"))
            .when(pl.col("rows") > 0)
            .then(pl.lit("found"))
            .otherwise(pl.lit("ok")),
        )
    )


def _text(value: pl.Expr) -> pl.Expr:
    return value.cast(pl.String).fill_null("null")


def _clock(value: pl.Expr) -> pl.Expr:
    """A Duration as ``[-]H:MM:SS`` for an example."""
    seconds = value.dt.total_seconds()
    sign = pl.when(seconds < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    s = seconds.abs()
    return pl.format(
        "{}{}:{}:{}",
        sign,
        s // 3600,
        (s % 3600 // 60).cast(pl.String).str.zfill(2),
        (s % 60).cast(pl.String).str.zfill(2),
    )


def _stamp(schema: pl.Schema, column: str) -> pl.Expr:
    """A timestamp for an example, with its zone's abbreviation when it has one."""
    dtype = schema.get(column)
    aware = isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    return pl.col(column).dt.to_string("%Y-%m-%d %H:%M:%S" + (" %Z" if aware else ""))


def _get(report, key: str, default):
    if report is None:
        return default
    if isinstance(report, Mapping):
        return report.get(key, default)
    return getattr(report, key, default)


def _reader_checks(report) -> list[pl.LazyFrame]:
    """What the reader counted and the frame cannot show."""
    specs = (
        (
            "coerced_to_null",
            "coerced",
            "values that could not be read and became null (read with strict=False)",
        ),
        ("dst_gap", "gaps", "local times in the spring-forward gap (they do not exist: null)"),
        (
            "dst_repeated",
            "repeated",
            "local times in the repeated fall-back hour (read as the earlier instant)",
        ),
    )
    blank = "blank rows dropped by the reader (not in the frame)"
    if report is None:
        why = " — not checked: pass what the reader counted as read_report="
        return [
            _row(name, text[0].upper() + text[1:] + why, None)
            for name, text in [(n, t) for n, _, t in specs] + [("blank_rows", blank)]
        ]
    parts: list[pl.LazyFrame] = []
    for name, key, text in specs:
        counts = dict(_get(report, key, None) or {})
        if not counts:
            parts.append(_row(name, text[0].upper() + text[1:], 0))
        for column, count in sorted(counts.items()):
            parts.append(_row(name, f"{column}: {text}", int(count), column))
    parts.append(
        _row("blank_rows", blank[0].upper() + blank[1:], int(_get(report, "blank_rows", 0) or 0))
    )
    return parts


def _window_check(data: pl.LazyFrame, column: str, zone: str | None, start, end, key: pl.Expr):
    name = "outside_window"
    if start is None and end is None:
        text = f"{column} outside the requested window — not checked: no start/end given"
        return _row(name, text, None, column)

    def bound(value) -> datetime:
        # a naive column is compared in its own wall clock
        instant = as_instant(value, zone or "UTC")
        return instant if zone else instant.replace(tzinfo=None)

    bounds = []
    mask = pl.lit(False)
    if start is not None:
        first = bound(start)
        mask = mask | (pl.col(column) < pl.lit(first))
        bounds.append(f"from {first.isoformat()}")
    if end is not None:
        last = bound(end)
        mask = mask | (pl.col(column) >= pl.lit(last))
        bounds.append(f"until {last.isoformat()} (excluded)")
    return _Check(
        name,
        f"{column} outside the requested window ({', '.join(bounds)})",
        mask,
        pl.format("{}: {}", key, _stamp(data.collect_schema(), column)),
        column,
    ).frame(data)


def null_shares(frame, baseline=None):
    """Share of nulls per column now and in ``baseline`` (one row per column of ``frame``).

    Columns: ``column``, ``nulls`` (UInt32), ``share`` and ``baseline_share`` (Float64, null
    without a baseline or on an empty frame), ``change`` (share − baseline_share).

    Example:
        >>> frame = pl.DataFrame({"a": [1, None], "b": [None, None]})
        >>> null_shares(frame, pl.DataFrame({"a": [1, 2], "b": [1, None]}))["change"].to_list()
        [0.5, 0.5]
    """

    def shares(data, prefix):
        names = data.collect_schema().names()
        if not names:
            return pl.LazyFrame(schema={"column": pl.String(), prefix: pl.Float64()})
        return (
            data.lazy()
            .select(pl.len().alias("_n"), *[pl.col(c).null_count().alias(c) for c in names])
            .unpivot(index="_n", variable_name="column", value_name="_nulls")
            .select(
                "column",
                pl.col("_nulls").cast(pl.UInt32).alias(f"{prefix}_nulls"),
                pl.when(pl.col("_n") > 0).then(pl.col("_nulls") / pl.col("_n")).alias(prefix),
            )
        )

    now = shares(frame, "share").rename({"share_nulls": "nulls"})
    if baseline is None:
        out = now.with_columns(baseline_share=pl.lit(None, pl.Float64))
    else:
        then = shares(baseline, "baseline_share").drop("baseline_share_nulls")
        out = now.join(then, on="column", how="left", maintain_order="left")
    out = out.select(
        "column",
        "nulls",
        "share",
        "baseline_share",
        change=pl.col("share") - pl.col("baseline_share"),
    )
    return match_laziness(frame, out)


def _null_checks(data: pl.LazyFrame, baseline, jump: float) -> list[pl.LazyFrame]:
    name = "column_went_empty"
    if baseline is None:
        return [
            _row(
                name,
                "Columns much emptier than in the last 30 days — not checked: pass the last "
                "30 days as baseline=",
                None,
            )
        ]
    if not 0 < jump <= 1:
        raise ValueError(f"null_jump must be a share in (0, 1], not {jump!r}")
    flagged = (
        null_shares(data, baseline.lazy())
        .filter(pl.col("change") > jump)
        .select(
            check=pl.lit(name),
            column=pl.col("column"),
            description=pl.format(
                "{}: {}% null now against {}% in the baseline (a schema change upstream?)",
                "column",
                (pl.col("share") * 100).round(1),
                (pl.col("baseline_share") * 100).round(1),
            ),
            rows=pl.col("nulls"),
            examples=pl.lit([], pl.List(pl.String)),
        )
    )
    none = (
        _row(name, f"No column's null share grew by more than {jump:.0%} over the baseline", 0)
        .join(flagged.select(_found=pl.len()), how="cross")
        .filter(pl.col("_found") == 0)
    )
    return [flagged, none]


def _zone(data: pl.LazyFrame, column: str) -> str | None:
    dtype = data.collect_schema().get(column)
    return dtype.time_zone if isinstance(dtype, pl.Datetime) else None


def _needs(data: pl.LazyFrame, columns: tuple[str, ...], what: str) -> None:
    names = set(data.collect_schema().names())
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValueError(
            f"{what}: missing column(s) {', '.join(missing)}; pass the frame the reader returned"
        )


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
    (per column), ``dst_repeated``, ``blank_rows``.

    ``read_report`` is a mapping (or an object with the same attributes) holding
    ``coerced`` and ``gaps`` (and optionally ``repeated``): ``{column: count}``, and
    ``blank_rows``: an int.

    Example:
        >>> import callanalytics as ca
        >>> table = dialer_quality(ca.sample_dialer_results(n=500))
        >>> table.columns
        ['check', 'column', 'description', 'rows', 'share', 'examples', 'status']
    """
    data = calls.lazy()
    _needs(data, ("callID", "call_start", "pass_disposition"), "dialer_quality")
    schema = data.collect_schema()
    key = pl.format("callID {}", _text(pl.col("callID")))
    durations = [
        c
        for c, t in schema.items()
        if isinstance(t, pl.Duration) and not c.startswith("speed_to_lead")
    ]
    agents = [c for c in AGENT_FIELDS if c in schema]

    def first_duration(test) -> tuple[pl.Expr, pl.Expr]:
        mask = pl.any_horizontal([test(pl.col(c)).fill_null(False) for c in durations] or [False])
        example = pl.coalesce(
            [
                pl.when(test(pl.col(c))).then(
                    pl.format("{}: {} {}", key, pl.lit(c), _clock(pl.col(c)))
                )
                for c in durations
            ]
            or [pl.lit(None, pl.String)]
        )
        return mask, example

    negative, negative_ex = first_duration(lambda v: v < pl.duration())
    long, long_ex = first_duration(lambda v: v > pl.lit(MAX_DURATION))
    not_answered = ~pl.col("pass_disposition").cast(pl.String).is_in(ANSWERED)
    filled = pl.any_horizontal([pl.col(c).is_not_null() for c in agents] or [False])
    checks = [
        _Check(
            "duplicate_call_id",
            "Rows whose callID appears more than once",
            pl.col("callID").is_duplicated() & pl.col("callID").is_not_null(),
            pl.format("{} ×{}", key, pl.len().over("callID")),
            "callID",
        ),
        _Check(
            "agent_on_unanswered",
            "Agent fields (" + ", ".join(agents) + ") filled on calls no person answered "
            "(pass_disposition not " + " or ".join(ANSWERED) + ")",
            not_answered & filled,
            pl.format("{}: {} with agent fields", key, _text(pl.col("pass_disposition"))),
        ),
        _Check(
            "agent_conn_before_first_pass",
            "speed_to_lead_agent_conn shorter than speed_to_lead_first_pass (connected "
            "before the first dial)",
            pl.col("speed_to_lead_agent_conn") < pl.col("speed_to_lead_first_pass"),
            pl.format(
                "{}: agent_conn {} < first_pass {}",
                key,
                _clock(pl.col("speed_to_lead_agent_conn")),
                _clock(pl.col("speed_to_lead_first_pass")),
            ),
            "speed_to_lead_agent_conn",
        ),
        _Check(
            "dial_before_upload",
            "A dial (call_start) before its lead list's upload_date",
            pl.col("call_start") < pl.col("upload_date"),
            pl.format(
                "{}: dialled {}, uploaded {}",
                key,
                _stamp(schema, "call_start"),
                _stamp(schema, "upload_date"),
            ),
            "upload_date",
        ),
        _Check(
            "negative_duration",
            "A negative duration (" + ", ".join(durations) + ")",
            negative,
            negative_ex,
        ),
        _Check(
            "duration_over_12h",
            "A duration over 12 hours (" + ", ".join(durations) + ")",
            long,
            long_ex,
        ),
    ]
    needed = {
        "agent_conn_before_first_pass": ("speed_to_lead_agent_conn", "speed_to_lead_first_pass"),
        "dial_before_upload": ("upload_date",),
    }
    parts = [
        c.frame(data)
        if all(col in schema for col in needed.get(c.name, ()))
        else _row(c.name, c.description + " — not checked: column missing", None, c.column)
        for c in checks
    ]
    parts.append(_window_check(data, "call_start", _zone(data, "call_start"), start, end, key))
    parts.extend(_null_checks(data, baseline, null_jump))
    parts.extend(_reader_checks(read_report))
    return match_laziness(calls, _finish(parts, data))


def leadflow_quality(
    traffic,
    *,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    baseline=None,
    read_report=None,
    null_jump: float = NULL_JUMP,
):
    """Data-quality checks on a LeadFlow History frame, one row per check.

    Checks: ``margin_mismatch`` (reported ``margin`` ≠ ``offer_price − affiliate_price``,
    nulls as 0.00), ``talk_over_total`` (``talk_seconds > total_seconds``),
    ``call_duration_not_ceil`` (``call_duration`` ≠ ``total_seconds`` rounded up to whole
    minutes), ``talk_minutes_not_tenths`` and ``total_minutes_not_tenths`` (the minutes not
    within the tenth of a minute that holds the seconds; rounding either way is accepted),
    ``affiliate_paid_unqualified`` (``affiliate_qualified`` on a call that was not
    offer-qualified: negative margin), ``affiliate_paid_not_connected``
    (``affiliate_qualified`` while ``lead_status`` is not Connected), ``state_mismatch``
    (``lf_state`` ≠ the caller's ``state``, both known), ``duplicate_sid``, and the window,
    baseline and reader checks of :func:`dialer_quality` (on ``call_date``).

    Example:
        >>> import callanalytics as ca
        >>> table = leadflow_quality(ca.sample_leadflow_history(n=500))
        >>> "margin_mismatch" in table["check"].to_list()
        True
    """
    data = traffic.lazy()
    _needs(
        data,
        (
            "sid",
            "call_date",
            "margin",
            "offer_price",
            "affiliate_price",
            "talk_seconds",
            "total_seconds",
            "call_duration",
            "talk_minutes",
            "total_minutes",
            "offer_qualified",
            "affiliate_qualified",
            "lead_status",
            "lf_state",
            "state",
        ),
        "leadflow_quality",
    )
    key = pl.format("sid {}", _text(pl.col("sid")))
    zero = pl.lit(0).cast(data.collect_schema()["margin"])
    offer, payout = pl.col("offer_price").fill_null(zero), pl.col("affiliate_price").fill_null(zero)
    expected = offer - payout
    reported = pl.col("margin").fill_null(zero)
    seconds = {c: pl.col(c).dt.total_milliseconds() for c in ("talk_seconds", "total_seconds")}

    def tenths(minutes: str, secs: str) -> _Check:
        # tenths of a minute are 6 s: the minutes must be floor or ceil of seconds / 6 s
        ms, shown = seconds[secs], pl.col(minutes).dt.total_milliseconds()
        low = (ms // 6000) * 6000
        high = low + pl.when(ms % 6000 > 0).then(6000).otherwise(0)
        return _Check(
            f"{minutes}_not_tenths",
            f"{minutes} is not {secs} in tenths of a minute",
            (shown != low) & (shown != high),
            pl.format(
                "{}: {} {} min, {} {} s",
                key,
                pl.lit(minutes),
                (shown / 60000).round(1),
                pl.lit(secs),
                ms // 1000,
            ),
            minutes,
        )

    total_ms = seconds["total_seconds"]
    ceil_ms = (total_ms + 59_999) // 60_000 * 60_000
    state_now = pl.col("lf_state").str.strip_chars().str.to_uppercase()
    state_caller = pl.col("state").str.strip_chars().str.to_uppercase()
    status = pl.col("lead_status").cast(pl.String)
    checks = [
        _Check(
            "margin_mismatch",
            "Reported margin differs from offer_price − affiliate_price",
            reported != expected,
            pl.format("{}: margin {} ≠ {} − {}", key, reported, offer, payout),
            "margin",
        ),
        _Check(
            "talk_over_total",
            "talk_seconds longer than total_seconds",
            pl.col("talk_seconds") > pl.col("total_seconds"),
            pl.format(
                "{}: talk {} s > total {} s", key, seconds["talk_seconds"] // 1000, total_ms // 1000
            ),
            "talk_seconds",
        ),
        _Check(
            "call_duration_not_ceil",
            "call_duration is not total_seconds rounded up to whole minutes",
            pl.col("call_duration").dt.total_milliseconds() != ceil_ms,
            pl.format(
                "{}: call_duration {} min, total {} s",
                key,
                pl.col("call_duration").dt.total_milliseconds() / 60000,
                total_ms // 1000,
            ),
            "call_duration",
        ),
        tenths("talk_minutes", "talk_seconds"),
        tenths("total_minutes", "total_seconds"),
        _Check(
            "affiliate_paid_unqualified",
            "Affiliate paid (affiliate_qualified) on a call that was not offer-qualified "
            "(negative margin)",
            pl.col("affiliate_qualified") & ~pl.col("offer_qualified").fill_null(False),
            pl.format("{}: affiliate paid {}, no offer revenue", key, payout),
            "affiliate_qualified",
        ),
        _Check(
            "affiliate_paid_not_connected",
            "affiliate_qualified while lead_status is not Connected",
            pl.col("affiliate_qualified") & (status != "Connected"),
            pl.format("{}: lead_status {}", key, _text(status)),
            "affiliate_qualified",
        ),
        _Check(
            "state_mismatch",
            "lf_state (used to match offers) differs from the caller's state (reverse lookup)",
            state_now != state_caller,
            pl.format("{}: lf_state {}, state {}", key, state_now, state_caller),
            "lf_state",
        ),
        _Check(
            "duplicate_sid",
            "Rows whose sid appears more than once",
            pl.col("sid").is_duplicated() & pl.col("sid").is_not_null(),
            pl.format("{} ×{}", key, pl.len().over("sid")),
            "sid",
        ),
    ]
    parts = [c.frame(data) for c in checks]
    parts.append(_window_check(data, "call_date", _zone(data, "call_date"), start, end, key))
    parts.extend(_null_checks(data, baseline, null_jump))
    parts.extend(_reader_checks(read_report))
    return match_laziness(traffic, _finish(parts, data))
