"""Formatting for report tables and headers: human labels, thousands separators, durations as
minutes, money as dollars, rates as percent; tables sized to fit an 800 px window."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from callanalytics.load import window_label
from callanalytics.timezones import canonical_timezone

__all__ = [
    "LABELS",
    "fmt_count",
    "fmt_duration",
    "fmt_money",
    "fmt_rate",
    "format_table",
    "label",
    "no_data",
    "plural",
    "report_header",
    "setup_notebook",
    "table",
    "window_text",
]

#: Column name -> the words a reader sees in a table header.
LABELS: dict[str, str] = {
    # speed to lead
    "leads": "Leads",
    "median": "Median wait",
    "p75": "75th percentile wait",
    "p90": "90th percentile wait",
    "within_1m": "Within 1 min",
    "within_5m": "Within 5 min",
    "within_15m": "Within 15 min",
    "within_60m": "Within 60 min",
    "contact_rate": "Contact rate",
    "conversion_rate": "Conversion rate",
    "speed_bucket": "Wait for first dial",
    "campaign_id": "Campaign id",
    "campaign_name": "Campaign",
    "day": "Day",
    # agents
    "rank": "Rank",
    "agent_id": "Agent id",
    "agent_name": "Agent",
    "agents": "Agents",
    "ranked": "Ranked",
    "calls": "Calls",
    "answered_calls": "Answered calls",
    "conversions": "Conversions",
    "aht": "Average handle time",
    "avg_talk": "Average talk",
    "avg_hold": "Average hold",
    "avg_wrap": "Average wrap",
    "avg_wait": "Average wait between calls",
    "occupancy": "Occupancy",
    "transfer_rate": "Transfer rate",
    "aht_outlier": "Handle time outlier",
    "days": "Days worked",
    "median_calls_per_hour": "Median calls per logged hour",
    "agent_disposition": "Disposition",
    "disposition": "Disposition",
    "counted": "Counted as conversion",
    # affiliates
    "affiliate": "Affiliate",
    "advertiser": "Advertiser",
    "offer": "Offer",
    "lf_state": "State",
    "revenue": "Revenue",
    "payout": "Payout",
    "margin": "Margin",
    "margin_pct": "Margin %",
    "margin_per_call": "Margin per call",
    "connected_rate": "Connected",
    "offer_qualified_rate": "Offer-qualified",
    "affiliate_qualified_rate": "Affiliate-qualified",
    "repeat_caller_share": "Repeat callers",
    "cap_hits": "Cap hits",
    "contested_calls": "Contested calls",
    "revenue_at_risk": "Revenue at risk",
    "leakage_calls": "Paid, not sold (calls)",
    "leakage_payout": "Paid, not sold (payout)",
    "sid": "Call id",
    "call_date": "Call time",
    "caller": "Caller",
    "offer_price": "Offer price",
    "affiliate_price": "Affiliate price",
    "expected_margin": "Expected margin",
    "difference": "Difference",
}


def label(name: str) -> str:
    """The header a reader sees for column ``name``.

    Example:
        >>> label("within_5m"), label("some_new_column")
        ('Within 5 min', 'Some new column')
    """
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def setup_notebook() -> None:
    """Report look: charts as inline SVG (offline), tables without shape and dtype lines."""
    from callanalytics.charts import use_static_charts

    use_static_charts()
    pl.Config.set_tbl_hide_dataframe_shape(True)
    pl.Config.set_tbl_hide_column_data_types(True)
    pl.Config.set_tbl_rows(30)


_DURATION_UNITS = ((86_400, 3_600), (3_600, 60), (60, 1), (0, 1))  # (at least, shown unit) s


def _round_half_up(micros: int, unit: int) -> int:
    """``micros`` (>= 0) rounded half up to a whole number of ``unit`` seconds, in seconds."""
    step = unit * 1_000_000
    return (micros + step // 2) // step * unit


def fmt_duration(value: timedelta | None) -> str:
    """``1h 02m``, ``4m 21s`` or ``35s``, rounded half up at the shown precision.

    The last unit shown is rounded, not cut off (``2h 06m 55s`` → ``2h 07m``), and a value
    that rounds up into the next form takes that form (``59m 59.6s`` → ``1h 00m``).

    Example:
        >>> fmt_duration(timedelta(seconds=261)), fmt_duration(timedelta(seconds=7615))
        ('4m 21s', '2h 07m')
    """
    if value is None:
        return "–"
    micros = abs(value) // timedelta(microseconds=1)
    sign = "-" if value < timedelta(0) and micros else ""
    seconds = micros // 1_000_000
    for at_least, unit in _DURATION_UNITS:
        if seconds >= at_least:
            seconds = _round_half_up(micros, unit)
            break
    if seconds >= 86_400:  # a coarser form needs rounding at its own unit
        seconds = _round_half_up(micros, 3_600)
    elif seconds >= 3_600:
        seconds = _round_half_up(micros, 60)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"


def plural(number: int, singular: str, many: str | None = None, *, count: bool = True) -> str:
    """``1 call``, ``2 calls``: the noun (``many`` or ``singular + "s"``) agreeing with
    ``number``, after the number unless ``count=False``.

    Example:
        >>> plural(1, "call"), plural(1_500, "agent"), plural(2, "was", "were", count=False)
        ('1 call', '1,500 agents', 'were')
    """
    word = singular if number == 1 else (many or f"{singular}s")
    return f"{number:,} {word}" if count else word


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
    """A share as a percentage with one decimal (``–`` when there is nothing to divide).

    Example:
        >>> fmt_rate(0.4123), fmt_rate(float("nan"))
        ('41.2%', '–')
    """
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:.1%}"


def fmt_count(value: float | None) -> str:
    """A count with thousands separators; other numbers with one decimal.

    Example:
        >>> fmt_count(12345), fmt_count(1234.56)
        ('12,345', '1,234.6')
    """
    if value is None or value != value:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}"


def _fmt_value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, timedelta):
        return fmt_duration(value)
    if isinstance(value, Decimal):
        return fmt_money(value)
    if isinstance(value, int | float):
        return fmt_count(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%a %d %b %Y")
    return str(value)


def format_table(frame: pl.DataFrame, rates: tuple[str, ...] = ()) -> pl.DataFrame:
    """Every column as display text: durations, money, counts with thousands separators,
    dates, booleans as yes/no and the named ``rates`` as percentages.

    Example:
        >>> format_table(pl.DataFrame({"share": [0.5], "n": [12345]}), rates=("share",)).row(0)
        ('50.0%', '12,345')
    """
    columns = {}
    for name in frame.columns:
        values = frame[name].to_list()
        fmt = fmt_rate if name in rates else _fmt_value
        columns[name] = pl.Series(name, [fmt(v) for v in values], dtype=pl.String)
    return pl.DataFrame(columns, schema=dict.fromkeys(frame.columns, pl.String))


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
