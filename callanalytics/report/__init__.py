"""Run a report notebook with papermill and export it as a self-contained HTML report.

The runner checks everything it can before a kernel starts: the report name, every ``-p``
parameter's name and type, the time zone, the filters and the data itself, which it loads
once to settle the window (a file's own date range when no dates are given) and count rows.

One job per module:

- :mod:`~callanalytics.report.registry`: the reports, the data each reads, their notebooks
  and parameters (``REPORTS``, ``DATA``, ``SECOND_DATA``, ``FAIL_ON``);
- :mod:`~callanalytics.report.parameters`: ``-p`` values read and checked;
- :mod:`~callanalytics.report.loading`: each report's data loaded once per run;
- :mod:`~callanalytics.report.prepare`: a report checked and its window settled
  (:func:`prepare_report`), with the lead funnel's second source
  (:mod:`~callanalytics.report.lead_funnel`);
- :mod:`~callanalytics.report.naming`: output file names;
- :mod:`~callanalytics.report.render` and :mod:`~callanalytics.report.kernel`: papermill,
  the kernel it starts and the HTML export;
- :mod:`~callanalytics.report.findings` and :mod:`~callanalytics.report.quality_inputs`:
  what ``--fail-on`` sees, and what the data-quality report compares against.

Example:
    >>> from callanalytics.report import REPORTS
    >>> sorted(REPORTS)  # doctest: +NORMALIZE_WHITESPACE
    ['affiliate-margin', 'agent-performance', 'compliance', 'data-quality', 'lead-funnel',
     'speed-to-lead']
"""

# callanalytics.report.Path stays reachable, as before the split (tests build paths with it).
from pathlib import Path as Path

from callanalytics.report.findings import report_findings
from callanalytics.report.kernel import (
    PLAIN_TCP_NOTICE,
    PlainTcpNoticeFilter,
    launch_quiet_kernel,
)
from callanalytics.report.lead_funnel import dialer_window_end, sale_value_from_text
from callanalytics.report.parameters import is_secret_name, parameter_from_text
from callanalytics.report.prepare import PreparedReport, prepare_report
from callanalytics.report.quality_inputs import BASELINE_DAYS, QualityInputs, quality_inputs
from callanalytics.report.registry import (
    DATA,
    FAIL_ON,
    REPORTS,
    RESERVED_PARAMETERS,
    SECOND_DATA,
    ReportError,
    notebook_parameters,
    notebook_path,
)
from callanalytics.report.render import RenderedReport, render_prepared, render_report

__all__ = [
    "BASELINE_DAYS",
    "DATA",
    "FAIL_ON",
    "PLAIN_TCP_NOTICE",
    "REPORTS",
    "RESERVED_PARAMETERS",
    "SECOND_DATA",
    "PlainTcpNoticeFilter",
    "PreparedReport",
    "QualityInputs",
    "RenderedReport",
    "ReportError",
    "dialer_window_end",
    "is_secret_name",
    "launch_quiet_kernel",
    "notebook_parameters",
    "notebook_path",
    "parameter_from_text",
    "prepare_report",
    "quality_inputs",
    "render_prepared",
    "render_report",
    "report_findings",
    "sale_value_from_text",
]
