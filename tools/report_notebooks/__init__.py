"""The report notebooks, one module per report; :data:`NOTEBOOKS` is what
``tools/build_notebooks.py`` writes and what a test holds the committed notebooks equal to."""

from __future__ import annotations

from . import (
    affiliate_margin,
    agent_performance,
    compliance,
    data_quality,
    lead_funnel,
    speed_to_lead,
)

#: Every notebook the builder writes: file stem -> notebook. A test holds the committed
#: notebooks equal to these, so this package stays their one source of truth.
NOTEBOOKS = {
    "speed_to_lead": speed_to_lead.NOTEBOOK,
    "agent_performance": agent_performance.NOTEBOOK,
    "affiliate_margin": affiliate_margin.NOTEBOOK,
    "lead_funnel": lead_funnel.NOTEBOOK,
    "compliance": compliance.NOTEBOOK,
    "data_quality": data_quality.NOTEBOOK,
}
