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

Every function takes an eager or lazy frame and returns the same kind; an empty input gives
an empty frame of the same schema (the summary still lists every rule, all passing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

import polars as pl

from callanalytics.metrics._frames import match_laziness, success_expr
from callanalytics.rules.tables import (
    RULES_SCHEMA,
    calling_rules,
    state_codes,
    state_zones,
    zip3_states,
    zone_aliases,
)

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

_MASK = "•••"
_PPM = 1_000_000


def _rules(rules) -> pl.DataFrame:
    return calling_rules(rules)


# --------------------------------------------------------------------------------------
# Where and when each dial was, at the lead


def _column(names: Sequence[str], name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String) if name in names else pl.lit(None, pl.String)


def _state_of(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(state_codes(), default=None, return_dtype=pl.String)
    )


def _call_start(calls) -> tuple[list[str], pl.Datetime]:
    schema = calls.collect_schema()
    dtype = schema.get("call_start")
    if not isinstance(dtype, pl.Datetime) or dtype.time_zone is None:
        raise ValueError(
            "call_start must be a time-zone-aware Datetime (as read_dialer_results returns "
            f"it), not {dtype}: the lead's local time cannot be computed without it"
        )
    return schema.names(), dtype


def _location_columns(names: Sequence[str]) -> list[pl.Expr]:
    """``jurisdiction``, ``lead_zone``, ``zone_source`` and ``local_start`` (naive)."""
    aliases = zone_aliases()
    zone_by_state = dict(zip(state_zones()["code"], state_zones()["zone"], strict=True))
    named = (
        _column(names, "lead_timezone")
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(aliases, default=None, return_dtype=pl.String)
    )
    digits = _column(names, "zip").str.replace_all(r"\D", "")
    by_zip = (
        pl.when(digits.str.len_chars() >= 5)
        .then(digits.str.slice(0, 3))
        .replace_strict(zip3_states(), default=None, return_dtype=pl.String)
    )
    lead_state = _state_of(_column(names, "lead_state"))
    state = _state_of(_column(names, "state"))
    jurisdiction = pl.coalesce(lead_state, state, by_zip)
    zone = pl.coalesce(
        named, jurisdiction.replace_strict(zone_by_state, default=None, return_dtype=pl.String)
    )
    source = (
        pl.when(named.is_not_null())
        .then(pl.lit("lead_timezone"))
        .when(lead_state.is_not_null())
        .then(pl.lit("lead_state"))
        .when(state.is_not_null())
        .then(pl.lit("state"))
        .when(by_zip.is_not_null())
        .then(pl.lit("zip"))
    )
    start = pl.col("call_start")
    local = pl.coalesce(
        [
            pl.when(pl.col("lead_zone") == z).then(
                start.dt.convert_time_zone(z).dt.replace_time_zone(None)
            )
            for z in sorted(set(aliases.values()))
        ]
    )
    return [
        jurisdiction.alias("jurisdiction"),
        zone.alias("lead_zone"),
        source.alias("zone_source"),
        local.alias("local_start"),
    ]


def _add_location(frame: pl.LazyFrame, names: Sequence[str]) -> pl.LazyFrame:
    jurisdiction, zone, source, local = _location_columns(names)
    return frame.with_columns(jurisdiction, zone, source).with_columns(local)


def with_lead_local_time(calls):
    """``calls`` with the lead's ``jurisdiction`` (state code), ``lead_zone`` (IANA name),
    ``zone_source`` (which column placed it) and ``local_start`` (naive local wall clock).

    Null where the zone cannot be determined. A lead in Arizona is on ``America/Phoenix``
    (no daylight saving time) all year.

    Example:
        >>> from datetime import datetime
        >>> calls = pl.DataFrame(
        ...     {"call_start": [datetime(2024, 7, 1, 23)], "lead_state": ["AZ"]}
        ... ).with_columns(pl.col("call_start").dt.replace_time_zone("America/New_York"))
        >>> str(with_lead_local_time(calls)["local_start"][0])
        '2024-07-01 20:00:00'
    """
    names, _ = _call_start(calls)
    return match_laziness(calls, _add_location(calls.lazy(), names))


def _prepared(calls) -> pl.LazyFrame:
    """Only what the checks need (no names, no full numbers but the internal ``_key``)."""
    names, _ = _call_start(calls)
    digits = _column(names, "lead_phone").str.replace_all(r"\D", "")
    key = (
        pl.when((digits.str.len_chars() == 11) & digits.str.starts_with("1"))
        .then(digits.str.slice(1))
        .otherwise(digits)
    )
    key = pl.when(key.str.len_chars() > 0).then(key)
    frame = calls.lazy().select(
        _column(names, "callID").alias("callID"),
        pl.coalesce(
            _column(names, "campaign_name"),
            _column(names, "campaign_id"),
            pl.lit("(no campaign)"),
        ).alias("campaign"),
        "call_start",
        key.alias("_key"),
        pl.concat_str(pl.lit(_MASK), key.str.slice(-4)).alias("number"),
        _column(names, "pass_disposition").alias("_pass"),
        _column(names, "agent_disposition").alias("_agent"),
        _column(names, "lead_timezone"),
        _column(names, "lead_state"),
        _column(names, "state"),
        _column(names, "zip"),
    )
    return _add_location(frame, names).drop("lead_timezone", "lead_state", "state", "zip")


def _example(local: bool) -> pl.Expr:
    when = (
        pl.col("local_start").dt.to_string("%Y-%m-%d %H:%M:%S")
        + pl.lit(" local (")
        + pl.col("lead_zone")
        + pl.lit(")")
        if local
        else pl.col("call_start").dt.to_string("%Y-%m-%d %H:%M:%S %Z")
    )
    return pl.concat_str(pl.col("number").fill_null("(no number)"), pl.lit(" at "), when)


# --------------------------------------------------------------------------------------
# Calling hours


def _federal_and_states(
    rules: pl.DataFrame, columns: dict[str, str]
) -> tuple[dict[str, object], pl.LazyFrame]:
    """The federal rule as a row, and the state rules to join by ``jurisdiction``: the
    given ``columns`` renamed, plus each state's citation as ``_st_citation``."""
    us = rules.filter(pl.col("code") == "US").row(0, named=True)
    states = (
        rules.filter(pl.col("code") != "US")
        .lazy()
        .select(
            pl.col("code").alias("jurisdiction"),
            *[pl.col(name).alias(alias) for name, alias in columns.items()],
            pl.col("citation").alias("_st_citation"),
        )
    )
    return us, states


def _hours_all(prepared: pl.LazyFrame, rules: pl.DataFrame) -> pl.LazyFrame:
    us, states = _federal_and_states(
        rules, {c: f"_st_{c}" for c in ("start", "end", "sunday_start", "sunday_end")}
    )
    sunday = pl.col("local_start").dt.weekday() == 7
    us_start = pl.when(sunday).then(pl.lit(us["sunday_start"] or us["start"]))
    us_start = us_start.otherwise(pl.lit(us["start"]))
    us_end = pl.when(sunday).then(pl.lit(us["sunday_end"] or us["end"]))
    us_end = us_end.otherwise(pl.lit(us["end"]))
    has_sunday = sunday & pl.col("_st_sunday_start").is_not_null()
    st_start = pl.when(has_sunday).then(pl.col("_st_sunday_start")).otherwise(pl.col("_st_start"))
    st_end = pl.when(has_sunday).then(pl.col("_st_sunday_end")).otherwise(pl.col("_st_end"))
    binding = st_start.is_not_null() & ((st_start > us_start) | (st_end < us_end))
    moment = pl.col("local_start").dt.time()
    window = (
        pl.col("_start").dt.to_string("%H:%M") + pl.lit("–") + pl.col("_end").dt.to_string("%H:%M")
    )
    return (
        prepared.join(states, on="jurisdiction", how="left", maintain_order="left")
        .with_columns(
            _start=pl.max_horizontal(us_start, st_start),
            _end=pl.min_horizontal(us_end, st_end),
            rule_from=pl.when(binding).then(pl.col("jurisdiction")).otherwise(pl.lit("US")),
            citation=pl.when(binding)
            .then(pl.col("_st_citation"))
            .otherwise(pl.lit(us["citation"])),
        )
        .with_columns(
            allowed=pl.when(pl.col("_end") <= pl.col("_start"))
            .then(pl.lit("closed"))
            .otherwise(window),
            status=pl.when(pl.col("call_start").is_null())
            .then(pl.lit("no call time"))
            .when(pl.col("local_start").is_null())
            .then(pl.lit("zone unknown"))
            .when((moment >= pl.col("_start")) & (moment < pl.col("_end")))
            .then(pl.lit("ok"))
            .otherwise(pl.lit("outside hours")),
        )
    )


_HOURS_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "local_start",
    "lead_zone",
    "zone_source",
    "jurisdiction",
    "allowed",
    "rule_from",
    "citation",
    "status",
)


