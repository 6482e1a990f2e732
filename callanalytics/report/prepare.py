"""Everything checked before a kernel starts: the report, its parameters, its data (loaded
once to settle the window and count rows) and, for the lead funnel, its second source.

Example:
    >>> prepared = prepare_report("speed-to-lead", start="2024-11-01", end="2024-11-08")
    >>> prepared.stem
    'speed-to-lead_2024-11-01_2024-11-08'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from callanalytics.load import LoadedWindow, check_dispositions, window_label
from callanalytics.report.lead_funnel import second_source
from callanalytics.report.loading import Memo, load_once, load_options
from callanalytics.report.naming import report_stem, variant
from callanalytics.report.parameters import check_parameters
from callanalytics.report.registry import (
    DATA,
    SECOND_DATA,
    notebook_defaults,
    notebook_path,
)


@dataclass(frozen=True)
class PreparedReport:
    """A report checked and ready to run: its data loaded once, its window settled."""

    name: str
    notebook: Path
    source: str
    start: date
    end: date
    rows: int
    parameters: dict[str, Any] = field(default_factory=dict)
    #: Lines the CLI prints under "N rows loaded", e.g. what a second source loaded.
    notes: tuple[str, ...] = ()
    #: The parameters given that differ from the notebook's defaults, as a file-name part
    #: ("campaigns-10452"), so reports of one window with other parameters do not overwrite
    #: each other; empty for the defaults.
    variant: str = ""

    @property
    def stem(self) -> str:
        """The output files' name: ``<report>_<start>_<end>[_<variant>]``."""
        return report_stem(self.name, self.start, self.end, self.variant)

    @property
    def window(self) -> str:
        """The window as a reader reads it, e.g. ``1–7 November 2024``."""
        return window_label(self.start, self.end)

    @property
    def values(self) -> dict[str, Any]:
        """Everything papermill passes to the notebook's parameters cell."""
        return {
            "source": self.source,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            **self.parameters,
        }


def load_report_data(
    name: str,
    source: str,
    start: date | str | None,
    end: date | str | None,
    values: Mapping[str, Any],
    memo: Memo | None = None,
) -> LoadedWindow:
    """The data report ``name`` reports on (its ``DATA``), with the loader options its
    parameter ``values`` set, loaded once per distinct question across ``memo``.

    Example:
        >>> load_report_data("affiliate-margin", "sample", "2024-11-01", "2024-11-02", {}).label
        '1 November 2024'
    """
    kind = DATA[name]
    return load_once(kind, source, start, end, load_options(kind, values), memo)


def prepare_report(
    name: str,
    *,
    source: str = "sample",
    start: date | str | None = None,
    end: date | str | None = None,
    parameters: Mapping[str, Any] | None = None,
    memo: Memo | None = None,
    dialer: str | None = None,
) -> PreparedReport:
    """Check report ``name`` and its parameters, load its data once and settle the window:
    the dates given, else the sample's window, a file's own date range, or the last 7 days
    from the API. Nothing is written and no kernel starts. A report that reads a second
    kind of data (``SECOND_DATA``: the lead funnel's Dialer results) takes it from
    ``dialer`` (default: ``source`` when that is ``sample`` or ``api``).

    Example:
        >>> prepared = prepare_report("speed-to-lead", start="2024-11-01", end="2024-11-08")
        >>> prepared.window, prepared.rows > 0
        ('1–7 November 2024', True)
    """
    notebook = notebook_path(name)
    extra = check_parameters(name, dict(parameters or {}))
    defaults = notebook_defaults(name)
    if source not in ("sample", "api"):
        source = str(Path(source).expanduser().resolve())
    named = variant(extra, defaults)
    loaded = load_report_data(name, source, start, end, {**defaults, **extra}, memo)
    if DATA[name] == "dialer":
        check_dispositions(loaded.frame, extra.get("success_dispositions") or (), loaded.label)
    notes: tuple[str, ...] = ()
    if name in SECOND_DATA:
        second, notes = second_source(name, source, dialer, loaded, {**defaults, **extra}, memo)
        extra = {**extra, **second}
    return PreparedReport(
        name=name,
        notebook=notebook,
        source=source,
        start=loaded.start,
        end=loaded.end,
        rows=loaded.frame.height,
        parameters=extra,
        notes=notes,
        variant=named,
    )
