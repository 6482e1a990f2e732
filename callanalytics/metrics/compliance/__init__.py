"""Outbound compliance checks on Dialer results: calling hours, abandonment, frequency, DNC.

Decision support, not legal advice. What the Dialer data can show is checked here; what it
cannot (consent, wireless versus landline, the national and state do-not-call registries,
state holiday bans, exemptions such as an established business relationship) is not.

The rules live in a data table shipped with the package (``callanalytics/rules``), one row
per jurisdiction with its citation; every function takes ``rules=`` to use your own table
(a TOML or CSV path, or a frame) instead. A dial is held to the federal row (``US``) and to
its lead's state row at once: the later start, the earlier end and the smaller limits apply.

Where the lead is: ``lead_timezone`` when it names a US zone (an IANA name such as
``America/Phoenix``, a legacy alias such as ``US/Eastern``, or an unambiguous abbreviation
such as ``EST``/``EDT``; ``MST`` is ambiguous and not used), else the main zone of the lead's
state (``lead_state``, then ``state``, then the state of the ZIP's 3-digit prefix). States
that span two zones use their main zone (``us_state_zones.csv`` lists the others). Dials
whose zone cannot be determined are counted and listed, never guessed.

Every function takes the typed Dialer frame as a polars DataFrame or LazyFrame, a DuckDB
relation or a PySpark DataFrame, and returns the same kind, lazily; an empty input gives an
empty frame of the same schema (the summary still lists every rule, all passing). The checks
are written once with narwhals; the few steps narwhals cannot express (the lead's wall
clock, time-range windows, lists of examples) are one native expression per engine in
:mod:`.native`. Counts are UInt32 (Int64 on Spark, which has no unsigned integers).

Modules: :mod:`.definitions` (rules, citations, what is not checked), :mod:`.location`
(state, zone and wall clock at the lead), :mod:`.hours`, :mod:`.abandonment`,
:mod:`.frequency`, :mod:`.dnc`, :mod:`.findings` and :mod:`.summary`.
"""

from callanalytics.metrics.compliance.abandonment import abandonment_rates
from callanalytics.metrics.compliance.definitions import (
    ABANDON_CITATION,
    ABANDON_LIMIT,
    COMPLIANCE_DISCLAIMER,
    COMPLIANCE_NOT_CHECKED,
    COMPLIANCE_RULES,
    DNC_CITATION,
    DNC_PATTERN,
)
from callanalytics.metrics.compliance.dnc import dnc_redials
from callanalytics.metrics.compliance.findings import (
    ComplianceChecks,
    compliance_checks,
    compliance_findings,
)
from callanalytics.metrics.compliance.frequency import call_frequency
from callanalytics.metrics.compliance.hours import calling_hours
from callanalytics.metrics.compliance.location import with_lead_local_time
from callanalytics.metrics.compliance.summary import compliance_summary
from callanalytics.rules.tables import RULES_SCHEMA, calling_rules, state_zones

__all__ = [
    "ABANDON_CITATION",
    "ABANDON_LIMIT",
    "COMPLIANCE_DISCLAIMER",
    "COMPLIANCE_NOT_CHECKED",
    "COMPLIANCE_RULES",
    "DNC_CITATION",
    "DNC_PATTERN",
    "RULES_SCHEMA",
    "ComplianceChecks",
    "abandonment_rates",
    "call_frequency",
    "calling_hours",
    "calling_rules",
    "compliance_checks",
    "compliance_findings",
    "compliance_summary",
    "dnc_redials",
    "state_zones",
    "with_lead_local_time",
]