def calling_hours(calls, *, rules=None):
    """Dials outside the allowed local hours at the lead, and dials whose zone is unknown.

    One row per such dial: ``callID``, ``campaign``, ``number`` (masked to its last four
    digits), ``call_start``, ``local_start`` (the lead's wall clock), ``lead_zone``,
    ``zone_source``, ``jurisdiction`` (the lead's state), ``allowed`` (e.g. ``08:00–20:00``),
    ``rule_from`` and ``citation`` (the binding rule), and ``status``: ``outside hours``,
    ``zone unknown`` or ``no call time``. The window includes its start and excludes its end:
    20:59:59 is inside 08:00–21:00, 21:00:00 is outside.

    Example:
        >>> import callanalytics as ca
        >>> set(calling_hours(ca.sample_dialer_results(n=500))["status"]) <= {
        ...     "outside hours", "zone unknown", "no call time"}
        True
    """
    out = _hours_all(_prepared(calls), _rules(rules))
    out = out.filter(pl.col("status") != "ok").select(_HOURS_COLUMNS).sort("call_start", "callID")
    return match_laziness(calls, out)


# --------------------------------------------------------------------------------------
# Abandonment


def _ppm(value: float, name: str) -> int:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1 (0.03 is 3%), not {value!r}")
    return round(value * _PPM)


