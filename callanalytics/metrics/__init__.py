"""Metrics: pure functions from typed frames (eager or lazy) to frames of the same kind.

Shared definitions live once: the conversion rule (``success=``, see
:func:`disposition_split`), the speed-to-lead buckets (:data:`SPEED_BUCKETS`, upper bounds
included) and the margin (:func:`call_margin`, reconciled by :func:`margin_reconciliation`).
Every metric returns an empty frame of its usual schema on empty input; the one-row
summaries return counts of 0 and null rates.
"""

from callanalytics.metrics._frames import (
    DEFAULT_SUCCESS_RULE,
    NEGATION_WORDS,
    PERIODS,
    SUCCESS_WORDS,
    describe_success,
    disposition_split,
    success_expr,
)
from callanalytics.metrics.affiliates import (
    MarginReconciliation,
    affiliate_margin,
    call_margin,
    margin_discrepancies,
    margin_reconciliation,
    margin_summary,
)
from callanalytics.metrics.agents import (
    agent_calls_per_hour,
    agent_disposition_mix,
    agent_performance,
)
from callanalytics.metrics.speed_to_lead import (
    SPEED_BUCKETS,
    SPEED_WITHIN,
    lead_outcomes,
    outcomes_by_speed,
    speed_to_lead_by,
    speed_to_lead_heatmap,
    speed_to_lead_summary,
    within_column,
)

__all__ = [
    "DEFAULT_SUCCESS_RULE",
    "NEGATION_WORDS",
    "PERIODS",
    "SPEED_BUCKETS",
    "SPEED_WITHIN",
    "SUCCESS_WORDS",
    "MarginReconciliation",
    "affiliate_margin",
    "agent_calls_per_hour",
    "agent_disposition_mix",
    "agent_performance",
    "call_margin",
    "describe_success",
    "disposition_split",
    "lead_outcomes",
    "margin_discrepancies",
    "margin_reconciliation",
    "margin_summary",
    "outcomes_by_speed",
    "speed_to_lead_by",
    "speed_to_lead_heatmap",
    "speed_to_lead_summary",
    "success_expr",
    "within_column",
]
