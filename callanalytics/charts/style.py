"""The look every report chart shares: colours, durations in minutes and money in dollars
(only here, for display), legends and axes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import polars as pl

from callanalytics.display import fmt_duration

__all__ = [
    "LOSS",
    "MARGIN",
    "PAYOUT",
    "PRIMARY",
    "REVENUE",
    "SECONDARY",
    "bottom_legend",
    "day_axis",
    "dollars",
    "durations",
    "minutes",
    "money_axis",
]

# Colours: blues and greens for money coming in, never red; red only for a loss.
REVENUE, PAYOUT, MARGIN, LOSS = "#2e7d32", "#e69f00", "#1f5fa8", "#c0392b"
PRIMARY, SECONDARY = "#1f5fa8", "#e69f00"


def minutes(column: str) -> pl.Expr:
    """A duration column as minutes (two decimals), for an axis.

    Example:
        >>> from datetime import timedelta
        >>> pl.DataFrame({"d": [timedelta(seconds=90)]}).select(minutes("d")).item()
        1.5
    """
    return (pl.col(column).dt.total_milliseconds() / 60_000).round(2)


def dollars(column: str) -> pl.Expr:
    """A money (decimal) column as float dollars, for an axis.

    Example:
        >>> from decimal import Decimal
        >>> pl.DataFrame({"m": [Decimal("2.50")]}).select(dollars("m")).item()
        2.5
    """
    return pl.col(column).cast(pl.Float64)


def durations(series: pl.Series) -> list[str]:
    """Each duration as the reports write it (``fmt_duration``), for labels and tooltips."""
    return [fmt_duration(v) for v in series.to_list()]


def bottom_legend(title: str | None = None) -> alt.Legend:
    """A horizontal legend under the chart, its labels never cut (keeps charts narrow)."""
    return alt.Legend(title=title, orient="bottom", direction="horizontal", labelLimit=0)


def money_axis(title: str) -> alt.Axis:
    """A dollar axis with few, whole-dollar labels that never overlap."""
    return alt.Axis(format="$,.0f", tickCount=5, labelFlush=False, labelOverlap=True, title=title)


def day_axis(days: Sequence[date], label: str = "%a %d %b", *, most: int = 5) -> alt.Axis:
    """An axis of calendar days that names at most ``most`` of ``days`` (in order), evenly
    spaced so that labels never crowd, written as ``label``. Use it with a ``utc`` time scale:
    a day is the same day whatever zone draws the chart.

    Example:
        >>> days = [date(2024, 11, d) for d in range(1, 15)]
        >>> [v.to_dict()["date"] for v in day_axis(days).values]
        [1, 4, 7, 10, 13]
    """
    step = max(1, -(-len(days) // most))
    return alt.Axis(
        labelExpr=f"utcFormat(datum.value, '{label}')",
        labelAngle=0,
        values=[
            alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in days[::step]
        ],
    )