def _abandon_periods(prepared: pl.LazyFrame, limit: float, margin: float, days: int):
    limit_ppm, margin_ppm = _ppm(limit, "limit"), _ppm(margin, "margin")
    if margin_ppm > limit_ppm:
        raise ValueError(f"margin {margin!r} is larger than the limit {limit!r}")
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days!r}")
    daily = (
        prepared.filter(pl.col("call_start").is_not_null())
        .group_by("campaign", day=pl.col("call_start").dt.date())
        .agg(
            answered=(pl.col("_pass") == "ANSWER").sum().cast(pl.Int64),
            abandoned=(pl.col("_pass") == "ABANDON").sum().cast(pl.Int64),
        )
    )
    calendar = (
        daily.group_by("campaign")
        .agg(
            period_end=pl.date_range(pl.col("day").min(), pl.col("day").max(), "1d"),
            _first=pl.col("day").min(),
        )
        .explode("period_end")
    )
    live = pl.col("answered") + pl.col("abandoned")
    above = pl.col("abandoned") * _PPM > live * limit_ppm
    near = pl.col("abandoned") * _PPM >= live * (limit_ppm - margin_ppm)
    return (
        calendar.join(
            daily.rename({"day": "period_end"}), on=["campaign", "period_end"], how="left"
        )
        .with_columns(pl.col("answered", "abandoned").fill_null(0))
        .sort("campaign", "period_end")
        .with_columns(
            pl.col("answered", "abandoned")
            .rolling_sum(window_size=days, min_samples=1)
            .over("campaign")
        )
        .select(
            pl.col("campaign"),
            period_start=pl.col("period_end") - pl.duration(days=days - 1),
            period_end=pl.col("period_end"),
            complete=(pl.col("period_end") - pl.duration(days=days - 1)) >= pl.col("_first"),
            answered=pl.col("answered").cast(pl.UInt32),
            abandoned=pl.col("abandoned").cast(pl.UInt32),
            rate=pl.when(live > 0).then(pl.col("abandoned") / live),
            status=pl.when(live == 0)
            .then(pl.lit("no live answers"))
            .when(above)
            .then(pl.lit("above"))
            .when(near)
            .then(pl.lit("near"))
            .otherwise(pl.lit("ok")),
        )
    )


