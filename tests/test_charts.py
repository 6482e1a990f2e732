"""Report charts as a reader sees them: the SVG drawn by vl-convert, checked for the things
that made the first reports hard to read (issue 10, items 15 and 16)."""

from __future__ import annotations

import html
import itertools
import re

import altair as alt
import polars as pl
import pytest

import callanalytics as ca
from callanalytics import charts, metrics
from callanalytics.display import fmt_duration

WEEKDAY_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{2} [A-Z][a-z]{2}$")


@pytest.fixture(scope="module")
def calls():
    return ca.load_dialer_results("sample")


@pytest.fixture(scope="module")
def traffic():
    return ca.load_leadflow_history("sample")


def _svg(figure) -> str:
    """The chart's SVG, whether a function returns a Figure or (before) a bare Altair chart."""
    if hasattr(figure, "svg"):
        return figure.svg()
    import io

    buffer = io.StringIO()
    figure.save(buffer, format="svg")
    return buffer.getvalue()


def _texts(svg: str, role: str) -> list[tuple[float, float, str, str]]:
    """(x, y, anchor, text) of every text element in the groups of one Vega role."""
    return [(x, y, anchor, text) for x, y, anchor, _, text in _sized_texts(svg, role)]


def _sized_texts(svg: str, role: str) -> list[tuple[float, float, str, float, str]]:
    """(x, y, anchor, font size, text) of every text element in one Vega role's groups."""
    found = []
    for group in re.findall(rf'<g class="mark-text role-{role}\b[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", group):
            if 'opacity="0"' in attrs:
                continue  # hidden by Vega's overlap removal: not drawn
            x, y = re.search(r"translate\(([-\d.e]+),([-\d.e]+)\)", attrs).groups()
            anchor = re.search(r'text-anchor="(\w+)"', attrs)
            size = float(re.search(r'font-size="([\d.]+)px"', attrs).group(1))
            start = anchor.group(1) if anchor else "start"
            found.append((float(x), float(y), start, size, text))
    return found


def _axis_labels(svg: str) -> list[list[tuple[float, float, str, float, str]]]:
    """Axis labels with their font size, one list per axis."""
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>.*?</g>', svg, re.S)
    return [_sized_texts(group, "axis-label") for group in groups]


def _all_figures(calls, traffic) -> dict[str, object]:
    return {
        "outcomes": charts.outcomes_by_speed_bars(metrics.outcomes_by_speed(calls)),
        "heatmap": charts.speed_heatmap(metrics.speed_to_lead_heatmap(calls)),
        "campaigns": charts.speed_by_campaign_bars(metrics.speed_to_lead_by(calls, "campaign")),
        "agents": charts.agent_scatter(metrics.agent_performance(calls)),
        "affiliates": charts.affiliate_margin_bars(metrics.affiliate_margin(traffic)),
        "offers": charts.offer_margin_bars(metrics.affiliate_margin(traffic, "offer")),
        "daily": charts.daily_margin_line(metrics.affiliate_margin(traffic, "day")),
    }


@pytest.fixture(scope="module")
def svgs(calls, traffic):
    return {name: _svg(figure) for name, figure in _all_figures(calls, traffic).items()}


def test_horizontal_axis_labels_do_not_collide(svgs):
    # main drew "5,0005,500" under the affiliate bars: two labels 11 px apart.
    for name, svg in svgs.items():
        for axis in _axis_labels(svg):
            rows = {round(y) for _, y, _, _, _ in axis}
            if len(axis) < 2 or len(rows) != 1:
                continue  # a vertical axis: one label per row
            spans = []
            for x, _, anchor, size, text in axis:
                width = 0.55 * size * len(text)  # sans-serif digits are ~0.55 em wide
                left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
                spans.append((left, left + width, text))
            spans.sort()
            for (_, right, a), (left, _, b) in itertools.pairwise(spans):
                assert right <= left, f"{name}: axis labels {a!r} and {b!r} overlap"


def test_no_label_is_cut(svgs):
    for name, svg in svgs.items():
        for axis in _axis_labels(svg):
            cut = [text for *_, text in axis if "…" in html.unescape(text)]
            assert not cut, f"{name}: truncated labels {cut}"


def test_campaign_medians_are_labelled_next_to_p90(calls, svgs):
    by_campaign = metrics.speed_to_lead_by(calls, "campaign")
    texts = [t for *_, t in _texts(svgs["campaigns"], "mark")]
    for value in by_campaign["median"].to_list() + by_campaign["p90"].to_list():
        assert fmt_duration(value) in texts


def test_heatmap_legend_names_its_range(calls, svgs):
    heatmap = metrics.speed_to_lead_heatmap(calls)
    minutes = heatmap["median"].dt.total_milliseconds() / 60_000
    labels = [float(t.replace(",", "")) for *_, t in _texts(svgs["heatmap"], "legend-label")]
    title = " ".join(t for *_, t in _texts(svgs["heatmap"], "legend-title"))
    assert "Median wait" in title and "minutes" in title
    # the lowest and highest labels bracket the data to within one decimal
    assert minutes.min() - 0.1 <= min(labels) <= minutes.min() + 1e-9
    assert minutes.max() - 1e-9 <= max(labels) <= minutes.max() + 0.1


def test_agent_scatter_names_best_and_worst_and_has_no_true_false_legend(calls, svgs):
    performance = metrics.agent_performance(calls).filter(pl.col("ranked"))
    ordered = performance.sort("conversion_rate", descending=True)["agent_name"]
    texts = [t for *_, t in _texts(svgs["agents"], "mark")]
    assert ordered[0] in texts and ordered[-1] in texts
    legend = [t for *_, t in _texts(svgs["agents"], "legend-label")]
    assert "true" not in legend and "false" not in legend


def test_daily_axis_uses_one_date_format_and_says_dollars(svgs):
    horizontal = [
        axis
        for axis in _axis_labels(svgs["daily"])
        if len(axis) > 1 and len({round(y) for _, y, _, _, _ in axis}) == 1
    ]
    dates = [text for axis in horizontal for *_, text in axis]
    assert dates and all(WEEKDAY_DATE.match(t) for t in dates), dates
    titles = [t for *_, t in _texts(svgs["daily"], "axis-title")]
    assert "Dollars" in titles


def _red(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return r > 180 and g < 120 and b < 120


def test_revenue_is_not_drawn_in_red(svgs):
    lines = re.findall(r'<g class="mark-line role-mark[^"]*"[^>]*>(.*?)</g>', svgs["daily"], re.S)
    colours = {c for group in lines for c in re.findall(r'stroke="(#[0-9a-fA-F]{6})"', group)}
    assert colours and not any(_red(c) for c in colours), colours


def test_every_chart_fits_an_800px_window(svgs):
    for name, svg in svgs.items():
        width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
        assert width <= charts.MAX_WIDTH, f"{name} is {width:.0f} px wide"


def test_figures_are_inline_svg_with_alt_text_and_a_takeaway(calls, traffic):
    for name, figure in _all_figures(calls, traffic).items():
        shown = figure._repr_html_()
        assert "data:image" not in shown and "<img" not in shown, name
        assert re.search(r'<svg role="img" aria-labelledby="\S+title \S+desc"', shown), name
        assert f">{html.escape(figure.title)}</title>" in shown, name
        assert f">{html.escape(figure.takeaway)}</desc>" in shown, name
        assert "<figcaption" in shown and html.escape(figure.takeaway) in shown, name
        assert figure.takeaway.endswith(".") and "\n" not in figure.takeaway, name


def test_svg_ids_are_unique_per_chart(calls, traffic):
    # Two heatmaps on one page must not share gradient ids (the second would use the first's).
    one = charts.speed_heatmap(metrics.speed_to_lead_heatmap(calls)).svg()
    two = charts.speed_heatmap(metrics.speed_to_lead_heatmap(calls.head(3_000))).svg()
    ids_one = set(re.findall(r'\bid="([^"]+)"', one))
    ids_two = set(re.findall(r'\bid="([^"]+)"', two))
    assert ids_one and ids_two and not ids_one & ids_two
    for ref in re.findall(r"url\(#([^)]+)\)", one):
        assert ref in ids_one


def test_every_chart_says_no_data_on_an_empty_window(calls, traffic):
    empty_calls = calls.head(0)
    figures = [
        charts.outcomes_by_speed_bars(metrics.outcomes_by_speed(empty_calls)),
        charts.speed_heatmap(metrics.speed_to_lead_heatmap(empty_calls)),
        charts.speed_by_campaign_bars(metrics.speed_to_lead_by(empty_calls, "campaign")),
        charts.agent_scatter(metrics.agent_performance(empty_calls)),
        charts.affiliate_margin_bars(metrics.affiliate_margin(traffic).head(0)),
        charts.offer_margin_bars(metrics.affiliate_margin(traffic, "offer").head(0)),
        charts.daily_margin_line(metrics.affiliate_margin(traffic, "day").head(0)),
    ]
    for figure in figures:
        shown = figure._repr_html_()
        assert figure.chart is None and "<svg" not in shown
        assert charts.NO_DATA in shown and "e+308" not in shown and "nan" not in shown


def test_a_figure_keeps_its_altair_chart_for_analysts(calls):
    figure = charts.outcomes_by_speed_bars(metrics.outcomes_by_speed(calls))
    assert isinstance(figure.chart, alt.TopLevelMixin)
    assert figure.title in repr(figure)


def test_agent_names_in_the_scatter_do_not_collide(svgs):
    """QA at 800 px: "Jennifer Brown" and "Michael Hernández" were drawn over each other."""
    boxes = []
    for x, y, anchor, size, text in _sized_texts(svgs["agents"], "mark"):
        width = 0.55 * size * len(html.unescape(text))
        left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
        boxes.append((left, left + width, y - size, y, text))
    assert len(boxes) >= 2
    for a, b in itertools.combinations(boxes, 2):
        apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
        assert apart, f"agent labels {a[4]!r} and {b[4]!r} overlap"


def test_close_agents_get_labels_that_do_not_collide():
    rows = [  # two pairs of agents at almost the same point, both among the named
        ("Jennifer Brown", 60, 0.12, 290_000),
        ("Michael Hernández", 61, 0.118, 300_000),
        ("Mary Davis", 70, 0.41, 370_000),
        ("Aaliyah Jones", 70, 0.405, 372_000),
        ("Robert Kim", 70, 0.25, 200_000),
        ("Linda Johnson", 70, 0.09, 520_000),
        ("José Nguyen", 70, 0.2, 400_000),
    ]
    performance = pl.DataFrame(
        {
            "agent_name": [r[0] for r in rows],
            "calls": pl.Series([r[1] for r in rows], dtype=pl.UInt32),
            "conversion_rate": [r[2] for r in rows],
            "ranked": [True] * len(rows),
            "aht": pl.Series([r[3] for r in rows], dtype=pl.Int64).cast(pl.Duration("ms")),
        }
    )
    svg = _svg(charts.agent_scatter(performance))
    boxes = []
    for x, y, anchor, size, text in _sized_texts(svg, "mark"):
        width = 0.55 * size * len(html.unescape(text))
        left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
        boxes.append((left, left + width, y - size, y, html.unescape(text)))
    assert {"Jennifer Brown", "Michael Hernández", "Mary Davis"} <= {b[4] for b in boxes}
    for a, b in itertools.combinations(boxes, 2):
        apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
        assert apart, f"agent labels {a[4]!r} and {b[4]!r} overlap"


def _horizontal_gaps(svg: str) -> list[tuple[float, str, str]]:
    """(gap in px, left label, right label) between neighbouring labels of one horizontal
    axis (its labels share one row), text widths estimated as in the collision test."""
    gaps = []
    for axis in _axis_labels(svg):
        if len(axis) < 2 or len({round(y) for _, y, _, _, _ in axis}) != 1:
            continue
        spans = []
        for x, _, anchor, size, text in axis:
            width = 0.55 * size * len(text)
            left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
            spans.append((left, left + width, text))
        spans.sort()
        gaps += [(b[0] - a[1], a[2], b[2]) for a, b in itertools.pairwise(spans)]
    return gaps


def test_abandonment_dates_leave_room_between_labels(calls):
    # main labelled each of the 14 period ends, about 3 px apart at 12 px: one run of text.
    from callanalytics.metrics import compliance

    figure = charts.abandonment_lines(compliance.abandonment_rates(calls))
    gaps = _horizontal_gaps(figure.svg())
    assert gaps, "no horizontal axis labels"
    narrowest = min(gaps)
    assert narrowest[0] >= 2 * 0.55 * 12, f"{narrowest[1]!r} and {narrowest[2]!r} nearly touch"
    dates = [text for _, text, _ in gaps] + [gaps[-1][2]]
    assert all(re.fullmatch(r"\d{2} [A-Z][a-z]{2}", t) for t in dates), dates
