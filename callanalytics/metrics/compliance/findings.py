"""Findings: one row per rule, severity, campaign and binding rule, with masked examples;
and :func:`compliance_checks`, the findings and the summary together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, NamedTuple

import narwhals as nw

from callanalytics.metrics._frames import Native
from callanalytics.metrics.compliance.abandonment import abandon_flagged
from callanalytics.metrics.compliance.definitions import (
    ABANDON_LIMIT,
    COMPLIANCE_RULES,
    DNC_CITATION,
    checked_options,
    federal_rule,
)
from callanalytics.metrics.compliance.dnc import dnc_all, grace_us
from callanalytics.metrics.compliance.frequency import WINDOWS, frequency_all
from callanalytics.metrics.compliance.hours import hours_all
from callanalytics.metrics.compliance.location import prepared, with_example
from callanalytics.metrics.compliance.native import finding_groups
from callanalytics.metrics.compliance.summary import compliance_summary

_KEYS = ["rule", "severity", "campaign", "detail", "citation"]
_SEVERITIES = {"violation": 0, "warning": 1, "unchecked": 2}
_COLUMNS = [*_KEYS, "count", "first", "last", "examples"]


class ComplianceChecks(NamedTuple):
    """The findings and the per-rule summary of :func:`compliance_checks`."""

    #: One row per rule, severity, campaign and binding rule (see :func:`compliance_findings`).
    findings: Any
    #: One row per rule in :data:`COMPLIANCE_RULES` (see :func:`compliance_summary`).
    summary: Any


def _findings(
    frame: Native, group: nw.LazyFrame, rule: str, severity: str, detail: nw.Expr, local: bool
) -> nw.LazyFrame:
    group = with_example(
        frame,
        group.with_columns(
            nw.lit(rule).alias("rule"), nw.lit(severity).alias("severity"), detail.alias("detail")
        ),
        local=local,
    )
    return finding_groups(frame, group, _KEYS, "_ex", ["call_start", "callID"]).select(_COLUMNS)


def _all_findings(frame: Native, rules, limit, margin, dispositions, grace) -> nw.LazyFrame:
    checks = prepared(frame)
    hours = hours_all(frame, checks, rules)
    outside = hours.filter(nw.col("status") == "outside hours")
    unknown = hours.filter(nw.col("status") != "ok", nw.col("status") != "outside hours")
    over = nw.col("calls_in_window") > nw.col("limit")
    dnc = dnc_all(frame, checks, dispositions, grace).filter(nw.col("_after_us") > grace_us(grace))
    parts = [
        _findings(
            frame,
            outside,
            "calling_hours",
            "violation",
            nw.concat_str(
                nw.lit("dialled outside "),
                nw.col("allowed"),
                nw.lit(" local time at the lead ("),
                nw.col("rule_from"),
                nw.lit(" rule)"),
            ),
            local=True,
        ),
        _findings(
            frame,
            unknown.with_columns(nw.lit(federal_rule(rules)["citation"]).alias("citation")),
            "calling_hours",
            "unchecked",
            nw.lit(
                "the lead's time zone could not be determined (no recognised lead_timezone, "
                "state or ZIP), so the local time was not checked"
            ),
            local=False,
        ),
        *[
            _findings(
                frame,
                frequency_all(frame, checks, rules, (window,)).filter(over),
                f"frequency_{window}",
                "violation",
                nw.concat_str(
                    nw.lit("more than "),
                    nw.col("limit").cast(nw.String),
                    nw.lit(f" dials to one number in {label} (per campaign)"),
                ),
                local=False,
            )
            for window, label in zip(WINDOWS, ("24 hours", "30 days"), strict=True)
        ],
        _findings(
            frame,
            dnc.with_columns(nw.lit(DNC_CITATION).alias("citation")),
            "do_not_call",
            "violation",
            nw.lit("dialled again after a do-not-call request"),
            local=False,
        ),
        *[
            _findings(frame, dials, "abandonment", severity, nw.col("detail"), local=False)
            for severity, dials in abandon_flagged(frame, checks, limit, margin)
        ],
    ]
    order = {rule: i for i, rule in enumerate(COMPLIANCE_RULES)}
    return (
        nw.concat(parts, how="vertical")
        .with_columns(
            nw.col("rule")
            .replace_strict(order, default=nw.lit(99), return_dtype=nw.Int64)
            .alias("_order"),
            nw.col("severity")
            .replace_strict(_SEVERITIES, default=nw.lit(99), return_dtype=nw.Int64)
            .alias("_severity"),
        )
        .sort("_order", "_severity", "campaign", "detail", "citation")
        .select(_COLUMNS)
    )


def compliance_findings(
    calls,
    *,
    rules=None,
    abandon_limit: float = ABANDON_LIMIT,
    abandon_margin: float = 0.005,
    dnc_dispositions: str | Sequence[str] | None = None,
    dnc_grace: timedelta = timedelta(0),
):
    """Every compliance finding, one row per rule, severity, campaign and binding rule.

    Columns: ``rule`` (one of :data:`COMPLIANCE_RULES`), ``severity`` (``violation``,
    ``warning`` for an abandonment rate within ``abandon_margin`` of the limit, ``unchecked``
    for dials whose zone is unknown), ``campaign``, ``detail`` (what was broken, in words),
    ``citation``, ``count`` (dials), ``first`` and ``last`` (their call_start), ``examples``
    (up to five dials, numbers masked to their last four digits; a list column). For
    abandonment, the dials are the abandoned calls inside the flagged 30-day periods.

    Example:
        >>> import callanalytics as ca
        >>> compliance_findings(ca.sample_dialer_results(n=500)).columns[:3]
        ['rule', 'severity', 'campaign']
    """
    options = checked_options(rules, abandon_limit, abandon_margin, dnc_dispositions, dnc_grace)
    frame = Native(calls)
    return frame.back(_all_findings(frame, *options))


def compliance_checks(calls, **options) -> ComplianceChecks:
    """Both :func:`compliance_findings` and :func:`compliance_summary`, same options.

    Example:
        >>> import callanalytics as ca
        >>> checks = compliance_checks(ca.sample_dialer_results(n=500))
        >>> checks.summary.height
        5
    """
    return ComplianceChecks(
        compliance_findings(calls, **options), compliance_summary(calls, **options)
    )