def abandonment_rates(calls, *, limit: float = ABANDON_LIMIT, margin: float = 0.005, days=30):
    """Abandonment rate per campaign over every rolling ``days``-day period.

    One row per campaign and period end day, from the campaign's first to its last day of
    dials (days in ``call_start``'s own zone): ``period_start``, ``period_end`` (Date, both
    included), ``complete`` (False while the period reaches back before the campaign's first
    day in the data), ``answered`` and ``abandoned`` (``pass_disposition`` ANSWER and
    ABANDON), ``rate`` = abandoned / (answered + abandoned), and ``status``: ``above`` the
    limit, ``near`` it (within ``margin`` below it, the limit itself included), ``ok``, or
    ``no live answers``. Compared exactly: 3 of 100 is 3.0%, which is not above 3%.

    Example:
        >>> import callanalytics as ca
        >>> rates = abandonment_rates(ca.sample_dialer_results(n=500))
        >>> rates.columns[:3]
        ['campaign', 'period_start', 'period_end']
    """
    return match_laziness(calls, _abandon_periods(_prepared(calls), limit, margin, days))


# --------------------------------------------------------------------------------------
# Frequency


def _frequency_all(prepared: pl.LazyFrame, rules: pl.DataFrame) -> pl.LazyFrame:
    us, states = _federal_and_states(
        rules, {"max_calls_24h": "_st_24h", "max_calls_30d": "_st_30d"}
    )
    keys = ["_key", "campaign"]
    frames = []
    for window, field in (("24h", "max_calls_24h"), ("30d", "max_calls_30d")):
        federal = pl.lit(us[field], pl.UInt32)
        state = pl.col(f"_st_{window}")
        state_binds = state.is_not_null() & (federal.is_null() | (state <= federal))
        frames.append(
            prepared.filter(pl.col("_key").is_not_null() & pl.col("call_start").is_not_null())
            .join(states, on="jurisdiction", how="left")
            .sort([*keys, "call_start"])
            .with_columns(
                calls_in_window=pl.col("call_start")
                .is_not_null()
                .cast(pl.UInt32)
                .rolling_sum_by("call_start", window_size=window)
                .over(keys)
                .cast(pl.UInt32),
                limit=pl.min_horizontal(federal, state),
                citation=pl.when(state_binds)
                .then(pl.col("_st_citation"))
                .otherwise(pl.lit(us["citation"])),
                window=pl.lit(window),
            )
        )
    return pl.concat(frames, how="vertical")


_FREQUENCY_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "jurisdiction",
    "window",
    "calls_in_window",
    "limit",
    "citation",
)


def call_frequency(calls, *, rules=None):
    """Dials that went over a jurisdiction's limit of dials per number in 24 h or 30 days.

    Dials are counted per number (digits only, a leading US ``1`` dropped) and campaign —
    the campaign stands in for the laws' "same subject matter" — over the window ending at
    each dial, that dial included (24 h is 24 hours; 30 days are calendar days). One row per
    dial whose count exceeds the limit of its lead's state (or the federal row, if it sets
    one): ``callID``, ``campaign``, ``number`` (masked), ``call_start``, ``jurisdiction``,
    ``window`` (``24h``/``30d``), ``calls_in_window``, ``limit``, ``citation``.

    Example:
        >>> import callanalytics as ca
        >>> call_frequency(ca.sample_dialer_results(n=500)).columns[-3:]
        ['calls_in_window', 'limit', 'citation']
    """
    out = (
        _frequency_all(_prepared(calls), _rules(rules))
        .filter(pl.col("calls_in_window") > pl.col("limit"))
        .select(_FREQUENCY_COLUMNS)
        .sort("window", "call_start", "callID")
    )
    return match_laziness(calls, out)


