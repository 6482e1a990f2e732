"""Declarative schema tables, one per report, and the column kinds they are built from."""

from callanalytics.schema.dialer_results import DIALER_RESULTS, PASS_DISPOSITIONS
from callanalytics.schema.kinds import (
    Clock,
    Count,
    Duration,
    Flag,
    Id,
    Kind,
    Money,
    Text,
    Timestamp,
    Vocabulary,
)
from callanalytics.schema.leadflow_history import LEAD_STATUSES, LEADFLOW_HISTORY
from callanalytics.schema.table import Column, Schema

__all__ = [
    "DIALER_RESULTS",
    "LEADFLOW_HISTORY",
    "LEAD_STATUSES",
    "PASS_DISPOSITIONS",
    "Clock",
    "Column",
    "Count",
    "Duration",
    "Flag",
    "Id",
    "Kind",
    "Money",
    "Schema",
    "Text",
    "Timestamp",
    "Vocabulary",
]
