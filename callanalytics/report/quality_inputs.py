"""The data-quality report's inputs: the reader's own counts and a baseline of earlier days,
and a note for each saying where it came from or why it is missing.

Example:
    >>> quality_inputs("dialer", "some-export.parquet", "2024-11-01").baseline is None
    True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from callanalytics.dates import parse_date
from callanalytics.load import load_window

BASELINE_DAYS = 30


@dataclass(frozen=True)
class QualityInputs:
    """What a data-quality run compares against, and why a part is missing when it is:
    the reader's counts (``read_report``) and the previous days (``baseline``)."""

    read_report: Any = None
    read_note: str = ""
    baseline: Any = None
    baseline_note: str = ""


def quality_inputs(
    kind: Literal["dialer", "leadflow"],
    source: str,
    start: date | str,
    *,
    timezone: str = "America/New_York",
    baseline_days: int = BASELINE_DAYS,
) -> QualityInputs:
    """The reader's counts and a baseline for ``kind`` from ``source``: the sample and
    CSV/JSON files are read again through the reader (``strict=False``) to count values
    read as null, DST-gap and repeated-hour times and blank rows; the baseline is the
    ``baseline_days`` before ``start`` from the sample generator or the API. A file has no
    earlier days, and the API client does not keep the reader's counts: the notes say so.

    Example:
        >>> inputs = quality_inputs("leadflow", "sample", "2024-10-28", baseline_days=2)
        >>> inputs.read_report.blank_rows, inputs.baseline.height > 0
        (0, True)
    """
    from callanalytics.load import SAMPLE_DAYS
    from callanalytics.readers import ScanReport, read_dialer_results, read_leadflow_history
    from callanalytics.sample import (
        DEFAULT_START,
        sample_dialer_results,
        sample_leadflow_history,
    )

    first = parse_date(start, "start")
    assert first is not None
    report: ScanReport | None = ScanReport()
    read_note = ""
    with warnings.catch_warnings():  # the counts are the report; no warnings in it
        warnings.simplefilter("ignore")
        if source == "sample":
            if kind == "dialer":
                raw = sample_dialer_results(
                    start=DEFAULT_START, days=SAMPLE_DAYS, timezone=timezone, raw=True
                )
                read_dialer_results(raw, timezone=timezone, strict=False, report=report)
            else:
                raw = sample_leadflow_history(start=DEFAULT_START, days=SAMPLE_DAYS, raw=True)
                read_leadflow_history(raw, strict=False, report=report)
            read_note = "Reader counts: the sample read through the reader."
        elif source == "api":
            report = None
            read_note = (
                "Reader counts are not available from the API yet: the client reads day by "
                "day and keeps only its warnings."
            )
        elif Path(source).suffix.lower() == ".parquet":
            report = None
            read_note = "Reader counts are not available: a Parquet file is already typed."
        else:
            if kind == "dialer":
                read_dialer_results(source, timezone=timezone, strict=False, report=report)
            else:
                read_leadflow_history(source, strict=False, report=report)
            read_note = f"Reader counts: the whole file {Path(source).name}, read again."
    baseline, baseline_note = None, ""
    before, after = first - timedelta(days=baseline_days), first
    if source == "sample":
        if kind == "dialer":
            baseline = sample_dialer_results(start=before, days=baseline_days, timezone=timezone)
        else:
            baseline = sample_leadflow_history(start=before, days=baseline_days)
        baseline_note = f"Baseline: the sample generator's {baseline_days} days before the window."
    elif source == "api":
        baseline = load_window(kind, "api", before, after, timezone=timezone).frame
        baseline_note = f"Baseline: the {baseline_days} days before the window, from the API."
    else:
        baseline_note = (
            "No baseline: a file holds its own window only, so there are no earlier days to "
            "compare null shares with."
        )
    return QualityInputs(report, read_note, baseline, baseline_note)
