"""Formatting for report tables: durations as minutes, money as dollars, rates as percent."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

__all__ = [
    "fmt_duration",
    "fmt_money",
    "fmt_rate",
    "format_table",
    "report_header",
    "setup_notebook",
    "table",
]


def setup_notebook() -> None:
    """Report look: charts as inline SVG (offline), tables without shape and dtype lines."""
    from callanalytics.charts import use_static_charts

    use_static_charts()
    pl.Config.set_tbl_hide_dataframe_shape(True)
    pl.Config.set_tbl_hide_column_data_types(True)
    pl.Config.set_tbl_rows(30)


def fmt_duration(value: timedelta | None) -> str:
    """``1h 02m``, ``4m 21s`` or ``35s``.

    Example:
        >>> fmt_duration(timedelta(seconds=261))
        '4m 21s'
    """
    if value is None:
        return "–"
    seconds = round(value.total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def fmt_money(value: Decimal | None) -> str:
    """``$1,234.50``; negatives as ``-$15.00``.

    Example:
        >>> fmt_money(Decimal("-15"))
        '-$15.00'
    """
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def fmt_rate(value: float | None) -> str:
    """A share as a percentage with one decimal.

    Example:
        >>> fmt_rate(0.4123)
        '41.2%'
    """
    return "–" if value is None else f"{value:.1%}"


def format_table(frame: pl.DataFrame, rates: tuple[str, ...] = ()) -> pl.DataFrame:
    """Every column as display text: Durations, Decimals, and the named ``rates``.

    Example:
        >>> format_table(pl.DataFrame({"share": [0.5]}), rates=("share",))["share"][0]
        '50.0%'
    """
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Duration):
            columns.append(col.map_elements(fmt_duration, return_dtype=pl.String))
        elif isinstance(dtype, pl.Decimal):
            columns.append(col.map_elements(fmt_money, return_dtype=pl.String))
        elif name in rates:
            columns.append(col.map_elements(fmt_rate, return_dtype=pl.String))
        else:
            columns.append(col)
    return frame.select(columns)


class Table:
    """A frame shown as a plain HTML table: display text, numbers right-aligned."""

    def __init__(self, frame: pl.DataFrame, rates: tuple[str, ...] = ()) -> None:
        self.numeric = {n for n, t in frame.schema.items() if t.is_numeric() or t.is_temporal()}
        self.frame = format_table(frame, rates)

    def _repr_html_(self) -> str:
        def cell(tag: str, name: str, value: object) -> str:
            align = ' style="text-align:right"' if name in self.numeric else ""
            text = "–" if value is None else html.escape(str(value))
            return f"<{tag}{align}>{text}</{tag}>"

        head = "".join(cell("th", n, n) for n in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(cell("td", n, v) for n, v in row.items()) + "</tr>"
            for row in self.frame.iter_rows(named=True)
        )
        return (
            f'<table class="ca-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )

    def __repr__(self) -> str:
        return repr(self.frame)


def table(frame: pl.DataFrame, rates: tuple[str, ...] = ()) -> Table:
    """Display ``frame`` in a report: durations, money and the named rates formatted.

    Example:
        >>> "<td" in table(pl.DataFrame({"share": [0.5]}), rates=("share",))._repr_html_()
        True
    """
    return Table(frame, rates)


def report_header(parameters: Mapping[str, Any]) -> str:
    """Markdown saying when the report was generated and with which parameters.

    Example:
        >>> print(report_header({"source": "sample"}).splitlines()[-1])
        | `source` | `'sample'` |
    """
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    rows = "\n".join(f"| `{k}` | `{v!r}` |" for k, v in parameters.items())
    return (
        f"Generated {generated} with these parameters:\n\n"
        f"| parameter | value |\n| --- | --- |\n{rows}"
    )
