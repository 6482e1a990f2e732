"""The lead-funnel report (issue 12) rendered end to end: what it says on the sample, with a
sale value and another grouping, and that callbacks after the window's end count.

The checks every report shares (title, no code, inline charts, empty window, browser widths,
secrets and phone numbers) run on it in tests/test_reports.py.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

import callanalytics as ca
from callanalytics import charts, metrics
from callanalytics.display import fmt_duration, fmt_rate
from callanalytics.report import render_report


def _text(path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def _words(path) -> str:
    """The page's visible text, one space between words (tags and charts removed)."""
    page = re.sub(
        r"<svg\b.*?</svg>|<style\b.*?</style>|<script\b.*?</script>", " ", _text(path), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _summary(start: str, end: str, dialer_end: str, **options):
    traffic = ca.load_leadflow_history("sample", start, end)
    calls = ca.load_dialer_results("sample", start, dialer_end)
    return metrics.lead_funnel_summary(traffic, calls, **options).row(0, named=True)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("funnel")
    return {
        "default": render_report("lead-funnel", output_dir=out / "default"),
        "valued": render_report(
            "lead-funnel",
            output_dir=out / "valued",
            parameters={"sale_value": "300", "by": "offer"},
        ),
        "short": render_report(
            "lead-funnel", start="2024-10-28", end="2024-10-31", output_dir=out / "short"
        ),
    }


@pytest.mark.notebooks
def test_the_headline_states_the_match_rate_as_a_finding(reports):
    words = _words(reports["default"].html)
    row = _summary("2024-10-28", "2024-11-11", "2024-12-11")
    assert row["dial_rate"] < 0.5
    assert (
        f"Only {fmt_rate(row['dial_rate'])} of callers were dialed back: {row['dialed']:,} of "
        f"{row['callers']:,} callers had a first dial within 30 days after their call."
    ) in words
    assert f"{fmt_rate(row['contacted'] / row['dialed'])} were reached" in words
    assert f"{fmt_rate(row['converted'] / row['dialed'])} converted" in words
    assert f"the median callback came {fmt_duration(row['median_callback'])}" in words


@pytest.mark.notebooks
def test_the_report_names_reasons_definitions_and_the_dialer_window(reports):
    words = _words(reports["default"].html)
    assert (
        "Dialer results: the built-in sample data, read for 28 October – 10 December 2024: "
        "the window and 30 days after it, so callers dialed back after the window ends count "
        "as dialed back, not as never dialed."
    ) in words
    row = _summary("2024-10-28", "2024-11-11", "2024-12-11")
    unmatched = row["calls"] - row["matched_calls"]
    assert f"{unmatched:,} calls were not dialed back; most ({row['no_dial']:,}" in words
    for reason in ("Never dialed", "Dialed only before the call", "Dialed too late"):
        assert reason in _text(reports["default"].html)  # the chart's labels
    assert "By affiliate" in words and "Margin per converted caller" in words
    assert "Counts only; give sale_value for downstream revenue" in words
    assert "No sale value given: counts only." in words
    assert metrics.describe_success(None) in words
    assert "Seen but not counted: Not Interested" in words
    assert not re.search(r"\bnan\b|\bNone\b|Traceback", words)


@pytest.mark.notebooks
def test_a_sale_value_adds_downstream_revenue_and_by_regroups(reports):
    words = _words(reports["valued"].html)
    assert "Each downstream sale is worth $300.00." in words
    assert "Downstream revenue" in words and "Total margin" in words
    assert "Counts only" not in words
    assert "By offer" in words and "Acme Insurance" in words
    traffic = ca.load_leadflow_history("sample")
    calls = ca.load_dialer_results("sample", "2024-10-28", "2024-12-11")
    funnel = metrics.lead_funnel(traffic, calls, by="offer", sale_value=Decimal(300))
    best = funnel.sort("total_margin", descending=True).row(0, named=True)
    assert f"${best['total_margin']:,.2f}" in words


@pytest.mark.notebooks
def test_callbacks_after_the_window_end_count_as_dialed(reports):
    words = _words(reports["short"].html)
    read = _summary("2024-10-28", "2024-10-31", "2024-11-30")
    cut = _summary("2024-10-28", "2024-10-31", "2024-10-31")
    assert read["dialed"] > cut["dialed"]  # the sample calls some of them back later
    assert f"{read['dialed']:,} of {read['callers']:,} callers had a first dial" in words
    assert "read for 28 October – 29 November 2024" in words


# --- the funnel charts, on metric outputs (no kernel) ----------------------------------------


@pytest.fixture(scope="module")
def sample_funnel():
    traffic = ca.load_leadflow_history("sample")
    calls = ca.load_dialer_results("sample", "2024-10-28", "2024-12-11")
    return traffic, calls


def test_the_funnel_charts_draw_the_sample_with_alt_text_and_takeaways(sample_funnel):
    traffic, calls = sample_funnel
    summary = metrics.lead_funnel_summary(traffic, calls)
    funnel = metrics.lead_funnel(traffic, calls)
    figures = [
        charts.unmatched_reasons_bars(summary),
        charts.funnel_bars(funnel),
        charts.margin_per_converted_bars(funnel),
        charts.callback_speed_bars(metrics.callback_outcomes(traffic, calls)),
    ]
    for figure in figures:
        svg = figure.svg()
        assert svg.startswith('<svg role="img"') and "<title id=" in svg, figure.title
        assert html.escape(figure.takeaway) in svg and "e+308" not in svg
    best = funnel.sort("margin_per_converted", descending=True, nulls_last=True).row(0, named=True)
    assert figures[2].takeaway.startswith(f"{best['affiliate']} earned the most per converted")
    assert "Granite Performance the least (-$7.06)" in figures[2].takeaway  # a loss, in red
    assert "#c0392b" in figures[2].svg()


def test_the_funnel_chart_draws_at_most_twelve_groups(sample_funnel):
    traffic, calls = sample_funnel
    by_day = metrics.lead_funnel(traffic, calls, by="day")
    assert by_day.height == 14 > charts.FUNNEL_GROUPS
    figure = charts.funnel_bars(by_day, ["day"])
    assert figure.takeaway.endswith("The 12 groups with the most calls are drawn.")
    drawn = figure.chart.data["group"].unique(maintain_order=True).to_list()
    busiest = set(by_day.sort("calls", descending=True, maintain_order=True)["day"][:12])
    assert drawn == [str(d) for d in by_day["day"] if d in busiest]  # still in date order


def test_the_funnel_charts_say_no_data_on_empty_frames(sample_funnel):
    traffic, calls = sample_funnel
    empty = traffic.head(0)
    funnel = metrics.lead_funnel(empty, calls)
    assert charts.funnel_bars(funnel).chart is None
    assert charts.margin_per_converted_bars(funnel).chart is None
    assert charts.callback_speed_bars(metrics.callback_outcomes(empty, calls)).chart is None
    assert charts.unmatched_reasons_bars(metrics.lead_funnel_summary(empty, calls)).chart is None
