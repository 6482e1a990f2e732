"""Metrics: pure functions from typed frames (eager or lazy) to frames of the same kind.

Shared definitions live once: the conversion rule (``success=``, see
:func:`disposition_split`), the speed-to-lead buckets (:data:`SPEED_BUCKETS`, upper bounds
included) and the margin (:func:`call_margin`, reconciled by :func:`margin_reconciliation`).
:func:`match_leads`, :func:`lead_funnel`, :func:`lead_funnel_summary` and
:func:`callback_outcomes` join the two sources by E.164 phone number.
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
    TEAM_HANDLE_TIMES,
    agent_calls_per_hour,
    agent_disposition_mix,
    agent_performance,
    team_summary,
)
from callanalytics.metrics.compliance import (
    ABANDON_LIMIT,
    COMPLIANCE_DISCLAIMER,
    COMPLIANCE_NOT_CHECKED,
    COMPLIANCE_RULES,
    ComplianceChecks,
    abandonment_rates,
    call_frequency,
    calling_hours,
    calling_rules,
    compliance_checks,
    compliance_findings,
    compliance_summary,
    dnc_redials,
    with_lead_local_time,
)
from callanalytics.metrics.funnel import (
    MATCH_WINDOW,
    UNMATCHED_REASONS,
    callback_outcomes,
    lead_funnel,
    lead_funnel_summary,
    match_leads,
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
    "ABANDON_LIMIT",
    "COMPLIANCE_DISCLAIMER",
    "COMPLIANCE_NOT_CHECKED",
    "COMPLIANCE_RULES",
    "DEFAULT_SUCCESS_RULE",
    "MATCH_WINDOW",
    "NEGATION_WORDS",
    "PERIODS",
    "SPEED_BUCKETS",
    "SPEED_WITHIN",
    "SUCCESS_WORDS",
    "TEAM_HANDLE_TIMES",
    "UNMATCHED_REASONS",
    "ComplianceChecks",
    "MarginReconciliation",
    "abandonment_rates",
    "affiliate_margin",
    "agent_calls_per_hour",
    "agent_disposition_mix",
    "agent_performance",
    "call_frequency",
    "call_margin",
    "callback_outcomes",
    "calling_hours",
    "calling_rules",
    "compliance_checks",
    "compliance_findings",
    "compliance_summary",
    "describe_success",
    "disposition_split",
    "dnc_redials",
    "lead_funnel",
    "lead_funnel_summary",
    "lead_outcomes",
    "margin_discrepancies",
    "margin_reconciliation",
    "margin_summary",
    "match_leads",
    "outcomes_by_speed",
    "speed_to_lead_by",
    "speed_to_lead_heatmap",
    "speed_to_lead_summary",
    "success_expr",
    "team_summary",
    "with_lead_local_time",
    "within_column",
]
