"""Report tables: a frame as a plain HTML table that fits an 800 px window and survives being
emailed (styles inline)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import polars as pl

from callanalytics.display.formats import format_table
from callanalytics.display.labels import label

__all__ = ["Table", "table"]

_TABLE = "border-collapse:collapse;font-size:13px;margin:0.25em 0 1em 0;table-layout:auto"
_HEAD = "padding:4px 6px;border-bottom:1px solid #888;vertical-align:bottom;white-space:normal"
_CELL = "padding:3px 6px;border-bottom:1px solid #e4e4e4"
_UNBROKEN = '<span style="white-space:nowrap">{}</span>'


class Table:
    """A frame shown as a plain HTML table: labelled headers that wrap, display text, numbers
    right-aligned and unbroken, dates and times each kept whole (``2024-10-30 11:30`` never
    splits at its hyphen, but may put the time under the date in a narrow table); styles
    inline so the table survives being emailed."""

    def __init__(
        self,
        frame: pl.DataFrame,
        rates: tuple[str, ...] = (),
        *,
        labels: Mapping[str, str] | None = None,
        empty: str = "No rows in this window.",
    ) -> None:
        self.numeric = {
            n for n, t in frame.schema.items() if t.is_numeric() or isinstance(t, pl.Duration)
        }
        temporal = {n for n, t in frame.schema.items() if t.is_temporal()} - self.numeric
        self.datetimes = {n for n in temporal if isinstance(frame.schema[n], pl.Datetime)}
        self.unbroken = self.numeric | (temporal - self.datetimes)
        self.labels = {n: (labels or {}).get(n) or label(n) for n in frame.columns}
        self.frame = format_table(frame, rates)
        self.empty = empty

    def _repr_html_(self) -> str:
        if self.frame.is_empty():
            return f"<p><em>{html.escape(self.empty)}</em></p>"

        def cell(tag: str, name: str, text: str) -> str:
            base = _HEAD if tag == "th" else _CELL
            # numbers, dates and times never break; nor does the first column (the row's name)
            unbroken = tag == "td" and (name in self.unbroken or name == self.frame.columns[0])
            align = "right" if name in self.numeric else "left"
            style = f"{base};text-align:{align}" + (";white-space:nowrap" if unbroken else "")
            shown = html.escape(text)
            if tag == "td" and name in self.datetimes and not unbroken:
                # the date and the time each stay whole; a narrow table may stack them
                shown = " ".join(_UNBROKEN.format(part) for part in shown.rsplit(" ", 1))
            return f'<{tag} style="{style}">{shown}</{tag}>'

        head = "".join(cell("th", n, self.labels[n]) for n in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(cell("td", n, v) for n, v in row.items()) + "</tr>"
            for row in self.frame.iter_rows(named=True)
        )
        return (
            f'<table class="ca-table" style="{_TABLE}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        return repr(self.frame.rename(self.labels))


def table(
    frame: pl.DataFrame,
    rates: tuple[str, ...] = (),
    *,
    labels: Mapping[str, str] | None = None,
    empty: str = "No rows in this window.",
) -> Table:
    """Display ``frame`` in a report: human headers (``LABELS``, overridden by ``labels``),
    durations, money, counts and the named rates formatted; ``empty`` shown for no rows.

    Example:
        >>> shown = table(pl.DataFrame({"within_5m": [0.5]}), rates=("within_5m",))
        >>> "Within 5 min" in shown._repr_html_()
        True
    """
    return Table(frame, rates, labels=labels, empty=empty)