# --------------------------------------------------------------------------------------
# Do-not-call follow-through


def _dnc_expr(dispositions: str | Sequence[str] | None) -> pl.Expr:
    return success_expr("_agent", DNC_PATTERN if dispositions is None else dispositions)


def _dnc_all(prepared: pl.LazyFrame, dispositions, grace: timedelta) -> pl.LazyFrame:
    if grace < timedelta(0):
        raise ValueError(f"grace must not be negative, not {grace}")
    requests = (
        prepared.filter(
            _dnc_expr(dispositions)
            & pl.col("_key").is_not_null()
            & pl.col("call_start").is_not_null()
        )
        .group_by("_key")
        .agg(
            requested_at=pl.col("call_start").min(),
            request_campaign=pl.col("campaign").sort_by("call_start").first(),
        )
    )
    return prepared.join(requests, on="_key", how="inner").with_columns(
        after=pl.col("call_start") - pl.col("requested_at")
    )


_DNC_COLUMNS = (
    "callID",
    "campaign",
    "number",
    "call_start",
    "requested_at",
    "request_campaign",
    "after",
)


def dnc_redials(calls, *, dispositions=None, grace: timedelta = timedelta(0)):
    """Dials to a number after an agent recorded a do-not-call request for it.

    A request is an ``agent_disposition`` matching ``dispositions``: by default the whole
    words "Do Not Call" (or "Do-Not-Call") or "DNC", any case; a list means exactly those
    dispositions (any case), a string a regular expression. Every later dial to the number
    (any campaign) more than ``grace`` after its first request is listed: ``callID``,
    ``campaign``, ``number`` (masked), ``call_start``, ``requested_at``,
    ``request_campaign``, ``after`` (Duration). The federal rule allows a reasonable time
    to honour a request; set ``grace`` to the time your programme allows.

    Example:
        >>> import callanalytics as ca
        >>> dnc_redials(ca.sample_dialer_results(n=500)).columns[:3]
        ['callID', 'campaign', 'number']
    """
    out = (
        _dnc_all(_prepared(calls), dispositions, grace)
        .filter(pl.col("after") > grace)
        .select(_DNC_COLUMNS)
        .sort("call_start", "callID")
    )
    return match_laziness(calls, out)


# --------------------------------------------------------------------------------------
# Findings and summary


class ComplianceChecks(NamedTuple):
    """The findings and the per-rule summary of :func:`compliance_checks`."""

    #: One row per rule, severity, campaign and binding rule (see :func:`compliance_findings`).
    findings: pl.DataFrame | pl.LazyFrame
    #: One row per rule in :data:`COMPLIANCE_RULES` (see :func:`compliance_summary`).
    summary: pl.DataFrame | pl.LazyFrame


def _findings(group: pl.LazyFrame, rule: str, severity: str, detail: pl.Expr, local: bool):
    return (
        group.with_columns(
            rule=pl.lit(rule), severity=pl.lit(severity), detail=detail, _ex=_example(local)
        )
        .group_by("rule", "severity", "campaign", "detail", "citation")
        .agg(
            count=pl.len().cast(pl.UInt32),
            first=pl.col("call_start").min(),
            last=pl.col("call_start").max(),
            examples=pl.col("_ex").sort_by("call_start", "callID").head(5),
        )
    )


