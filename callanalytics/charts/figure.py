"""``Figure``: a chart with its title (its alt text) and a one-line takeaway, drawn as an
accessible inline ``<svg>`` (offline, by vl-convert: no ``data:`` image that mail clients
block), in type large enough to read in an email at 800 px."""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass

import altair as alt

__all__ = ["MAX_WIDTH", "NO_DATA", "Figure", "use_static_charts"]

#: Widest chart, in pixels, so a report fits an 800 px window (its output area is ~750 px).
MAX_WIDTH = 700
NO_DATA = "No data for this chart in this window."
_ID = re.compile(r'\bid="([^"]+)"')


def use_static_charts() -> None:
    """Render bare Altair charts as SVG too (figures are always inline SVG)."""
    alt.renderers.enable("svg")


@dataclass(frozen=True)
class Figure:
    """A chart with its title (used as alt text) and a one-line takeaway.

    ``chart`` is ``None`` when there was nothing to draw; the figure then shows the takeaway
    alone. ``figure.chart`` is a regular Altair chart for further use.

    Example:
        >>> Figure(None, "Margin by affiliate", NO_DATA)._repr_html_().count("<svg")
        0
    """

    chart: alt.TopLevelMixin | None
    title: str
    takeaway: str

    def svg(self) -> str:
        """The chart as an accessible SVG element: ``role="img"`` with a ``<title>`` and
        ``<desc>``, element ids made unique so several charts can share one page, and a
        ``max-width`` so it shrinks in a narrow window."""
        if self.chart is None:
            return ""
        buffer = io.StringIO()
        _readable(self.chart).save(buffer, format="svg")
        svg = buffer.getvalue()
        prefix = "ca" + hashlib.sha1((self.title + svg).encode()).hexdigest()[:8] + "-"
        for name in set(_ID.findall(svg)):
            svg = (
                svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
                .replace(f"url(#{name})", f"url(#{prefix}{name})")
                .replace(f'href="#{name}"', f'href="#{prefix}{name}"')
            )
        title, desc = html.escape(self.title), html.escape(self.takeaway)
        opening = (
            f'<svg role="img" aria-labelledby="{prefix}title {prefix}desc" '
            'style="max-width:100%;height:auto" '
        )
        svg = svg.replace("<svg ", opening, 1)
        head_end = svg.index(">") + 1
        return (
            svg[:head_end]
            + f'<title id="{prefix}title">{title}</title><desc id="{prefix}desc">{desc}</desc>'
            + svg[head_end:]
        )

    def _repr_html_(self) -> str:
        caption = (
            f'<figcaption style="max-width:{MAX_WIDTH}px;margin-top:0.25em">'
            f"{html.escape(self.takeaway)}</figcaption>"
        )
        if self.chart is None:
            body = f"<p><strong>{html.escape(self.title)}</strong></p>"
        else:
            body = self.svg()
        return f'<figure class="ca-chart" style="margin:0 0 1em 0">{body}{caption}</figure>'

    def __repr__(self) -> str:
        return f"{self.title}: {self.takeaway}"


def _readable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Type large enough to read in an email at 800 px."""
    return (
        chart.configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_axisQuantitative(labelOverlap="greedy", labelFlush=False)
        .configure_axisTemporal(labelOverlap="greedy", labelFlush=False)
        .configure_legend(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14)
        .configure_text(fontSize=12)
    )
