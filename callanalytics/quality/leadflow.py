"""Data-quality checks on a LeadFlow History frame."""

from __future__ import annotations

from datetime import date, datetime

import narwhals as nw

from callanalytics.metrics._engine import Native
from callanalytics.quality.dialer import needs
from callanalytics.quality.shared import NULL_JUMP, null_checks, reader_checks, window_check
from callanalytics.quality.table import Check, Checks
from callanalytics.quality.texts import text, with_stamps

__all__ = ["leadflow_quality"]

_NEEDED = (
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
)


def _say(*parts) -> nw.Expr:
    """Text from literal strings and expressions (cast to text)."""
    return nw.concat_str(*[nw.lit(p) if isinstance(p, str) else p.cast(nw.String) for p in parts])


def _checks(frame: Native, key: nw.Expr) -> list[Check]:
    zero = nw.lit(0).cast(frame.schema["margin"])
    offer = nw.col("offer_price").fill_null(zero)
    payout = nw.col("affiliate_price").fill_null(zero)
    reported = nw.col("margin").fill_null(zero)
    talk, total = frame.ms("talk_seconds"), frame.ms("total_seconds")

    def tenths(minutes: str, seconds: nw.Expr, secs: str) -> Check:
        # tenths of a minute are 6 s: the minutes must be floor or ceil of seconds / 6 s
        shown = frame.ms(minutes)
        low = (seconds // 6000) * 6000
        high = low + nw.when(seconds % 6000 > 0).then(6000).otherwise(0)
        return Check(
            f"{minutes}_not_tenths",
            f"{minutes} is not {secs} in tenths of a minute",
            (shown != low) & (shown != high),
            _say(
                key,
                f": {minutes} ",
                (shown / 60000).round(1),
                f" min, {secs} ",
                seconds // 1000,
                " s",
            ),
            minutes,
        )

    ceil = (total + 59_999) // 60_000 * 60_000
    state_now = nw.col("lf_state").str.strip_chars().str.to_uppercase()
    state_caller = nw.col("state").str.strip_chars().str.to_uppercase()
    status = nw.col("lead_status").cast(nw.String)
    copies = nw.col("sid").count().over("sid")
    return [
        Check(
            "margin_mismatch",
            "Reported margin differs from offer_price − affiliate_price",
            reported != offer - payout,
            _say(key, ": margin ", reported, " ≠ ", offer, " − ", payout),
            "margin",
        ),
        Check(
            "talk_over_total",
            "talk_seconds longer than total_seconds",
            talk > total,
            _say(key, ": talk ", talk // 1000, " s > total ", total // 1000, " s"),
            "talk_seconds",
        ),
        Check(
            "call_duration_not_ceil",
            "call_duration is not total_seconds rounded up to whole minutes",
            frame.ms("call_duration") != ceil,
            _say(
                key,
                ": call_duration ",
                frame.ms("call_duration") / 60000,
                " min, total ",
                total // 1000,
                " s",
            ),
            "call_duration",
        ),
        tenths("talk_minutes", talk, "talk_seconds"),
        tenths("total_minutes", total, "total_seconds"),
        Check(
            "affiliate_paid_unqualified",
            "Affiliate paid (affiliate_qualified) on a call that was not offer-qualified "
            "(negative margin)",
            nw.col("affiliate_qualified") & ~nw.col("offer_qualified").fill_null(False),
            _say(key, ": affiliate paid ", payout, ", no offer revenue"),
            "affiliate_qualified",
        ),
        Check(
            "affiliate_paid_not_connected",
            "affiliate_qualified while lead_status is not Connected",
            nw.col("affiliate_qualified") & (status != "Connected"),
            _say(key, ": lead_status ", text(status)),
            "affiliate_qualified",
        ),
        Check(
            "state_mismatch",
            "lf_state (used to match offers) differs from the caller's state (reverse lookup)",
            state_now != state_caller,
            _say(key, ": lf_state ", state_now, ", state ", state_caller),
            "lf_state",
        ),
        Check(
            "duplicate_sid",
            "Rows whose sid appears more than once",
            (copies > 1) & ~nw.col("sid").is_null(),
            _say(key, " ×", copies),
            "sid",
        ),
    ]


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
    baseline and reader checks of :func:`~callanalytics.quality.dialer_quality` (on
    ``call_date``). Examples are the first five affected calls in call order, named by sid.

    Example:
        >>> import callanalytics as ca
        >>> table = leadflow_quality(ca.sample_leadflow_history(n=500))
        >>> "margin_mismatch" in table["check"].to_list()
        True
    """
    frame = Native(traffic)
    needs(frame, _NEEDED, "leadflow_quality")
    key = nw.concat_str(nw.lit("sid "), text(nw.col("sid")))
    checks = Checks(frame, with_stamps(frame, frame.lazy, ["call_date"]), ["call_date", "sid"])
    for check in _checks(frame, key):
        checks.add(check)
    window_check(checks, "call_date", start, end, key)
    null_checks(checks, baseline, null_jump)
    reader_checks(checks, read_report)
    return frame.back(checks.table())
