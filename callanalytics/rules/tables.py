"""The calling-rules table and the lookups that place a lead in a state and a time zone.

Everything here reads the package data next to it (``us_calling_rules.toml``,
``us_state_zones.csv``, ``us_zip3_states.csv``) or a rules file the user passes; the checks
that use them live in :mod:`callanalytics.metrics.compliance`.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping, Sequence
from datetime import time
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

__all__ = [
    "RULES_SCHEMA",
    "calling_rules",
    "state_codes",
    "state_zones",
    "zip3_states",
    "zone_aliases",
]

#: Columns of a rules table, as :func:`calling_rules` returns it.
RULES_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "name": pl.String(),
    "start": pl.Time(),
    "end": pl.Time(),
    "sunday_start": pl.Time(),
    "sunday_end": pl.Time(),
    "max_calls_24h": pl.UInt32(),
    "max_calls_30d": pl.UInt32(),
    "citation": pl.String(),
    "note": pl.String(),
}

_CLOSED = time(0, 0)

#: Spellings of a zone that are not tz database names but are unambiguous for a US lead.
_ABBREVIATIONS = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "mountain": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "akdt": "America/Anchorage",
    "alaska": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
}
#: US zones a ``lead_timezone`` may name besides each state's main zone.
_EXTRA_ZONES = (
    "America/Adak",
    "America/Boise",
    "America/Detroit",
    "America/Indiana/Knox",
    "America/Juneau",
    "America/Kentucky/Louisville",
    "America/Menominee",
    "America/North_Dakota/Center",
    "America/St_Thomas",
)
_LEGACY = {
    "us/eastern": "America/New_York",
    "us/central": "America/Chicago",
    "us/mountain": "America/Denver",
    "us/pacific": "America/Los_Angeles",
    "us/alaska": "America/Anchorage",
    "us/hawaii": "Pacific/Honolulu",
    "us/arizona": "America/Phoenix",
    "us/east-indiana": "America/Indiana/Indianapolis",
    "us/indiana-starke": "America/Indiana/Knox",
    "us/michigan": "America/Detroit",
    "us/aleutian": "America/Adak",
    "us/samoa": "Pacific/Pago_Pago",
    "est5edt": "America/New_York",
    "cst6cdt": "America/Chicago",
    "mst7mdt": "America/Denver",
    "pst8pdt": "America/Los_Angeles",
    "america/indianapolis": "America/Indiana/Indianapolis",
    "america/louisville": "America/Kentucky/Louisville",
}


# --------------------------------------------------------------------------------------
# Package data


def _data(name: str) -> str:
    return resources.files("callanalytics.rules").joinpath(name).read_text(encoding="utf-8")


@cache
def state_zones() -> pl.DataFrame:
    """Each US state's main IANA zone (``code``, ``name``, ``zone``, ``other_zones``).

    Example:
        >>> state_zones().filter(pl.col("code") == "AZ")["zone"].item()
        'America/Phoenix'
    """
    rows = list(csv.DictReader(io.StringIO(_data("us_state_zones.csv"))))
    return pl.DataFrame(
        {k: [r[k] or None for r in rows] for k in ("code", "name", "zone", "other_zones")},
        schema=dict.fromkeys(("code", "name", "zone", "other_zones"), pl.String),
    )


@cache
def zip3_states() -> dict[str, str]:
    """The state of every 3-digit ZIP prefix the table knows.

    Example:
        >>> zip3_states()["331"]
        'FL'
    """
    out: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(_data("us_zip3_states.csv"))):
        for prefix in range(int(row["first"]), int(row["last"]) + 1):
            out[f"{prefix:03d}"] = row["state"]
    return out


@cache
def state_codes() -> dict[str, str]:
    """Lower-case state codes and names to the two-letter code.

    Example:
        >>> state_codes()["new york"], state_codes()["ny"]
        ('NY', 'NY')
    """
    zones = state_zones()
    out = {c.lower(): c for c in zones["code"]}
    out.update({n.lower(): c for n, c in zip(zones["name"], zones["code"], strict=True)})
    return out


@cache
def zone_aliases() -> dict[str, str]:
    """Lower-case spellings a ``lead_timezone`` may use, to their IANA zone (US zones only;
    ``MST`` is left out: it may mean Arizona or Mountain time).

    Example:
        >>> zone_aliases()["us/arizona"], zone_aliases()["edt"]
        ('America/Phoenix', 'America/New_York')
    """
    zones = {*state_zones()["zone"], *_EXTRA_ZONES}
    out = {z.lower(): z for z in zones}
    out.update(_LEGACY)
    out.update(_ABBREVIATIONS)
    return out


# --------------------------------------------------------------------------------------
# The rules table


def _parse_time(value, where: str, *, closed: bool = False) -> time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, time):
        return value
    text = str(value).strip()
    if text.lower() == "closed" and closed:
        return _CLOSED
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) not in (2, 3):
            raise ValueError
        return time(*parts)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: {value!r} is not a time of day: write HH:MM (24-hour), e.g. '20:00'"
        ) from None


def _parse_limit(value, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1 or isinstance(value, float | bool):
        raise ValueError(f"{where}: {value!r} is not a positive whole number of calls")
    return number


def _rules_frame(rows: Sequence[Mapping], origin: str) -> pl.DataFrame:
    out: dict[str, list] = {k: [] for k in RULES_SCHEMA}
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(RULES_SCHEMA))
        if unknown:
            raise ValueError(
                f"{origin}, rule {index}: unknown field(s) {', '.join(unknown)}; "
                f"expected {', '.join(RULES_SCHEMA)}"
            )
        code = str(row.get("code") or "").strip().upper()
        where = f"{origin}, rule {index} ({code or 'no code'})"
        if code != "US" and code.lower() not in state_codes():
            raise ValueError(f"{where}: code must be 'US' or a US state code, not {code!r}")
        if code in seen:
            raise ValueError(f"{where}: {code} appears twice")
        seen.add(code)
        citation = str(row.get("citation") or "").strip()
        if not citation:
            raise ValueError(f"{where}: citation is required")
        start = _parse_time(row.get("start"), f"{where}, start")
        end = _parse_time(row.get("end"), f"{where}, end")
        if start is None or end is None:
            raise ValueError(f"{where}: start and end hours are required")
        if end <= start:
            raise ValueError(f"{where}: end {end:%H:%M} is not after start {start:%H:%M}")
        sunday = [
            _parse_time(row.get("sunday_start"), f"{where}, sunday_start", closed=True),
            _parse_time(row.get("sunday_end"), f"{where}, sunday_end", closed=True),
        ]
        if _CLOSED in sunday:
            sunday = [_CLOSED, _CLOSED]
        elif (sunday[0] is None) != (sunday[1] is None):
            raise ValueError(f"{where}: give both sunday_start and sunday_end, or neither")
        elif sunday[0] is not None and sunday[1] <= sunday[0]:
            raise ValueError(f"{where}: sunday_end is not after sunday_start")
        values = {
            "code": code,
            "name": str(row.get("name") or code).strip(),
            "start": start,
            "end": end,
            "sunday_start": sunday[0],
            "sunday_end": sunday[1],
            "max_calls_24h": _parse_limit(row.get("max_calls_24h"), f"{where}, max_calls_24h"),
            "max_calls_30d": _parse_limit(row.get("max_calls_30d"), f"{where}, max_calls_30d"),
            "citation": citation,
            "note": (str(row.get("note")).strip() or None) if row.get("note") else None,
        }
        for key, value in values.items():
            out[key].append(value)
    if "US" not in seen:
        raise ValueError(
            f"{origin}: no 'US' row: the federal default (start, end, citation) is required"
        )
    return pl.DataFrame(out, schema=RULES_SCHEMA)


@cache
def _default_rules() -> pl.DataFrame:
    return _rules_frame(
        tomllib.loads(_data("us_calling_rules.toml")).get("jurisdiction", []),
        "callanalytics/rules/us_calling_rules.toml",
    )


def calling_rules(source: str | Path | pl.DataFrame | None = None) -> pl.DataFrame:
    """The calling-rules table: the package's, or yours from a TOML/CSV file or a frame.

    One row per jurisdiction (``US`` required, then state codes) with the columns of
    :data:`RULES_SCHEMA`. A TOML file holds ``[[jurisdiction]]`` tables; a CSV has one
    header row with those column names. Hours are ``HH:MM``; ``sunday_start`` may be
    ``closed``. A bad row raises ValueError naming the file, the rule and the field.

    Example:
        >>> rules = calling_rules()
        >>> rules.filter(pl.col("code") == "FL").select("end", "max_calls_24h").row(0)
        (datetime.time(20, 0), 3)
    """
    if source is None:
        return _default_rules()
    if isinstance(source, pl.DataFrame):
        return _rules_frame(source.to_dicts(), "rules frame")
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"rules file {path}: cannot be read ({exc.strerror})") from None
    if path.suffix.lower() == ".toml":
        try:
            rows = tomllib.loads(text).get("jurisdiction", [])
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"rules file {path}: not valid TOML ({exc})") from None
        return _rules_frame(rows, f"rules file {path}")
    if path.suffix.lower() == ".csv":
        return _rules_frame(list(csv.DictReader(io.StringIO(text))), f"rules file {path}")
    raise ValueError(f"rules file {path}: use a .toml or .csv file")
