"""Formatting for report tables and headers: human labels, thousands separators, durations as
minutes, money as dollars, rates as percent; tables sized to fit an 800 px window.

``formats`` writes values, ``labels`` names columns, ``tables`` draws HTML tables, ``page``
holds the report header, the no-data message and the notebook setup.
"""

from callanalytics.display.formats import (
    fmt_count,
    fmt_duration,
    fmt_money,
    fmt_rate,
    format_table,
    plural,
)
from callanalytics.display.labels import LABELS, label
from callanalytics.display.page import no_data, report_header, setup_notebook, window_text
from callanalytics.display.tables import Table, table

__all__ = [
    "LABELS",
    "Table",
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
