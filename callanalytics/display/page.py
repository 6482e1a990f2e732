"""What frames a report page: the notebook's look, the header saying when and for what the
report was made, and the message shown when a window holds no data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from callanalytics.display.formats import plural
from callanalytics.display.labels import label
from callanalytics.load import window_label
from callanalytics.timezones import canonical_timezone

__all__ = ["no_data", "report_header", "setup_notebook", "window_text"]


def setup_notebook() -> None:
    """Report look: charts as inline SVG (offline), tables without shape and dtype lines."""
    from callanalytics.charts import use_static_charts

    use_static_charts()
    pl.Config.set_tbl_hide_dataframe_shape(True)
    pl.Config.set_tbl_hide_column_data_types(True)
    pl.Config.set_tbl_rows(30)


def window_text(start: date | str, end: date | str) -> str:
    """The days ``[start, end)`` as a reader says them: the end is exclusive in the
    parameters, inclusive in words (the runner's :func:`~callanalytics.load.window_label`).

    Example:
        >>> window_text("2024-11-01", "2024-11-08"), window_text("2024-10-28", "2024-11-11")
        ('1–7 November 2024', '28 October – 10 November 2024')
    """
    return window_label(start, end)


def no_data(start: date | str | None, end: date | str | None, what: str = "calls") -> str:
    """The Markdown shown instead of a report when the window holds no rows.

    Example:
        >>> no_data("2024-11-01", "2024-11-02").splitlines()[0]
        '## No data for 1 November 2024'
    """
    window = window_text(start, end) if start and end else "this window"
    return (
        f"## No data for {window}\n\n"
        f"The source returned no {what} for this window, so there is nothing to report. "
        "Check the dates and filters above, or that the export covers these days."
    )


def _names(values: Sequence[Any]) -> str:
    names = [str(v) for v in values]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _source_text(source: str) -> str:
    if source == "sample":
        return "the built-in sample data"
    if source == "api":
        return "downloaded from the API"
    return f"the file {Path(source).name}"


def _sentence(key: str, value: Any) -> str:
    if key == "source":
        return f"Data: {_source_text(str(value))}."
    if key == "timezone":
        return f"Times are in {value}."
    if key in ("campaigns", "affiliates"):
        return f"All {key}." if not value else f"Only {key} {_names(value)}."
    if key == "success_dispositions":
        if not value:
            return "Conversions follow the default rule."
        return f"Conversions are calls dispositioned {_names(value)}."
    if key == "min_calls":
        return f"Agents with fewer than {plural(value, 'answered call')} are listed but not ranked."
    shown = _names(value) if isinstance(value, list | tuple) and value else value
    return f"{label(key)}: {shown if shown not in ([], (), '') else 'none'}."


def report_header(
    parameters: Mapping[str, Any],
    *,
    timezone: str | None = None,
    now: datetime | None = None,
) -> str:
    """Markdown saying when the report was generated (in the report's time zone: the
    ``timezone`` parameter, else ``timezone``, else UTC) and, in sentences, for what.

    Example:
        >>> from datetime import UTC
        >>> print(report_header({"source": "sample", "start": "2024-11-01",
        ...     "end": "2024-11-08", "campaigns": []}, timezone="America/New_York",
        ...     now=datetime(2024, 11, 8, 14, 30, tzinfo=UTC)))
        ### 1–7 November 2024
        <BLANKLINE>
        Generated 2024-11-08 09:30 EST (America/New_York).
        <BLANKLINE>
        - Window: 1–7 November 2024 (2024-11-01 up to, not including, 2024-11-08).
        - Data: the built-in sample data.
        - All campaigns.
    """
    zone_name = canonical_timezone(str(parameters.get("timezone") or timezone or "UTC"))
    zone = ZoneInfo(zone_name)
    moment = (now or datetime.now(zone)).astimezone(zone)
    rest = dict(parameters)
    start, end = rest.pop("start", None), rest.pop("end", None)
    # The window under the report's title, as a reader reads it.
    lines = [f"### {window_text(start, end)}", ""] if start and end else []
    lines += [f"Generated {moment:%Y-%m-%d %H:%M %Z} ({zone_name}).", ""]
    if start and end:
        lines.append(f"- Window: {window_text(start, end)} ({start} up to, not including, {end}).")
    for key, value in rest.items():
        lines.append(f"- {_sentence(key, value)}")
    return "\n".join(lines)
