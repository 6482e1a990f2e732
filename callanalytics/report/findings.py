"""What ``--fail-on`` looks at: the compliance rules that failed and the data-quality checks
that found rows, computed from the loaded data (never from a notebook's output).

Example:
    >>> from callanalytics.report.registry import FAIL_ON
    >>> FAIL_ON["violations"]
    'compliance'
"""

from __future__ import annotations

from callanalytics.load import load_window
from callanalytics.report.loading import Memo
from callanalytics.report.prepare import PreparedReport, load_report_data
from callanalytics.report.registry import FAIL_ON, notebook_defaults


def report_findings(prepared: PreparedReport, memo: Memo | None = None) -> list[str]:
    """What ``--fail-on`` looks at, computed from the loaded data (never from a notebook's
    output): the compliance rules whose status is ``fail`` for ``compliance``, the
    data-quality checks that found rows for ``data-quality``, nothing for other reports.

    Example:
        >>> from callanalytics.report import prepare_report
        >>> report_findings(prepare_report("compliance", start="2024-11-01", end="2024-11-08"))
        ['calling_hours', 'abandonment', 'frequency_24h', 'do_not_call']
    """
    if prepared.name not in FAIL_ON.values():
        return []
    values = {**notebook_defaults(prepared.name), **prepared.parameters}
    calls = load_report_data(
        prepared.name, prepared.source, prepared.start, prepared.end, values, memo
    ).frame
    if prepared.name == "compliance":
        from callanalytics.metrics.compliance import compliance_summary

        summary = compliance_summary(
            calls,
            rules=values.get("rules") or None,
            abandon_limit=values["abandon_limit"],
            abandon_margin=values["abandon_margin"],
            dnc_dispositions=values.get("dnc_dispositions") or None,
        )
        return summary.filter(summary["status"] == "fail")["rule"].to_list()
    from callanalytics.quality import dialer_quality, leadflow_quality

    tables = [dialer_quality(calls, start=prepared.start, end=prepared.end)]
    if prepared.source in ("sample", "api"):
        traffic = load_window("leadflow", prepared.source, prepared.start, prepared.end).frame
        tables.append(leadflow_quality(traffic, start=prepared.start, end=prepared.end))
    return [
        f"{source}: {check}"
        for source, found in zip(("dialer", "leadflow"), tables, strict=False)
        for check in found.filter(found["status"] == "found")["check"].unique(maintain_order=True)
    ]