def _all_findings(prepared, rules, limit, margin, dispositions, grace) -> pl.LazyFrame:
    hours = _hours_all(prepared, rules)
    outside = hours.filter(pl.col("status") == "outside hours")
    unknown = hours.filter(pl.col("status") != "ok", pl.col("status") != "outside hours")
    frequency = _frequency_all(prepared, rules).filter(pl.col("calls_in_window") > pl.col("limit"))
    dnc = _dnc_all(prepared, dispositions, grace).filter(pl.col("after") > grace)
    parts = [
        _findings(
            outside,
            "calling_hours",
            "violation",
            pl.concat_str(
                pl.lit("dialled outside "),
                pl.col("allowed"),
                pl.lit(" local time at the lead ("),
                pl.col("rule_from"),
                pl.lit(" rule)"),
            ),
            local=True,
        ),
        _findings(
            unknown.with_columns(
                citation=pl.lit(rules.filter(pl.col("code") == "US")["citation"][0])
            ),
            "calling_hours",
            "unchecked",
            pl.lit(
                "the lead's time zone could not be determined (no recognised lead_timezone, "
                "state or ZIP), so the local time was not checked"
            ),
            local=False,
        ),
        *[
            _findings(
                frequency.filter(pl.col("window") == window),
                f"frequency_{window}",
                "violation",
                pl.format(f"more than {{}} dials to one number in {label} (per campaign)", "limit"),
                local=False,
            )
            for window, label in (("24h", "24 hours"), ("30d", "30 days"))
        ],
        _findings(
            dnc.with_columns(citation=pl.lit(DNC_CITATION)),
            "do_not_call",
            "violation",
            pl.lit("dialled again after a do-not-call request"),
            local=False,
        ),
        _abandon_findings(prepared, limit, margin),
    ]
    order = {rule: i for i, rule in enumerate(COMPLIANCE_RULES)}
    severity = {"violation": 0, "warning": 1, "unchecked": 2}
    return (
        pl.concat(parts, how="vertical")
        .with_columns(
            _order=pl.col("rule").replace_strict(order, return_dtype=pl.UInt8),
            _severity=pl.col("severity").replace_strict(severity, return_dtype=pl.UInt8),
        )
        .sort("_order", "_severity", "campaign", "detail")
        .select(
            "rule",
            "severity",
            "campaign",
            "detail",
            "citation",
            "count",
            "first",
            "last",
            "examples",
        )
    )


def _abandon_findings(prepared: pl.LazyFrame, limit: float, margin: float) -> pl.LazyFrame:
    days = 30
    periods = _abandon_periods(prepared, limit, margin, days)
    pct = f"{limit:.1%}"
    frames = []
    for status, severity in (("above", "violation"), ("near", "warning")):
        flagged = periods.filter(pl.col("status") == status)
        worst = (
            flagged.sort("rate", "period_end", descending=[True, False])
            .group_by("campaign", maintain_order=True)
            .agg(
                _worst_end=pl.col("period_end").first(),
                _worst_rate=pl.col("rate").first(),
                _worst_abandoned=pl.col("abandoned").first(),
                _worst_live=(pl.col("answered") + pl.col("abandoned")).first(),
                _periods=pl.len(),
            )
        )
        # A day's abandoned dials count when some flagged period covers that day.
        covered = (
            periods.with_columns(_flag=(pl.col("status") == status).cast(pl.Int8))
            .with_columns(
                _flag=pl.col("_flag")
                .reverse()
                .rolling_max(window_size=days, min_samples=1)
                .reverse()
                .over("campaign", order_by="period_end")
            )
            .filter(pl.col("_flag") == 1)
            .select("campaign", pl.col("period_end").alias("_day"))
        )
        dials = (
            prepared.filter(pl.col("_pass") == "ABANDON", pl.col("call_start").is_not_null())
            .with_columns(_day=pl.col("call_start").dt.date())
            .join(covered, on=["campaign", "_day"], how="inner")
            .join(worst, on="campaign", how="inner")
        )
        detail = pl.format(
            f"worst {days} days to {{}}: {{}}% abandoned ({{}} of {{}} live answers); "
            f"{{}} period(s) {status} the {pct} safe harbour",
            pl.col("_worst_end"),
            (pl.col("_worst_rate") * 100).round(2),
            pl.col("_worst_abandoned"),
            pl.col("_worst_live"),
            pl.col("_periods"),
        )
        frames.append(
            _findings(
                dials.with_columns(citation=pl.lit(ABANDON_CITATION)),
                "abandonment",
                severity,
                detail,
                local=False,
            )
        )
    return pl.concat(frames, how="vertical")


