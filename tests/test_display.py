"""Report tables and headers read as words and numbers, not column names and Python reprs
(issue 10, item 14), and say so plainly when a window is empty (item 6)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest

from callanalytics import display
from callanalytics.display import fmt_duration, fmt_rate, report_header, table


def _headers(shown: str) -> list[str]:
    return re.findall(r"<th[^>]*>([^<]*)</th>", shown)


def _cells(shown: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", shown)


def test_table_headers_are_words():
    frame = pl.DataFrame(
        {
            "within_5m": [0.25],
            "median": [timedelta(minutes=3)],
            "margin_pct": [0.431],
            "conversion_rate": [0.1],
        }
    )
    shown = table(frame, rates=("within_5m", "margin_pct", "conversion_rate"))._repr_html_()
    assert _headers(shown) == ["Within 5 min", "Median wait", "Margin %", "Conversion rate"]
    assert _cells(shown) == ["25.0%", "3m 00s", "43.1%", "10.0%"]


def test_unknown_columns_get_a_readable_label_and_labels_can_be_overridden():
    shown = table(pl.DataFrame({"cap_hits": [1], "new_measure": [2]}), labels={"cap_hits": "Caps"})
    assert _headers(shown._repr_html_()) == ["Caps", "New measure"]


def test_counts_and_money_have_thousands_separators():
    frame = pl.DataFrame(
        {"calls": [12_345], "revenue": [Decimal("39272.50")], "per_hour": [1234.56]},
        schema_overrides={"revenue": pl.Decimal(38, 2)},
    )
    assert _cells(table(frame)._repr_html_()) == ["12,345", "$39,272.50", "1,234.6"]


def test_numbers_are_right_aligned_and_do_not_break():
    frame = pl.DataFrame({"agent_name": ["Ann Lee"], "aht": [timedelta(minutes=23, seconds=53)]})
    cells = re.findall(r"<td style=\"([^\"]*)\">", table(frame)._repr_html_())
    assert "text-align:left" in cells[0]
    assert "text-align:right" in cells[1] and "white-space:nowrap" in cells[1]


def test_empty_table_says_so():
    frame = pl.DataFrame(schema={"calls": pl.UInt32, "margin_pct": pl.Float64})
    shown = table(frame, rates=("margin_pct",), empty="Nothing to list.")._repr_html_()
    assert "Nothing to list." in shown and "<table" not in shown


def test_a_rate_with_nothing_to_divide_is_a_dash_not_nan():
    assert fmt_rate(float("nan")) == "–" and fmt_rate(None) == "–"
    shown = table(pl.DataFrame({"conversion_rate": [float("nan")]}), rates=("conversion_rate",))
    assert "nan" not in shown._repr_html_()


PARAMETERS = {
    "source": "sample",
    "start": "2024-10-28",
    "end": "2024-11-11",
    "timezone": "America/Los_Angeles",
    "campaigns": [],
    "success_dispositions": [],
    "min_calls": 20,
}


def test_parameters_read_as_sentences_not_reprs():
    header = report_header(PARAMETERS, now=datetime(2024, 11, 11, 14, 0, tzinfo=UTC))
    assert header.splitlines()[0] == "### 28 October – 10 November 2024"  # under the title
    assert "[]" not in header and "'" not in header and "`" not in header
    assert "Window: 28 October – 10 November 2024" in header
    assert "All campaigns." in header
    assert "Data: the built-in sample data." in header
    assert "fewer than 20 answered calls" in header


def test_filters_and_files_are_named():
    header = report_header(
        {"source": "/data/exports/dialer_oct.csv", "campaigns": ["10452", "Solar"]},
        now=datetime(2024, 11, 11, tzinfo=UTC),
    )
    assert "the file dialer_oct.csv" in header and "/data/exports" not in header
    assert "Only campaigns 10452 and Solar." in header


@pytest.mark.parametrize(
    ("zone", "fallback", "expected"),
    [
        ("America/Los_Angeles", None, "Generated 2024-11-11 06:00 PST (America/Los_Angeles)."),
        (None, "America/New_York", "Generated 2024-11-11 09:00 EST (America/New_York)."),
        ("US/Eastern", None, "Generated 2024-11-11 09:00 EST (America/New_York)."),
        (None, None, "Generated 2024-11-11 14:00 UTC (UTC)."),
    ],
)
def test_generated_time_is_in_the_reports_time_zone(zone, fallback, expected):
    parameters = {"timezone": zone} if zone else {}
    now = datetime(2024, 11, 11, 14, 0, tzinfo=UTC)
    header = report_header(parameters, timezone=fallback, now=now)
    assert header.splitlines()[0] == expected


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2024-11-01", "2024-11-08", "1–7 November 2024"),
        (date(2024, 11, 4), date(2024, 11, 5), "4 November 2024"),
        ("2024-10-28", "2024-11-11", "28 October – 10 November 2024"),
        ("2024-12-30", "2025-01-03", "30 December 2024 – 2 January 2025"),
    ],
)
def test_window_reads_with_an_inclusive_last_day(start, end, words):
    assert display.window_text(start, end) == words


def test_no_data_page_names_the_window():
    text = display.no_data("2020-01-01", "2020-01-08")
    assert text.startswith("## No data for 1–7 January 2020")
    assert display.no_data("", "").startswith("## No data for this window")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (timedelta(hours=2, minutes=6, seconds=55), "2h 07m"),
        (timedelta(hours=2, minutes=6, seconds=30), "2h 07m"),  # half up
        (timedelta(hours=2, minutes=6, seconds=29, milliseconds=999), "2h 06m"),
        (timedelta(minutes=59, seconds=59, milliseconds=600), "1h 00m"),
        (timedelta(minutes=59, seconds=29), "59m 29s"),
        (timedelta(minutes=4, seconds=20, milliseconds=500), "4m 21s"),  # not banker's 4m 20s
        (timedelta(seconds=2, milliseconds=500), "3s"),
        (timedelta(seconds=59, milliseconds=500), "1m 00s"),
        (timedelta(milliseconds=400), "0s"),
        (timedelta(hours=23, minutes=59, seconds=30), "1d 00h"),
        (timedelta(days=1, hours=5, minutes=30), "1d 06h"),
        (timedelta(days=1, hours=5, minutes=29, seconds=59), "1d 05h"),
        (-timedelta(hours=2, minutes=6, seconds=55), "-2h 07m"),
    ],
)
def test_fmt_duration_rounds_half_up_at_the_shown_precision(value, shown):
    assert fmt_duration(value) == shown


def test_plural_counts():
    assert [display.plural(n, "call") for n in (0, 1, 2, 1500)] == [
        "0 calls", "1 call", "2 calls", "1,500 calls"
    ]  # fmt: skip
    assert display.plural(1, "was", "were", count=False) == "was"
    assert display.plural(3, "was", "were", count=False) == "were"


def test_datetimes_and_dates_in_tables_do_not_wrap():
    frame = pl.DataFrame(
        {
            "affiliate": ["Delta Leads"],
            "note": ["a long free text that may wrap"],
            "call_date": [datetime(2024, 10, 30, 11, 30, tzinfo=UTC)],
            "day": [date(2024, 10, 30)],
        }
    )
    markup = display.table(frame)._repr_html_()
    styles = {
        text: style for style, text in re.findall(r'<td style="([^"]*)">([^<]*)</td>', markup)
    }
    # A date or a time never splits inside ("2024-10-" / "30"); a table at 800 px may still
    # put the time under the date (the compliance findings overflowed with both unbroken).
    unbroken = '<span style="white-space:nowrap">'
    assert f"{unbroken}2024-10-30</span> {unbroken}11:30</span>" in markup
    assert "white-space:nowrap" in styles["Wed 30 Oct 2024"]
    assert "nowrap" not in styles["a long free text that may wrap"]
