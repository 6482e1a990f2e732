"""The summary: one row per rule, what it checks (in words, from the rules table in use) and
whether the data passed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import narwhals as nw
import polars as pl

from callanalytics.metrics._frames import Native
from callanalytics.metrics.compliance.abandonment import PERIOD_DAYS, abandon_periods
from callanalytics.metrics.compliance.definitions import (
    ABANDON_CITATION,
    ABANDON_LIMIT,
    COMPLIANCE_RULES,
    DNC_CITATION,
    checked_options,
    federal_rule,
)
from callanalytics.metrics.compliance.dnc import dnc_all, grace_us
from callanalytics.metrics.compliance.frequency import WINDOWS, frequency_all
from callanalytics.metrics.compliance.hours import hours_all
from callanalytics.metrics.compliance.location import prepared

_UNITS = ("dials", "campaign periods", "dials", "dials", "numbers with a request")
_COUNTS = ("checked", "violations", "warnings", "unchecked")


def _row(frame: Native, checks: nw.LazyFrame, rule: str, texts, **counts: nw.Expr):
    """One summary row: the rule's texts and its counts (aggregations over ``checks``)."""
    description, citation = texts[rule]
    index = COMPLIANCE_RULES.index(rule)
    zero = nw.lit(0)
    return checks.select(
        nw.lit(index).cast(nw.Int64).alias("_order"),
        nw.lit(rule).alias("rule"),
        nw.lit(description).alias("description"),
        nw.lit(citation).alias("citation"),
        nw.lit(_UNITS[index]).alias("unit"),
        *[counts.get(name, zero).cast(frame.count_dtype).alias(name) for name in _COUNTS],
    )


def _summary(frame: Native, rules, limit, margin, dispositions, grace) -> nw.LazyFrame:
    count = frame.true_count
    texts = _descriptions(rules, limit, margin, dispositions, grace)
    checks = prepared(frame)
    status = nw.col("status")
    checked = status.is_in(["ok", "outside hours"])
    periods = abandon_periods(frame, checks, limit, margin, PERIOD_DAYS)
    dnc = dnc_all(frame, checks, dispositions, grace)
    rows = [
        _row(
            frame,
            hours_all(frame, checks, rules),
            "calling_hours",
            texts,
            checked=count(checked),
            violations=count(status == "outside hours"),
            unchecked=count(~checked),
        ),
        _row(
            frame,
            periods,
            "abandonment",
            texts,
            checked=count(status != "no live answers"),
            violations=count(status == "above"),
            warnings=count(status == "near"),
        ),
        *[
            _row(
                frame,
                frequency_all(frame, checks, rules, (window,)),
                f"frequency_{window}",
                texts,
                checked=count(~nw.col("limit").is_null()),
                violations=count(nw.col("calls_in_window") > nw.col("limit")),
            )
            for window in WINDOWS
        ],
        _row(
            frame,
            dnc,
            "do_not_call",
            texts,
            checked=nw.col("_key").n_unique().fill_null(0),
            violations=count(nw.col("_after_us") > grace_us(grace)),
        ),
    ]
    return (
        nw.concat(rows, how="vertical")
        .sort("_order")
        .select(
            "rule",
            "description",
            "citation",
            "unit",
            *_COUNTS,
            nw.when(nw.col("violations") > 0)
            .then(nw.lit("fail"))
            .otherwise(nw.lit("pass"))
            .alias("status"),
        )
    )


def _descriptions(rules, limit, margin, dispositions, grace) -> dict[str, tuple[str, str]]:
    us = federal_rule(rules)
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
        for w in WINDOWS
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
    ``checked``, ``violations``, ``warnings``, ``unchecked`` (UInt32; Int64 on Spark) and
    ``status`` (``fail`` when there is any violation, else ``pass``). Every rule is listed,
    also on an empty input. ``unit`` says what ``checked`` counts; ``violations`` are dials,
    except for abandonment (30-day periods above the limit; ``warnings`` are those near it).

    Example:
        >>> import callanalytics as ca
        >>> compliance_summary(ca.sample_dialer_results(n=500))["rule"].to_list()[:2]
        ['calling_hours', 'abandonment']
    """
    options = checked_options(rules, abandon_limit, abandon_margin, dnc_dispositions, dnc_grace)
    frame = Native(calls)
    return frame.back(_summary(frame, *options))