def _checked(calls, rules, limit, margin, dispositions, grace) -> tuple:
    if not isinstance(grace, timedelta):
        raise TypeError(f"grace must be a datetime.timedelta, not {type(grace).__name__}")
    return _prepared(calls), _rules(rules), limit, margin, dispositions, grace


def compliance_findings(
    calls,
    *,
    rules=None,
    abandon_limit: float = ABANDON_LIMIT,
    abandon_margin: float = 0.005,
    dnc_dispositions: str | Sequence[str] | None = None,
    dnc_grace: timedelta = timedelta(0),
):
    """Every compliance finding, one row per rule, severity, campaign and binding rule.

    Columns: ``rule`` (one of :data:`COMPLIANCE_RULES`), ``severity`` (``violation``,
    ``warning`` for an abandonment rate within ``abandon_margin`` of the limit, ``unchecked``
    for dials whose zone is unknown), ``campaign``, ``detail`` (what was broken, in words),
    ``citation``, ``count`` (dials), ``first`` and ``last`` (their call_start), ``examples``
    (up to five dials, numbers masked to their last four digits). For abandonment, the dials
    are the abandoned calls inside the flagged 30-day periods.

    Example:
        >>> import callanalytics as ca
        >>> compliance_findings(ca.sample_dialer_results(n=500)).columns[:3]
        ['rule', 'severity', 'campaign']
    """
    args = _checked(calls, rules, abandon_limit, abandon_margin, dnc_dispositions, dnc_grace)
    return match_laziness(calls, _all_findings(*args))


def _summary(prepared, rules, limit, margin, dispositions, grace) -> pl.LazyFrame:
    hours = _hours_all(prepared, rules).select(
        rule=pl.lit("calling_hours"),
        checked=pl.col("status").is_in(["ok", "outside hours"]).sum(),
        violations=(pl.col("status") == "outside hours").sum(),
        warnings=pl.lit(0),
        unchecked=(~pl.col("status").is_in(["ok", "outside hours"])).sum(),
    )
    periods = _abandon_periods(prepared, limit, margin, 30).select(
        rule=pl.lit("abandonment"),
        checked=(pl.col("status") != "no live answers").sum(),
        violations=(pl.col("status") == "above").sum(),
        warnings=(pl.col("status") == "near").sum(),
        unchecked=pl.lit(0),
    )
    frequency = (
        _frequency_all(prepared, rules)
        .group_by("window")
        .agg(
            checked=pl.col("limit").is_not_null().sum(),
            violations=(pl.col("calls_in_window") > pl.col("limit")).sum(),
        )
    )
    windows = pl.LazyFrame({"window": ["24h", "30d"]})
    frequency = windows.join(frequency, on="window", how="left", maintain_order="left").select(
        rule=pl.concat_str(pl.lit("frequency_"), pl.col("window")),
        checked=pl.col("checked").fill_null(0),
        violations=pl.col("violations").fill_null(0),
        warnings=pl.lit(0),
        unchecked=pl.lit(0),
    )
    dnc = _dnc_all(prepared, dispositions, grace).select(
        rule=pl.lit("do_not_call"),
        checked=pl.col("_key").n_unique(),
        violations=(pl.col("after") > grace).sum(),
        warnings=pl.lit(0),
        unchecked=pl.lit(0),
    )
    counts = pl.concat(
        [
            f.with_columns(pl.col("checked", "violations", "warnings", "unchecked").cast(pl.UInt32))
            for f in (hours, periods, frequency, dnc)
        ],
        how="vertical",
    )
    describe = _descriptions(rules, limit, margin, dispositions, grace)
    table = pl.LazyFrame(
        {
            "rule": list(COMPLIANCE_RULES),
            "description": [describe[r][0] for r in COMPLIANCE_RULES],
            "citation": [describe[r][1] for r in COMPLIANCE_RULES],
            "unit": ["dials", "campaign periods", "dials", "dials", "numbers with a request"],
        }
    )
    return table.join(counts, on="rule", how="left", maintain_order="left").select(
        "rule",
        "description",
        "citation",
        "unit",
        "checked",
        "violations",
        "warnings",
        "unchecked",
        status=pl.when(pl.col("violations") > 0).then(pl.lit("fail")).otherwise(pl.lit("pass")),
    )


