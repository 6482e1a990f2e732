"""The report command's options, resolved per report: the source each report reads (and the
lead funnel's second source), and the ``-p`` values each report receives.

Example:
    >>> report_sources(["speed-to-lead"], source="api")
    {'speed-to-lead': 'api'}
"""

from __future__ import annotations

from collections.abc import Sequence

from callanalytics.errors import CallAnalyticsError
from callanalytics.report import (
    DATA,
    RESERVED_PARAMETERS,
    SECOND_DATA,
    is_secret_name,
    notebook_parameters,
    parameter_from_text,
)


def report_sources(
    names: Sequence[str],
    source: str | None = None,
    dialer: str | None = None,
    leadflow: str | None = None,
) -> dict[str, str]:
    """The source each report reads: ``--dialer``/``--leadflow`` for its kind, else
    ``--source``, else the sample. One file cannot be both kinds, and an option no report
    reads is refused rather than ignored.

    Example:
        >>> report_sources(["speed-to-lead", "affiliate-margin"], dialer="d.csv", leadflow="l.json")
        {'speed-to-lead': 'd.csv', 'affiliate-margin': 'l.json'}
    """
    kinds = {DATA[name] for name in names} | {SECOND_DATA[n] for n in names if n in SECOND_DATA}
    is_file = source is not None and source not in ("sample", "api")
    if is_file and len(kinds) > 1:
        raise CallAnalyticsError(
            f"--source {source} cannot feed both the Dialer and the LeadFlow reports; "
            "give --dialer PATH and --leadflow PATH (--source is for sample or api)"
        )
    given = {"dialer": dialer, "leadflow": leadflow}
    if is_file and any(given.values()):
        raise CallAnalyticsError(
            f"--source {source} and --dialer/--leadflow both name a file; give each file once, "
            "with --dialer PATH or --leadflow PATH"
        )
    for kind, path in given.items():
        if path is not None and kind not in kinds:
            readers = ", ".join(sorted(names))
            raise CallAnalyticsError(
                f"--{kind} is not read by {readers}; drop it, or run a report that reads it"
            )
    sources = {}
    for name in names:
        kind = DATA[name]
        other = "leadflow" if kind == "dialer" else "dialer"
        chosen = given[kind] or source
        if chosen is None and given[other] is not None:
            raise CallAnalyticsError(
                f"{name} reads {'Dialer results' if kind == 'dialer' else 'LeadFlow history'}: "
                f"give --{kind} PATH too (or --source sample/api), so it does not silently "
                "run on the sample"
            )
        sources[name] = chosen or "sample"
    return sources


def second_sources(
    names: Sequence[str],
    source: str | None = None,
    dialer: str | None = None,
    leadflow: str | None = None,
) -> dict[str, str]:
    """The second source of each report that reads two kinds of data (``SECOND_DATA``: the
    lead funnel's Dialer results): ``--dialer``/``--leadflow`` for that kind, else
    ``--source`` sample or api, else the sample when no file was named at all.

    Example:
        >>> second_sources(["lead-funnel", "speed-to-lead"], dialer="d.csv", leadflow="l.json")
        {'lead-funnel': 'd.csv'}
    """
    given = {"dialer": dialer, "leadflow": leadflow}
    chosen = {}
    for name in names:
        kind = SECOND_DATA.get(name)
        if kind is None:
            continue
        path = given[kind] or (source if source in ("sample", "api") else None)
        if path is None and (source is not None or any(given.values())):
            what = "Dialer results" if kind == "dialer" else "LeadFlow history"
            raise CallAnalyticsError(
                f"{name} reads {what} too: give --{kind} PATH (or --source sample/api), so "
                "it does not silently run on the sample"
            )
        chosen[name] = path or "sample"
    return chosen


def report_parameters(names: Sequence[str], raw: Sequence[tuple[str, str]]) -> dict[str, dict]:
    """Each report's ``-p`` values, read against the types of its notebook's defaults. With
    ``all``, a parameter goes to the reports that have it and must belong to at least one.

    Example:
        >>> report_parameters(["agent-performance"], [("min_calls", "10")])
        {'agent-performance': {'min_calls': 10}}
    """
    known = {name: notebook_parameters(name) for name in names}
    refused = {k for k, _ in raw if k in RESERVED_PARAMETERS or is_secret_name(k)}
    if len(names) > 1:
        everywhere = set().union(*known.values())
        nowhere = sorted({k for k, _ in raw} - everywhere - refused)
        if nowhere:
            raise CallAnalyticsError(
                f"no report has parameter(s) {', '.join(nowhere)}; "
                f"their parameters are {', '.join(sorted(everywhere))}"
            )
    chosen: dict[str, dict] = {}
    for name in names:
        single = len(names) == 1
        chosen[name] = {
            key: parameter_from_text(known[name].get(key, (None, None))[0], text)
            for key, text in raw
            if single or key in known[name] or key in refused
        }
    return chosen
