"""Metrics: pure functions from typed frames (eager or lazy) to frames of the same kind."""

from callanalytics.metrics.affiliates import (
    affiliate_margin,
    margin_discrepancies,
    margin_summary,
)
from callanalytics.metrics.agents import (
    agent_calls_per_hour,
    agent_disposition_mix,
    agent_performance,
)
from callanalytics.metrics.speed_to_lead import (
    SPEED_BUCKETS,
    lead_outcomes,
    outcomes_by_speed,
    speed_to_lead_by,
    speed_to_lead_heatmap,
    speed_to_lead_summary,
)

__all__ = [
    "SPEED_BUCKETS",
    "affiliate_margin",
    "agent_calls_per_hour",
    "agent_disposition_mix",
    "agent_performance",
    "lead_outcomes",
    "margin_discrepancies",
    "margin_summary",
    "outcomes_by_speed",
    "speed_to_lead_by",
    "speed_to_lead_heatmap",
    "speed_to_lead_summary",
]