def _descriptions(rules, limit, margin, dispositions, grace) -> dict[str, tuple[str, str]]:
    us = rules.filter(pl.col("code") == "US").row(0, named=True)
    stricter = rules.filter(pl.col("code") != "US")
    hour_states = ", ".join(
        stricter.filter(
            pl.col("sunday_start").is_not_null()
            | (pl.col("start") != us["start"])
            | (pl.col("end") != us["end"])
        )["code"]
    )
    cite = {
        w: "; ".join(
            rules.filter(pl.col(f"max_calls_{w}").is_not_null())
            .select(pl.format("{} ({})", "code", "citation"))
            .to_series()
        )
        for w in ("24h", "30d")
    }
    if dispositions is None:
        dnc_words = 'the words "Do Not Call" or "DNC"'
    elif isinstance(dispositions, str):
        dnc_words = f"the pattern {dispositions!r}"
    else:
        dnc_words = "one of " + ", ".join(f'"{d}"' for d in dispositions)
    start, end = f"{us['start']:%H:%M}", f"{us['end']:%H:%M}"
    return {
        "calling_hours": (
            f"Each dial's local time at the lead is within {start}–{end}"
            + (f", or the stricter hours of {hour_states}" if hour_states else "")
            + "; dials whose zone is unknown are counted as unchecked.",
            "; ".join([us["citation"], *stricter["citation"]]),
        ),
        "abandonment": (
            f"Per campaign, abandoned / (answered + abandoned) over every rolling 30-day "
            f"period is at most {limit:.1%}; periods within {margin:.1%} of it are warnings.",
            ABANDON_CITATION,
        ),
        "frequency_24h": (
            "Dials to one number per campaign in any 24 hours stay within the limit of the "
            "lead's state" + ("" if cite["24h"] else " (no jurisdiction in the table sets one)"),
            cite["24h"] or "—",
        ),
        "frequency_30d": (
            "Dials to one number per campaign in any 30 days stay within the limit of the "
            "lead's state" + ("" if cite["30d"] else " (no jurisdiction in the table sets one)"),
            cite["30d"] or "—",
        ),
        "do_not_call": (
            "No number is dialled again "
            + (f"more than {grace} " if grace else "")
            + f"after an agent disposition matching {dnc_words}.",
            DNC_CITATION,
        ),
    }


def compliance_summary(
    calls,
    *,
    rules=None,
    abandon_limit: float = ABANDON_LIMIT,
    abandon_margin: float = 0.005,
    dnc_dispositions: str | Sequence[str] | None = None,
    dnc_grace: timedelta = timedelta(0),
):
    """One row per rule in :data:`COMPLIANCE_RULES`: what it checks, and whether the data passed.

    Columns: ``rule``, ``description``, ``citation``, ``unit`` (what ``checked`` counts),
    ``checked``, ``violations``, ``warnings``, ``unchecked`` (UInt32) and ``status``
    (``fail`` when there is any violation, else ``pass``). Every rule is listed, also on an
    empty input. ``unit`` says what ``checked`` counts; ``violations`` are dials, except for
    abandonment (30-day periods above the limit; ``warnings`` are those near it).

    Example:
        >>> import callanalytics as ca
        >>> compliance_summary(ca.sample_dialer_results(n=500))["rule"].to_list()[:2]
        ['calling_hours', 'abandonment']
    """
    args = _checked(calls, rules, abandon_limit, abandon_margin, dnc_dispositions, dnc_grace)
    return match_laziness(calls, _summary(*args))


def compliance_checks(calls, **options) -> ComplianceChecks:
    """Both :func:`compliance_findings` and :func:`compliance_summary`, same options.

    Example:
        >>> import callanalytics as ca
        >>> checks = compliance_checks(ca.sample_dialer_results(n=500))
        >>> checks.summary.height
        5
    """
    return ComplianceChecks(
        compliance_findings(calls, **options), compliance_summary(calls, **options)
    )
