"""The lead funnel's second source: the Dialer results its LeadFlow callers are followed
into, checked and loaded before any kernel starts, and the parameters that shape it
(``within_days``, ``region``, ``sale_value``, ``by``), tried on zero rows.

Example:
    >>> dialer_window_end(date(2024, 11, 11), 30, "sample")
    datetime.date(2024, 12, 11)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from callanalytics.load import LoadedWindow
from callanalytics.report.loading import Memo, load_once, load_options
from callanalytics.report.registry import ReportError


def sale_value_from_text(text: str) -> Decimal | None:
    """The lead funnel's ``sale_value`` parameter: dollars as text (``"300"``, ``"$1,249.99"``)
    as a ``Decimal``; empty text is None (counts only).

    Example:
        >>> sale_value_from_text("$1,249.99"), sale_value_from_text("")
        (Decimal('1249.99'), None)
    """
    text = text.strip()
    if not text:
        return None
    try:
        amount = Decimal(text.removeprefix("$").replace(",", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValueError(
            f"must be an amount of dollars like 300 or 249.99 (or empty), not {text!r}"
        )
    return amount


def dialer_window_end(end: date, within_days: int, source: str) -> date:
    """The day after the last Dialer day the lead funnel reads: ``within_days`` past the
    LeadFlow window's end, so a caller dialed back after the window is not "never dialed"
    (from the API, no later than tomorrow).

    Example:
        >>> dialer_window_end(date(2024, 11, 11), 30, "sample")
        datetime.date(2024, 12, 11)
    """
    last = end + timedelta(days=within_days)
    return min(last, date.today() + timedelta(days=1)) if source == "api" else last


def second_source(
    name: str,
    source: str,
    dialer: str | None,
    loaded: LoadedWindow,
    values: Mapping[str, Any],
    memo: Memo | None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The lead funnel's Dialer results: checked, loaded for ``[start, end + within_days)``
    and its parameters tried on zero rows, all before a kernel starts. Returns the
    parameters to add (``dialer``) and the note the CLI prints."""
    from callanalytics import metrics
    from callanalytics.phones import check_region

    if dialer is None:
        if source not in ("sample", "api"):
            raise ReportError(
                f"report {name!r} reads Dialer results too: give --dialer PATH (or --source "
                "sample/api), so it does not silently run on the sample"
            )
        dialer = source
    elif dialer not in ("sample", "api"):
        dialer = str(Path(dialer).expanduser().resolve())
    within = values.get("within_days", 30)
    if within < 1:
        raise ReportError(
            f"parameter within_days of report {name!r} must be 1 or more, not {within}"
        )
    try:
        region = check_region(values.get("region") or "")
    except ValueError as error:
        reason = str(error).removeprefix("region ")
        raise ReportError(f"parameter region of report {name!r} {reason}") from None
    try:
        sale_value = sale_value_from_text(str(values.get("sale_value") or ""))
    except ValueError as error:
        raise ReportError(f"parameter sale_value of report {name!r} {error}") from None
    end = dialer_window_end(loaded.end, within, dialer)
    calls = load_once("dialer", dialer, loaded.start, end, load_options("dialer", values), memo)
    try:  # the notebook's own calls, on zero rows: a bad `by` or rule fails here, not in cell 5
        metrics.lead_funnel(
            loaded.frame.head(0),
            calls.frame.head(0),
            by=values.get("by") or "affiliate",
            within=timedelta(days=within),
            success=values.get("success_dispositions") or None,
            sale_value=sale_value,
            region=region,
        )
    except ValueError as error:
        raise ReportError(f"report {name!r}: {error}") from None
    note = (
        f"dialer: {calls.frame.height:,} rows loaded for {calls.label} "
        f"(callbacks up to {within} days after the window)"
    )
    return {"dialer": dialer}, (note,)
