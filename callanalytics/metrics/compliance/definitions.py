"""What the compliance checks say about themselves: the rules in report order, what the Dialer
data cannot show, the federal citations, and the checks on the options every check takes."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from callanalytics.rules.tables import calling_rules

#: The rules every summary lists, in report order.
COMPLIANCE_RULES: tuple[str, ...] = (
    "calling_hours",
    "abandonment",
    "frequency_24h",
    "frequency_30d",
    "do_not_call",
)

#: What a report must say it does not check, and why the Dialer data cannot show it.
COMPLIANCE_NOT_CHECKED: tuple[tuple[str, str], ...] = (
    (
        "Consent",
        "prior express (written) consent for autodialled or prerecorded calls "
        "(47 CFR 64.1200(a)(2)-(3)) is not in the Dialer data",
    ),
    (
        "Wireless versus landline",
        "the rules for calls to wireless numbers differ; the data does not say which a number is",
    ),
    (
        "Do-not-call registries",
        "the national registry (47 CFR 64.1200(c)(2)) and state registries are not consulted; "
        "only requests recorded by your own agents are followed through",
    ),
    (
        "Exemptions",
        "established business relationships, inbound callbacks and other exemptions are not "
        "known: every dial is treated as a telephone solicitation",
    ),
    (
        "Holidays and other local rules",
        "state holiday bans and rules not in the rules table are not checked",
    ),
    (
        "Abandonment details",
        "the dialer's ABANDON disposition is trusted (no live agent within two seconds); the "
        "recorded message and ring-time requirements are not checked",
    ),
    (
        "Leads whose time zone is unknown",
        "their dials are counted as unchecked, not as passing",
    ),
)
#: One sentence every compliance report shows.
COMPLIANCE_DISCLAIMER = (
    "Decision support, not legal advice: these checks cover what the Dialer data can show, "
    "against the rules table in use; confirm findings and obligations with counsel."
)

#: The federal abandonment safe harbour: at most 3% of live-answered calls, per campaign,
#: over a 30-day period (47 CFR 64.1200(a)(7)).
ABANDON_LIMIT = 0.03
ABANDON_CITATION = "47 CFR 64.1200(a)(7)"
#: Honouring a do-not-call request (47 CFR 64.1200(d)(3)).
DNC_CITATION = "47 CFR 64.1200(d)(3)"
#: Default do-not-call dispositions: "Do Not Call" (also "Do-Not-Call") or "DNC", whole
#: words, any case.
DNC_PATTERN = r"(?i)\b(?:do[\s-]*not[\s-]*call|dnc)\b"


def federal_rule(rules: pl.DataFrame) -> dict[str, object]:
    """The ``US`` row of a rules table, as a dict."""
    return rules.filter(pl.col("code") == "US").row(0, named=True)


def checked_options(rules, limit: float, margin: float, dispositions, grace) -> tuple:
    """The options of :func:`compliance_findings` and :func:`compliance_summary`, checked."""
    if not isinstance(grace, timedelta):
        raise TypeError(f"grace must be a datetime.timedelta, not {type(grace).__name__}")
    return calling_rules(rules), limit, margin, dispositions, grace
